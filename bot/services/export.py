"""CSV files for the plan's annual evaluation: the indicators, the months, the reports, the persons followed
and the volunteers, for a period.

By default no name and no contact detail leaves the bot: persons are "P-<file number>", volunteers "V-<n>"
numbered for this export only, reports keep their reference and neighbourhood. Names are added only when
asked. Every export is written in the audit log, with or without names, before any file is.

The files are written for people, in the town's language: column headers, channels, statuses, signs and needs
in words, decimals with the language's separator. For scripts, the machine form keeps stable column names and
codes (docs/EXPORT.md lists them); the tables are built once, in codes, and said either way.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.domain.reports import Channel
from bot.i18n import Translator, plain
from bot.services.imports import COMMAND_LINE
from bot.services.indicators import Facts, Indicators, IndicatorService, Period, compute, followed_during, local_day
from bot.storage.audit import AuditRepository
from bot.storage.files import private_folder, write_private
from bot.storage.indicators import IndicatorRepository

# Semicolons and a byte-order mark: what French spreadsheets open without an import dialog.
DELIMITER = ";"
ENCODING = "utf-8-sig"
# What a spreadsheet takes for the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Row = list[object]


@dataclass(frozen=True, slots=True)
class Table:
    """Column names and values as codes (the machine form); `words` names, for a column of codes, the family of
    catalogue messages that says each code in words ("urgency." for the urgency)."""

    name: str
    header: list[str]
    rows: list[Row]
    words: Mapping[str, str] = field(default_factory=dict)


def in_words(table: Table, _: Translator) -> Table:
    """The table as a person reads it in `_`'s language: headers, codes, yes/no and decimals in words."""

    def said(column: str, value: object) -> object:
        family = table.words.get(column)
        if isinstance(value, bool):
            return _("export.yes") if value else _("export.no")
        if isinstance(value, float):
            return _.format_decimal(value, "0.##")
        if family is not None and isinstance(value, tuple):
            return ", ".join(plain(_(f"{family}{code}")) for code in value)
        if family is not None and isinstance(value, str) and value:
            return plain(_(f"{family}{value}"))
        return value

    header = [plain(_(f"export.column.{column}")) for column in table.header]
    rows = [[said(column, value) for column, value in zip(table.header, row, strict=True)] for row in table.rows]
    return Table(table.name, header, rows)


def in_codes(table: Table) -> Table:
    """The machine form: a list of codes separated by spaces, yes/no as 1/0, decimals with a point."""

    def coded(value: object) -> object:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, tuple):
            return " ".join(value)
        return value

    return Table(table.name, table.header, [[coded(value) for value in row] for row in table.rows])


def percent(share: float) -> int:
    return round(share * 100)


def indicators_table(found: Indicators) -> Table:
    flow, visits = found.flow, found.flow.visits
    wellbeing = found.wellbeing
    rows: list[Row] = [
        ["period_first", "", found.period.first.isoformat()],
        ["period_last", "", found.period.last.isoformat()],
        ["reports_received", "", flow.reports_total],
        *([f"reports_{c.value}", "", flow.reports[c]] for c in Channel),
        ["persons_followed", "", found.followed],
        ["persons_newly_followed", "", flow.newly_followed],
        ["persons_left_isolation", "", flow.left_isolation],
        ["visits_planned", "", visits.planned],
        ["visits_done", "", visits.done],
        ["visits_missed", "", visits.missed],
        ["visits_cancelled", "", visits.cancelled],
        ["wellbeing_average_1_to_5", "", round(wellbeing.value, 2) if wellbeing else ""],
        ["wellbeing_reports", "", wellbeing.count if wellbeing else 0],
        ["satisfaction_answers", "", found.satisfaction.answers],
        ["satisfaction_satisfied", "", found.satisfaction.satisfied],
        ["volunteers_approved", "", found.volunteers],
        ["volunteers_newly_approved", "", found.new_volunteers],
        ["volunteers_active", "", found.active_volunteers],
    ]
    for area in (found.town, *found.areas):
        rows += [
            ["streets", area.area, area.streets],
            ["streets_covered", area.area, area.covered],
            ["streets_covered_percent", area.area, percent(area.share)],
        ]
    return Table("indicators", ["indicator", "neighbourhood", "value"], rows, {"indicator": "export.indicator."})


def monthly_table(found: Indicators) -> Table:
    header = [
        "month",
        *(f"reports_{c.value}" for c in Channel),
        "reports_received",
        "newly_followed",
        "left_isolation",
        "visits_planned",
        "visits_done",
        "visits_missed",
    ]
    rows: list[Row] = [
        [
            month.period.first.strftime("%Y-%m"),
            *(month.reports[c] for c in Channel),
            month.reports_total,
            month.newly_followed,
            month.left_isolation,
            month.visits.planned,
            month.visits.done,
            month.visits.missed,
        ]
        for month in found.months
    ]
    return Table("monthly", header, rows)


