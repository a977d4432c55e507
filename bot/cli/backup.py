"""`python -m bot backup`: a consistent copy of the database, even while the bot runs (SQLite online backup)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import Settings
from bot.storage.backup import write_backup


def backup(settings: Settings) -> int:
    db_path = settings.storage.db_path
    if not db_path.is_file():
        print(f"{db_path}: no database to back up")
        return 2
    path = write_backup(db_path, settings.backup.folder_for(db_path), settings.backup.keep, datetime.now(UTC))
    print(f"backup written: {path} (keep the key file {settings.privacy.key_path(db_path)} safe as well)")
    return 0
