"""`lien-bot import-streets FILE`: load the town's streets from its source (`town.streets_source`: a BAN CSV, a
plain CSV or an OpenStreetMap extract), idempotently."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.cli.database import open_settings_database
from bot.config import Settings
from bot.domain.errors import OperatorError
from bot.geo.ban_csv import BanImport
from bot.geo.street_sources import read_streets
from bot.i18n import Translator
from bot.services.streets import StreetService
from bot.storage.streets import StreetRepository


def import_streets(settings: Settings, path: Path, any_town: bool, _: Translator) -> int:
    """Lines of another commune than the town's are refused unless `any_town` (a town spanning two codes)."""
    if not path.is_file():
        raise OperatorError("cli.no_file", path=path)
    data = read_streets(path, settings.town.streets_source, None if any_town else settings.town.insee_code)
    return asyncio.run(_store(settings, data, _))


async def _store(settings: Settings, data: BanImport, _: Translator) -> int:
    for problem in data.problems:
        reason = _.plain(problem.reason, **dict(problem.params))
        print(_.plain("cli.streets.problem", line=problem.line, reason=reason))
    db = await open_settings_database(settings)
    try:
        result = await StreetService(StreetRepository(db), settings.town).import_ban(data, refresh=False)
    finally:
        await db.close()
    counts = result.counts
    print(
        _.plain_plural(
            "cli.streets.summary",
            len(data.streets),
            created=counts.created,
            updated=counts.updated,
            unchanged=counts.unchanged,
            rejected=len(data.problems),
        )
    )
    return 0 if not data.problems else 1
