"""The database as the bot and its commands open it: a damaged file refused by name (`Database.open`), and a
backup taken before an upgrade's migrations touch a database that holds data."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot.config import Settings
from bot.storage.backup import write_backup
from bot.storage.database import Database

log = logging.getLogger(__name__)


async def open_database(settings: Settings) -> Database:
    path = settings.storage.db_path

    def backup_first() -> None:
        written = write_backup(path, settings.backup.folder_for(path), settings.backup.keep, datetime.now(UTC))
        log.warning("database.backup_before_migrations path=%s", written)

    db = Database(path, before_migrating=backup_first)
    await db.open()
    return db
