"""`lien-bot rotate-key`: every sealed value sealed again with a new key (the bot stopped meanwhile)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.cli.database import existing_database, open_settings_database
from bot.config import Settings
from bot.i18n import Translator
from bot.storage.sealing import Rotation, rotate


def rotate_key(settings: Settings, _: Translator) -> int:
    existing_database(settings)
    done = asyncio.run(_rotate(settings))
    print(_.plain_plural("cli.rotate.done", done.values, key=done.key_file))
    print(_.plain("cli.rotate.retired", retired=done.retired_file))
    return 0


async def _rotate(settings: Settings) -> Rotation:
    db = await open_settings_database(settings)
    try:
        privacy = settings.privacy
        return await rotate(db, privacy.data_key, privacy.key_path(db.path), datetime.now(UTC))
    finally:
        await db.close()
