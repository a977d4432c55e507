"""`lien-bot backup`: a consistent copy of the database, even while the bot runs (SQLite online backup)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from bot.cli.database import existing_database
from bot.config import Settings
from bot.i18n import Translator
from bot.storage.backup import write_backup
from bot.storage.database import DatabaseUnreadable, check_file


def backup(settings: Settings, _: Translator) -> int:
    db_path = existing_database(settings)
    # A copy of a damaged file would only look like a backup.
    check_file(db_path)
    try:
        path = write_backup(db_path, settings.backup.folder_for(db_path), settings.backup.keep, datetime.now(UTC))
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnreadable(db_path, exc) from None
    print(_.plain("cli.backup.written", path=path, key=settings.privacy.key_path(db_path)))
    return 0
