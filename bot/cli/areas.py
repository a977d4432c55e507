"""`lien-bot import-iris FILE`: each neighbourhood's public census figures (INSEE, by IRIS), for the
desk's neighbourhood-risk layer. Only the town's own lines are read; aggregates only, never a person."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.cli.database import open_settings_database
from bot.config import Settings
from bot.domain.errors import OperatorError
from bot.geo.iris_csv import IrisImport, read_iris_file
from bot.i18n import Translations, Translator
from bot.runtime.notifier import OutboxNotifier
from bot.services.container import build_services
from bot.storage.outbox import OutboxRepository


def import_iris(settings: Settings, path: Path, _: Translator) -> int:
    if not path.is_file():
        raise OperatorError("cli.no_file", path=path)
    data = read_iris_file(path, settings.town.insee_code, [n.name for n in settings.town.neighbourhoods])
    for problem in data.problems:
        print(_.plain("webapp.iris.problem", problem=_.plain(problem.reason, **dict(problem.params))))
    if data.problems:
        return 1
    print(_.plain("webapp.iris.read", year=data.year, areas=len(data.areas), unmatched=len(data.unmatched)))
    if data.unmatched:
        print(_.plain("webapp.iris.unmatched", iris=", ".join(data.unmatched)))
    if not data.areas:
        print(_.plain("webapp.iris.none", insee=settings.town.insee_code))
        return 1
    asyncio.run(_store(settings, data))
    print(_.plain("webapp.iris.stored"))
    return 0


async def _store(settings: Settings, data: IrisImport) -> None:
    db = await open_settings_database(settings)
    try:
        translations = Translations(settings.i18n.default_language)
        svc = build_services(settings, db, translations, OutboxNotifier(OutboxRepository(db)))
        await svc.desk.store_census(data)
    finally:
        await db.close()
