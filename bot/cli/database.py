"""The database a command reads. Only `run` and the imports may create one: anything else given a path with
no database behind it (a mistyped BOT_DB_PATH) is refused, instead of making an empty one and a new key."""

from __future__ import annotations

import os
from pathlib import Path

from bot.config import Settings
from bot.errors import OperatorError


def existing_database(settings: Settings) -> Path:
    path = settings.storage.db_path
    if not path.is_file():
        setting = "BOT_DB_PATH" if "BOT_DB_PATH" in os.environ else "storage.db_path"
        raise OperatorError("cli.no_database", path=path.resolve(), setting=setting)
    return path