class EvaluationExport:
    def __init__(
        self,
        repository: IndicatorRepository,
        indicators: IndicatorService,
        audit: AuditRepository,
        default_capacity: int,
    ) -> None:
        self._repository = repository
        self._indicators = indicators
        self._audit = audit
        self._default_capacity = default_capacity

    async def tables(self, period: Period, with_names: bool) -> list[Table]:
        action = "export.with_names" if with_names else "export.evaluation"
        await self._audit.record(
            COMMAND_LINE, action, f"evaluation:{period.first.isoformat()}..{period.last.isoformat()}"
        )
        facts = await self._indicators.facts()
        found = compute(period, self._indicators.zone, facts)
        return [
            indicators_table(found),
            monthly_table(found),
            await self._reports(period, facts, with_names),
            await self._persons(period, facts, with_names),
            await self._volunteers(period, facts, with_names),
        ]

    async def _reports(self, period: Period, facts: Facts, with_names: bool) -> Table:
        zone = self._indicators.zone
        reports = [r for r in facts.reports if local_day(r.created_at, zone) in period]
        header = ["reference", "received_on", "channel", "status", "urgency", "neighbourhood", "signs", "file"]
        rows: list[Row] = [
            [
                r.reference,
                local_day(r.created_at, zone).isoformat(),
                r.channel.value,
                r.status.value,
                r.urgency.value,
                r.neighbourhood or "",
                tuple(r.signs),
                f"P-{r.person_id}" if r.person_id else "",
            ]
            for r in reports
        ]
        if with_names:
            header += ["reporter_telegram_id", "reporter_name", "who", "address"]
            who = await self._repository.report_identities()
            for row, r in zip(rows, reports, strict=True):
                found = who[r.id]
                row += [found.reporter_id or "", found.reporter_name or "", found.who or "", found.address or ""]
        words = {
            "channel": "export.channel.",
            "status": "export.report_status.",
            "urgency": "urgency.",
            "signs": "sign.",
        }
        return Table("reports", header, rows, words)

    async def _persons(self, period: Period, facts: Facts, with_names: bool) -> Table:
        zone = self._indicators.zone
        persons = [p for p in facts.persons if followed_during(period, zone, p)]
        header = [
            "file",
            "followed_since",
            "ended_on",
            "status",
            "ended_reason",
            "neighbourhood",
            "needs",
            "visits_per_month",
        ]
        rows: list[Row] = [
            [
                f"P-{p.id}",
                local_day(p.created_at, zone).isoformat(),
                local_day(p.ended_at, zone).isoformat() if p.ended_at else "",
                p.status.value,
                p.ended_reason or "",
                p.neighbourhood or "",
                tuple(p.needs),
                p.visits_per_month,
            ]
            for p in persons
        ]
        if with_names:
            header += ["name", "address", "phone"]
            identities = await self._repository.person_identities()
            for row, p in zip(rows, persons, strict=True):
                person = identities[p.id]
                row += [person.name, person.address, person.phone or ""]
        words = {"status": "person.status.", "ended_reason": "person.end_reason.", "needs": "need."}
        return Table("persons", header, rows, words)

    async def _volunteers(self, period: Period, facts: Facts, with_names: bool) -> Table:
        zone = self._indicators.zone
        volunteers = [v for v in facts.volunteers if local_day(v.approved_at, zone) <= period.last]
        header = ["volunteer", "kind", "approved_on", "paused", "visits_a_week", "half_days_available"]
        rows: list[Row] = [
            [
                f"V-{number}",
                v.kind.value,
                local_day(v.approved_at, zone).isoformat(),
                v.paused,
                v.capacity or self._default_capacity,
                v.half_days,
            ]
            for number, v in enumerate(volunteers, start=1)
        ]
        if with_names:
            header += ["telegram_id", "first_name"]
            names = await self._repository.user_names()
            for row, v in zip(rows, volunteers, strict=True):
                row += [v.telegram_id, names.get(v.telegram_id, "")]
        return Table("volunteers", header, rows, {"kind": "volunteer.kind."})


def neutral(cell: object) -> object:
    """A text a spreadsheet would run as a formula (a name typed as `=HYPERLINK(...)`) gets a leading quote, as
    OWASP recommends against CSV injection: the spreadsheet then shows it as it was typed. Numbers stay numbers."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def write_tables(out_dir: Path, tables: Sequence[Table]) -> list[Path]:
    """The files, owner-only in a folder created owner-only: with names, they hold addresses and phones."""
    private_folder(out_dir)
    written = []
    for table in tables:
        path = out_dir / f"{table.name}.csv"
        with write_private(path, ENCODING) as handle:
            writer = csv.writer(handle, delimiter=DELIMITER)
            writer.writerow(table.header)
            writer.writerows([neutral(cell) for cell in row] for row in table.rows)
        written.append(path)
    return written
