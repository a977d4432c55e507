"""What the Mini App draws that no other repository reads: the points of open reports and of persons
followed, each volunteer's visits in a period, and the census figures per neighbourhood. Coordinators' views
only: the volunteer's outing is read through `VisitRepository.stops`, like the chat."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.persons import PersonStatus
from bot.domain.records import Record
from bot.domain.reports import ReportStatus, Urgency
from bot.storage.database import Database


class ReportPoint(Record):
    id: int
    reference: str
    status: ReportStatus
    urgency: Urgency
    neighbourhood: str | None
    lat: float
    lon: float


class PersonPoint(Record):
    id: int
    name: str
    status: PersonStatus
    lat: float
    lon: float


class AreaFiguresRow(Record):
    neighbourhood: str
    adults: float
    old: float
    old_alone: float
    census_year: str


# The lifecycle's status, as bot/storage/reports.py derives it: a new report read is triaged.
_STATUS = (
    "(CASE WHEN status = 'new' AND EXISTS (SELECT 1 FROM report_reads WHERE report_id = reports.id) "
    "THEN 'triaged' ELSE status END)"
)


class DeskRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def open_report_points(self, statuses: Sequence[ReportStatus]) -> list[ReportPoint]:
        marks = ",".join("?" * len(statuses))
        rows = await self._db.fetch_all(
            f"SELECT id, reference, {_STATUS} AS status, urgency, neighbourhood, lat, lon FROM reports "
            f"WHERE lat IS NOT NULL AND {_STATUS} IN ({marks}) ORDER BY id",
            tuple(s.value for s in statuses),
        )
        return [ReportPoint.model_validate(dict(row)) for row in rows]

    async def person_points(self) -> list[PersonPoint]:
        rows = await self._db.fetch_all(
            "SELECT id, name, status, lat, lon FROM persons WHERE lat IS NOT NULL AND status != 'ended' ORDER BY id"
        )
        return [PersonPoint.model_validate(dict(row)) for row in rows]

    async def visits_between(self, first_day: str, last_day: str) -> dict[int, int]:
        """Per volunteer, visits of published weeks on those days that still stand (planned, done, missed)."""
        rows = await self._db.fetch_all(
            "SELECT volunteer, COUNT(*) FROM (SELECT first_volunteer AS volunteer, status, day, plan_id FROM visits "
            "UNION ALL SELECT second_volunteer, status, day, plan_id FROM visits) "
            "WHERE day BETWEEN ? AND ? AND status NOT IN ('declined', 'replaced') "
            "AND plan_id IN (SELECT id FROM week_plans WHERE status = 'published') GROUP BY volunteer",
            (first_day, last_day),
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def first_names(self, telegram_ids: Sequence[int]) -> dict[int, str]:
        """The week's volunteers at once: a week of an M town has 150 of them."""
        marks = ",".join("?" * len(telegram_ids))
        rows = await self._db.fetch_all(
            f"SELECT telegram_id, first_name FROM users WHERE telegram_id IN ({marks})", tuple(telegram_ids)
        )
        return {int(r[0]): str(r[1]) for r in rows}

    async def area_figures(self) -> list[AreaFiguresRow]:
        rows = await self._db.fetch_all(
            "SELECT neighbourhood, adults, old, old_alone, census_year FROM area_figures ORDER BY neighbourhood"
        )
        return [AreaFiguresRow.model_validate(dict(row)) for row in rows]

    async def replace_area_figures(self, year: str, figures: Sequence[tuple[str, float, float, float]]) -> None:
        """The town's figures of one census, in place of the previous ones, in one transaction."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM area_figures")
            await tx.execute_many(
                "INSERT INTO area_figures (neighbourhood, adults, old, old_alone, census_year) VALUES (?, ?, ?, ?, ?)",
                [(*row, year) for row in figures],
            )
