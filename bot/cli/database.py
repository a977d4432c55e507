"""The database a command reads (and the bot runs on). Only `run` and the imports may create one: anything
else given a path with no database behind it (a mistyped BOT_DB_PATH) is refused, instead of making an empty
one and a new key."""

from __future__ import annotations

import os
from pathlib import Path

from bot.config import Settings
from bot.domain.errors import OperatorError
from bot.storage.database import Database
from bot.storage.opening import open_database


def existing_database(settings: Settings) -> Path:
    path = settings.storage.db_path
    if not path.is_file():
        setting = "BOT_DB_PATH" if "BOT_DB_PATH" in os.environ else "storage.db_path"
        raise OperatorError("cli.no_database", path=path.resolve(), setting=setting)
    return path


async def open_settings_database(settings: Settings) -> Database:
    """The configured database, a backup taken into the configured folder before an upgrade's migrations."""
    path, backup = settings.storage.db_path, settings.backup
    return await open_database(path, backup.folder_for(path), backup.keep, backup.max_age_days)
