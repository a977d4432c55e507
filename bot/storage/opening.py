"""The database as the bot and its commands open it: a damaged file refused by name (`Database.open`), and a
backup taken before an upgrade's migrations touch a database that holds data."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from bot.storage.backup import rotate_backups, write_backup
from bot.storage.database import Database

log = logging.getLogger(__name__)


async def open_database(path: Path, backups: Path, keep: int, max_age_days: int) -> Database:
    """`backups` is the folder of backups, rotated as the daily ones (`keep`, `max_age_days`)."""

    def backup_first() -> None:
        now = datetime.now(UTC)
        written = write_backup(path, backups, now)
        rotate_backups(backups, keep, max_age_days, now)
        log.warning("database.backup_before_migrations path=%s", written)

    db = Database(path, before_migrating=backup_first)
    await db.open()
    return db
