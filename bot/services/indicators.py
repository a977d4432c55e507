"""The indicators the town's plan is judged on, for a chosen period: pure functions over stored facts.

Days are the town's days: a timestamp stored in UTC counts on the local date it happened. A file erased (by a
coordinator, or after its retention period) no longer counts, nor do its visits and satisfaction answers,
which go with it; its reports still count, as figures without names.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean
from zoneinfo import ZoneInfo

from bot.domain.persons import PersonStatus
from bot.domain.reports import Channel
from bot.domain.visits import VisitStatus
from bot.services.charts import ChartLabels, MonthBars, chart_png
from bot.storage.indicators import (
    IndicatorRepository,
    PersonFact,
    ReportFact,
    SatisfactionFact,
    StreetFact,
    VisitFact,
    VolunteerFact,
)

# A typed period's bounds: the chart stays readable, and a day before 2000 is a typing mistake.
MAX_MONTHS = 36
OLDEST_DAY = date(2000, 1, 1)
LEFT_ISOLATION = "left_isolation"
# Satisfaction is asked on four levels (1 not at all ... 4 very satisfied): these two count as satisfied.
SATISFIED_FROM = 3


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
    if key == "last_year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    raise ValueError(f"unknown period {key!r}")


def typed_period(words: Sequence[str], today: date) -> Period | None:
    """A period as a coordinator types it after /stats: a year (2025), a month (2025-11), or two days
    (2025-01-01 2025-06-30), of MAX_MONTHS at most; it ends today at the latest. None when it is not one."""
    try:
        if len(words) == 2:
            first, last = date.fromisoformat(words[0]), date.fromisoformat(words[1])
        elif len(words) == 1 and len(words[0]) == 4 and words[0].isdigit():
            first, last = date(int(words[0]), 1, 1), date(int(words[0]), 12, 31)
        elif len(words) == 1 and len(words[0]) == 7 and words[0][4] == "-":
            first = date.fromisoformat(f"{words[0]}-01")
            last = _add_months(first, 1) - timedelta(days=1)
        else:
            return None
    except ValueError:
        return None
    period = Period(first, min(last, today))
    if not OLDEST_DAY <= period.first <= period.last or len(period.months()) > MAX_MONTHS:
        return None
    return period


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
class VisitCounts:
    """Visits of published weeks on the period's days. A visit nobody could take after a "can't go" is
    cancelled; those neither done, missed nor cancelled are still to come or to be reported."""

    planned: int
    done: int
    missed: int
    cancelled: int


@dataclass(frozen=True, slots=True)
class Flow:
    """What came in and went out during one period."""

    period: Period
    reports: dict[Channel, int]
    newly_followed: int
    left_isolation: int
    visits: VisitCounts

    @property
    def reports_total(self) -> int:
        return sum(self.reports.values())


@dataclass(frozen=True, slots=True)
class Average:
    value: float
    count: int


@dataclass(frozen=True, slots=True)
class Satisfaction:
    answers: int
    satisfied: int

    @property
    def share(self) -> float:
        return self.satisfied / self.answers if self.answers else 0.0


@dataclass(frozen=True, slots=True)
class Indicators:
    flow: Flow
    followed: int
    volunteers: int
    new_volunteers: int
    active_volunteers: int
    wellbeing: Average | None  # how the persons seemed after the visits done, 1 to 5
    satisfaction: Satisfaction
    town: Coverage
    areas: list[Coverage]
    months: list[Flow]

    @property
    def period(self) -> Period:
        return self.flow.period


def visit_counts(period: Period, visits: Iterable[VisitFact]) -> VisitCounts:
    statuses = [v.status for v in visits if v.day in period]
    return VisitCounts(
        planned=len(statuses),
        done=statuses.count(VisitStatus.DONE),
        missed=statuses.count(VisitStatus.MISSED),
        cancelled=statuses.count(VisitStatus.DECLINED),
    )


def flow(
    period: Period,
    zone: ZoneInfo,
    reports: Iterable[ReportFact],
    persons: Sequence[PersonFact],
    visits: Sequence[VisitFact],
) -> Flow:
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
        visits=visit_counts(period, visits),
    )


def followed_during(period: Period, zone: ZoneInfo, person: PersonFact) -> bool:
    """The file was open on at least one day of the period (paused ones included)."""
    return local_day(person.created_at, zone) <= period.last and (
        person.ended_at is None or local_day(person.ended_at, zone) >= period.first
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


def wellbeing(period: Period, visits: Iterable[VisitFact]) -> Average | None:
    moods = [v.mood for v in visits if v.day in period and v.status == VisitStatus.DONE and v.mood is not None]
    return Average(fmean(moods), len(moods)) if moods else None


def satisfaction(period: Period, answers: Iterable[SatisfactionFact]) -> Satisfaction:
    levels = [a.level for a in answers if a.asked_on in period]
    return Satisfaction(len(levels), sum(1 for level in levels if level >= SATISFIED_FROM))


def active_volunteers(period: Period, visits: Iterable[VisitFact]) -> int:
    """Volunteers who made at least one visit in the period."""
    done = [v for v in visits if v.day in period and v.status == VisitStatus.DONE]
    return len({member for v in done for member in (v.first_volunteer, v.second_volunteer)})


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the indicators are computed from, read once."""

    reports: Sequence[ReportFact]
    persons: Sequence[PersonFact]
    volunteers: Sequence[VolunteerFact]
    streets: Sequence[StreetFact]
    visits: Sequence[VisitFact]
    answers: Sequence[SatisfactionFact]


def compute(period: Period, zone: ZoneInfo, facts: Facts) -> Indicators:
    town, areas = coverage(period, zone, facts.streets)
    approved_by_end = [v for v in facts.volunteers if local_day(v.approved_at, zone) <= period.last]
    return Indicators(
        flow=flow(period, zone, facts.reports, facts.persons, facts.visits),
        followed=sum(1 for p in facts.persons if followed_during(period, zone, p)),
        volunteers=len(approved_by_end),
        new_volunteers=sum(1 for v in approved_by_end if local_day(v.approved_at, zone) in period),
        active_volunteers=active_volunteers(period, facts.visits),
        wellbeing=wellbeing(period, facts.visits),
        satisfaction=satisfaction(period, facts.answers),
        town=town,
        areas=areas,
        months=[flow(month, zone, facts.reports, facts.persons, facts.visits) for month in period.months()],
    )


def month_bars(indicators: Indicators) -> list[MonthBars]:
    return [
        MonthBars(
            month.period.first,
            {c.value: n for c, n in month.reports.items()},
            month.newly_followed,
            month.visits.done,
        )
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

    def period(self, key: str) -> Period:
        """One of PERIODS as of today."""
        return period_of(key, self._today())

    def typed_period(self, words: Sequence[str]) -> Period | None:
        return typed_period(words, self._today())

    async def facts(self) -> Facts:
        repo = self._repository
        return Facts(
            await repo.reports(),
            await repo.persons(),
            await repo.volunteers(),
            await repo.streets(),
            await repo.visits(),
            await repo.satisfaction(),
        )

    async def compute(self, period: Period) -> Indicators:
        return compute(period, self._zone, await self.facts())

    async def chart(self, indicators: Indicators, labels: ChartLabels) -> bytes:
        """The monthly series as a PNG; drawn in a worker thread so the bot keeps answering meanwhile."""
        return await asyncio.to_thread(chart_png, month_bars(indicators), labels)
