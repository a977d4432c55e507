"""The database as the bot and its commands open it: a damaged file refused by name (`Database.open`), and a
backup taken before an upgrade's migrations touch a database that holds data."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot.config import Settings
from bot.storage.backup import rotate_backups, write_backup
from bot.storage.database import Database

log = logging.getLogger(__name__)


async def open_database(settings: Settings) -> Database:
    path = settings.storage.db_path

    def backup_first() -> None:
        folder, now = settings.backup.folder_for(path), datetime.now(UTC)
        written = write_backup(path, folder, now)
        rotate_backups(folder, settings.backup.keep, settings.backup.max_age_days, now)
        log.warning("database.backup_before_migrations path=%s", written)

    db = Database(path, before_migrating=backup_first)
    await db.open()
    return db
