"""`python -m bot import-streets FILE`: load the town's streets from a BAN CSV, idempotently."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.config import Settings
from bot.geo.ban_csv import BanImport, read_ban_csv
from bot.services.streets import StreetService
from bot.storage.database import Database
from bot.storage.streets import StreetRepository


def import_streets(settings: Settings, path: Path, any_town: bool) -> int:
    """Lines of another commune than the town's are refused unless `any_town` (a town spanning two codes)."""
    if not path.is_file():
        print(f"{path}: no such file")
        return 2
    data = read_ban_csv(path, None if any_town else settings.town.insee_code)
    return asyncio.run(_store(settings, data))


async def _store(settings: Settings, data: BanImport) -> int:
    for problem in data.problems:
        print(f"line {problem.line}: {problem.reason}")
    db = Database(settings.storage.db_path)
    await db.open()
    try:
        result = await StreetService(StreetRepository(db), settings.town).import_ban(data, refresh=False)
    finally:
        await db.close()
    counts = result.counts
    print(
        f"{len(data.streets)} streets read: {counts.created} created, {counts.updated} updated, "
        f"{counts.unchanged} unchanged; {len(data.problems)} lines rejected"
    )
    return 0 if not data.problems else 1
