"""`python -m bot import-streets FILE`: load the town's streets from its source (`town.streets_source`: a BAN CSV,
a plain CSV or an OpenStreetMap extract), idempotently."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.cli import problem_text, say, town_translator
from bot.config import Settings
from bot.geo.ban_csv import BanImport
from bot.geo.street_sources import read_streets
from bot.i18n import Safe
from bot.services.streets import StreetService
from bot.storage.database import Database
from bot.storage.streets import StreetRepository


def import_streets(settings: Settings, path: Path, any_town: bool) -> int:
    """Lines of another commune than the town's are refused unless `any_town` (a town spanning two codes)."""
    if not path.is_file():
        say(town_translator(settings)("cli.no_file", path=str(path)))
        return 2
    data = read_streets(path, settings.town.streets_source, None if any_town else settings.town.insee_code)
    return asyncio.run(_store(settings, data))


async def _store(settings: Settings, data: BanImport) -> int:
    _ = town_translator(settings)
    for problem in data.problems:
        say(_("streets.problem_line", line=problem.line, reason=Safe(problem_text(_, problem))))
    db = Database(settings.storage.db_path)
    await db.open()
    try:
        result = await StreetService(StreetRepository(db), settings.town).import_ban(data, refresh=False)
    finally:
        await db.close()
    counts = result.counts
    read, rejected = len(data.streets), len(data.problems)
    say(_("streets.imported", read=read, created=counts.created, updated=counts.updated, unchanged=counts.unchanged))
    say(_("streets.rejected", count=rejected))
    return 0 if not data.problems else 1
