"""`python -m bot export [--out DIR] [--from DATE --to DATE] [--with-names] [--machine]`: the annual evaluation's
CSV files, in the town's language, or with the stable column names and codes scripts read (docs/EXPORT.md)."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli import say, town_translator
from bot.config import Settings
from bot.services.export import EvaluationExport, Table, in_codes, in_words, write_tables
from bot.services.indicators import IndicatorService, Period, period_of, town_today
from bot.storage.audit import AuditRepository
from bot.storage.database import Database
from bot.storage.indicators import IndicatorRepository
from bot.storage.sealing import unlock


def export(
    settings: Settings, out: Path | None, first: date | None, last: date | None, with_names: bool, machine: bool
) -> int:
    """Without dates, the last twelve months (this month and the eleven before), as /stats shows them."""
    _ = town_translator(settings)
    if not settings.storage.db_path.is_file():
        say(_("export.no_database", path=str(settings.storage.db_path)))
        return 2
    last = last or town_today(ZoneInfo(settings.reports.timezone))
    first = first or period_of("last_12_months", last).first
    if first > last:
        say(_("export.bad_period", first=first.isoformat(), last=last.isoformat()))
        return 2
    period = Period(first, last)
    out = out or Path(f"evaluation-{first.isoformat()}-{last.isoformat()}")
    tables = asyncio.run(_tables(settings, period, with_names))
    written = write_tables(out, [in_codes(t) if machine else in_words(t, _) for t in tables])
    for path in written:
        print(path)
    say(_("export.with_names" if with_names else "export.without_names"))
    say(_("export.audited"))
    return 0


async def _tables(settings: Settings, period: Period, with_names: bool) -> list[Table]:
    db = Database(settings.storage.db_path)
    await db.open()
    try:
        # Phones and who a report is about are sealed at rest: the bot's key opens them.
        await unlock(db, settings.privacy.data_key, settings.privacy.key_path(db.path))
        repository = IndicatorRepository(db)
        indicators = IndicatorService(repository, settings.reports.timezone)
        export = EvaluationExport(repository, indicators, AuditRepository(db), settings.volunteers.default_capacity)
        return await export.tables(period, with_names)
    finally:
        await db.close()
