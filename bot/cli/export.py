"""`lien-bot export [--out DIR] [--from DATE --to DATE] [--with-names] [--machine]`: the annual evaluation's CSV
files, in the town's language, or with the stable column names and codes scripts read (docs/EXPORT.md)."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli.database import existing_database, open_settings_database, unlock_configured
from bot.config import Settings
from bot.domain.errors import OperatorError
from bot.i18n import Translator
from bot.services.export import EvaluationExport, Table, in_codes, in_words, write_tables
from bot.services.indicators import IndicatorService, Period, period_of, town_today
from bot.storage.audit import AuditRepository
from bot.storage.indicators import IndicatorRepository


def export(
    settings: Settings,
    out: Path | None,
    first: date | None,
    last: date | None,
    with_names: bool,
    machine: bool,
    _: Translator,
) -> int:
    """Without dates, the last twelve months (this month and the eleven before), as /stats shows them."""
    existing_database(settings)
    last = last or town_today(ZoneInfo(settings.reports.timezone))
    first = first or period_of("last_12_months", last).first
    if first > last:
        raise OperatorError("cli.export.reversed", first=first, last=last)
    period = Period(first, last)
    out = out or Path(f"evaluation-{first.isoformat()}-{last.isoformat()}")
    tables = asyncio.run(_tables(settings, period, with_names))
    written = write_tables(out, [in_codes(t) if machine else in_words(t, _) for t in tables])
    for path in written:
        print(path)
    print(_.plain("cli.export.with_names") if with_names else _.plain("cli.export.without_names"))
    print(_.plain("cli.export.audited"))
    return 0


async def _tables(settings: Settings, period: Period, with_names: bool) -> list[Table]:
    db = await open_settings_database(settings)
    try:
        # Phones and who a report is about are sealed at rest: the bot's key opens them.
        await unlock_configured(db, settings)
        repository = IndicatorRepository(db)
        indicators = IndicatorService(repository, settings.reports.timezone)
        export = EvaluationExport(repository, indicators, AuditRepository(db), settings.volunteers.default_capacity)
        return await export.tables(period, with_names)
    finally:
        await db.close()
