"""The indicators the town's plan is judged on, for a chosen period: pure functions over stored facts.

Days are the town's days: a timestamp stored in UTC counts on the local date it happened. Visits, the
wellbeing reported after them and the beneficiaries' satisfaction are not computed here yet: nothing records
visits so far.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.services.charts import ChartLabels, MonthBars, chart_png
from bot.storage.indicators import IndicatorRepository, PersonFact, ReportFact, StreetFact, VolunteerFact
from bot.storage.persons import PersonStatus
from bot.storage.reports import Channel

PERIODS = ("this_month", "last_month", "last_12_months", "this_year")
LEFT_ISOLATION = "left_isolation"


@dataclass(frozen=True, slots=True)
class Period:
    """Calendar days, both included."""

    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def months(self) -> list[Period]:
        found = []
        start = self.first.replace(day=1)
        while start <= self.last:
            following = _add_months(start, 1)
            found.append(Period(max(start, self.first), min(following - timedelta(days=1), self.last)))
            start = following
        return found


def _add_months(day: date, count: int) -> date:
    """The first day of the month `count` months after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def period_of(key: str, today: date) -> Period:
    """One of PERIODS, ending today at the latest; "last_12_months" is this month and the eleven before."""
    month_start = today.replace(day=1)
    if key == "this_month":
        return Period(month_start, today)
    if key == "last_month":
        return Period(_add_months(today, -1), month_start - timedelta(days=1))
    if key == "last_12_months":
        return Period(_add_months(today, -11), today)
    if key == "this_year":
        return Period(date(today.year, 1, 1), today)
    raise ValueError(f"unknown period {key!r}")


def local_day(at: datetime, zone: ZoneInfo) -> date:
    return at.astimezone(zone).date()


def town_today(zone: ZoneInfo) -> date:
    return datetime.now(zone).date()


@dataclass(frozen=True, slots=True)
class Coverage:
    """Streets watched by at least one caring neighbour, out of all the streets of an area."""

    area: str
    covered: int
    streets: int

    @property
    def share(self) -> float:
        return self.covered / self.streets if self.streets else 0.0


@dataclass(frozen=True, slots=True)
class Flow:
    """What came in and went out during one period."""

    period: Period
    reports: dict[Channel, int]
    newly_followed: int
    left_isolation: int

    @property
    def reports_total(self) -> int:
        return sum(self.reports.values())


@dataclass(frozen=True, slots=True)
class Indicators:
    flow: Flow
    followed: int
    volunteers: int
    new_volunteers: int
    town: Coverage
    areas: list[Coverage]
    months: list[Flow]

    @property
    def period(self) -> Period:
        return self.flow.period


def flow(period: Period, zone: ZoneInfo, reports: Iterable[ReportFact], persons: Sequence[PersonFact]) -> Flow:
    by_channel = dict.fromkeys(Channel, 0)
    for report in reports:
        if local_day(report.created_at, zone) in period:
            by_channel[report.channel] += 1
    return Flow(
        period,
        by_channel,
        newly_followed=sum(1 for p in persons if local_day(p.created_at, zone) in period),
        left_isolation=sum(
            1
            for p in persons
            if p.status == PersonStatus.ENDED
            and p.ended_reason == LEFT_ISOLATION
            and p.ended_at is not None
            and local_day(p.ended_at, zone) in period
        ),
    )


def followed_during(period: Period, zone: ZoneInfo, persons: Iterable[PersonFact]) -> int:
    """Persons whose file was open on at least one day of the period (paused ones included)."""
    return sum(
        1
        for p in persons
        if local_day(p.created_at, zone) <= period.last
        and (p.ended_at is None or local_day(p.ended_at, zone) >= period.first)
    )


def coverage(period: Period, zone: ZoneInfo, streets: Iterable[StreetFact]) -> tuple[Coverage, list[Coverage]]:
    """Shares on the period's last day, for the town and for each area that has streets, by area name."""
    totals: dict[str, list[int]] = {}
    for street in streets:
        counts = totals.setdefault(street.neighbourhood, [0, 0])
        counts[1] += 1
        if street.covered_since is not None and local_day(street.covered_since, zone) <= period.last:
            counts[0] += 1
    areas = [Coverage(area, covered, total) for area, (covered, total) in sorted(totals.items())]
    town = Coverage("", sum(a.covered for a in areas), sum(a.streets for a in areas))
    return town, areas


def compute(
    period: Period,
    zone: ZoneInfo,
    reports: Sequence[ReportFact],
    persons: Sequence[PersonFact],
    volunteers: Sequence[VolunteerFact],
    streets: Sequence[StreetFact],
) -> Indicators:
    town, areas = coverage(period, zone, streets)
    approved_by_end = [v for v in volunteers if local_day(v.approved_at, zone) <= period.last]
    return Indicators(
        flow=flow(period, zone, reports, persons),
        followed=followed_during(period, zone, persons),
        volunteers=len(approved_by_end),
        new_volunteers=sum(1 for v in approved_by_end if local_day(v.approved_at, zone) in period),
        town=town,
        areas=areas,
        months=[flow(month, zone, reports, persons) for month in period.months()],
    )


def month_bars(indicators: Indicators) -> list[MonthBars]:
    return [
        MonthBars(month.period.first, {c.value: n for c, n in month.reports.items()}, month.newly_followed)
        for month in indicators.months
    ]


class IndicatorService:
    def __init__(self, repository: IndicatorRepository, timezone: str, today: Callable[[], date] | None = None) -> None:
        self._repository = repository
        self._zone = ZoneInfo(timezone)
        self._today = today or (lambda: town_today(self._zone))

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    def period(self, key: str) -> Period | None:
        return period_of(key, self._today()) if key in PERIODS else None

    async def compute(self, period: Period) -> Indicators:
        repo = self._repository
        return compute(
            period,
            self._zone,
            await repo.reports(),
            await repo.persons(),
            await repo.volunteers(),
            await repo.streets(),
        )

    async def chart(self, indicators: Indicators, labels: ChartLabels) -> bytes:
        """The monthly series as a PNG; drawn in a worker thread so the bot keeps answering meanwhile."""
        return await asyncio.to_thread(chart_png, month_bars(indicators), labels)
