"""`python -m bot import-iris FILE`: each neighbourhood's public census figures (INSEE, by IRIS), for the
desk's neighbourhood-risk layer. Only the town's own lines are read; aggregates only, never a person."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.config import Settings
from bot.geo.iris_csv import IrisImport, read_iris_file
from bot.i18n import Translations
from bot.runtime.notifier import OutboxNotifier
from bot.services.container import build_services
from bot.storage.database import Database
from bot.storage.outbox import OutboxRepository


def import_iris(settings: Settings, path: Path) -> int:
    _ = Translations(settings.i18n.default_language).get(settings.i18n.default_language)
    if not path.is_file():
        print(_("webapp.iris.no_file", path=str(path)))
        return 2
    data = read_iris_file(path, settings.town.insee_code, [n.name for n in settings.town.neighbourhoods])
    for problem in data.problems:
        print(_("webapp.iris.problem", problem=problem))
    if data.problems:
        return 1
    print(_("webapp.iris.read", year=data.year, areas=len(data.areas), unmatched=len(data.unmatched)))
    if data.unmatched:
        print(_("webapp.iris.unmatched", iris=", ".join(data.unmatched)))
    if not data.areas:
        print(_("webapp.iris.none", insee=settings.town.insee_code))
        return 1
    asyncio.run(_store(settings, data))
    print(_("webapp.iris.stored"))
    return 0


async def _store(settings: Settings, data: IrisImport) -> None:
    db = Database(settings.storage.db_path)
    await db.open()
    try:
        translations = Translations(settings.i18n.default_language)
        svc = build_services(settings, db, translations, OutboxNotifier(OutboxRepository(db)))
        await svc.desk.store_census(data)
    finally:
        await db.close()
