"""What the Mini App shows that the chat only lists: the town on a map (streets by caring-neighbour
coverage, open reports, persons followed, each neighbourhood's risk from public aggregates), the week's
routes, everyone's grid with this month's load, and a volunteer's outing on a map.

Privacy as in the chat: a volunteer's outing is read through `VisitRepository.stops` (first name, address,
access notes, time to ring, the door's point) and only for a member of the pair; everything else here is
for coordinators, who see the same in /coverage, /reports, /persons and /plan. Reading a person's whole
file stays `PersonService.open`, audited.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.config import Settings
from bot.domain.reports import OPEN_STATUSES
from bot.domain.visits import Answer, PlanStatus
from bot.domain.volunteers import VolunteerProfile
from bot.geo.iris_csv import SAMPLE_INSEE, IrisImport, read_sample
from bot.services.outings import first_name, group_outings
from bot.services.streets import StreetService
from bot.services.visit_calendar import VisitCalendar
from bot.storage.desk import DeskRepository, PersonPoint, ReportPoint
from bot.storage.streets import StreetRepository
from bot.storage.users import UserRepository
from bot.storage.visits import PlanRecord, VisitRepository

LatLon = tuple[float, float]


@dataclass(frozen=True, slots=True)
class StreetLine:
    id: int
    name: str
    neighbourhood: str
    cover: str  # "main", "backups" or "nobody"
    points: tuple[LatLon, ...]  # along the street, from its house numbers (its point alone without any)


@dataclass(frozen=True, slots=True)
class AreaRisk:
    """One neighbourhood's public figures set against its caring neighbours and its reports."""

    neighbourhood: str
    point: LatLon
    old_alone: float | None  # people aged 80 and over living alone (census), None without figures
    old_alone_share: float | None  # of the adults
    streets: int
    covered: int  # streets with a caring neighbour, main or backup
    open_reports: int

    @property
    def coverage(self) -> float:
        return self.covered / self.streets if self.streets else 0.0

    @property
    def uncovered_alone(self) -> float | None:
        """People 80+ living alone, times the share of streets nobody watches: where to recruit first."""
        return None if self.old_alone is None else self.old_alone * (1 - self.coverage)


@dataclass(frozen=True, slots=True)
class TownMap:
    streets: tuple[StreetLine, ...]
    reports: tuple[ReportPoint, ...]
    persons: tuple[PersonPoint, ...]
    areas: tuple[AreaRisk, ...]
    census_year: str | None
    approximate: bool  # the shipped sample, not a census file


@dataclass(frozen=True, slots=True)
class MapStop:
    visit_id: int
    person_id: int
    name: str
    address: str
    arrival: str
    lat: float
    lon: float
    status: str


@dataclass(frozen=True, slots=True)
class MapOuting:
    slot_id: str
    day: str
    start: str
    pair: tuple[tuple[int, str], tuple[int, str]]
    answers: tuple[str, str]
    meet: LatLon
    stops: tuple[MapStop, ...]
    walk_min: float


@dataclass(frozen=True, slots=True)
class WeekMap:
    plan: PlanRecord
    outings: tuple[MapOuting, ...]
    left_out: tuple[tuple[str, int, str], ...]  # name, visits missing, reason key


@dataclass(frozen=True, slots=True)
class VolunteerRow:
    profile: VolunteerProfile
    experienced: bool
    load: int  # visits this month, of published weeks


@dataclass(frozen=True, slots=True)
class OutingStop:
    position: int
    arrival: str
    first_name: str
    address: str
    access_notes: str | None
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class VolunteerOuting:
    """What one member of a pair is shown of their outing: as the chat's notice, on a map."""

    visit_id: int
    day: str
    start: str
    partner: str
    meet: LatLon
    meet_where: str  # "hub", "yours" or "partner"
    hub_name: str
    stops: tuple[OutingStop, ...]
    answer: str
    open: bool  # Confirm / Can't go still possible


def along(points: Sequence[LatLon]) -> tuple[LatLon, ...]:
    """House numbers in order along the street: sorted on the axis (north-south or east-west) it spans most."""
    if len(points) < 2:
        return tuple(points)
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    axis = 0 if max(lats) - min(lats) >= max(lons) - min(lons) else 1
    return tuple(sorted(set(points), key=lambda p: p[axis]))


class DeskViewService:
    def __init__(
        self,
        desk: DeskRepository,
        streets: StreetService,
        street_repo: StreetRepository,
        visits: VisitRepository,
        users: UserRepository,
        settings: Settings,
        calendar: VisitCalendar,
    ) -> None:
        self._desk = desk
        self._streets = streets
        self._street_repo = street_repo
        self._visits = visits
        self._users = users
        self._settings = settings
        self._calendar = calendar

    # --- the town ------------------------------------------------------------------------------------------
    async def town(self) -> TownMap:
        numbers: dict[int, list[LatLon]] = {}
        for row in await self._street_repo.house_numbers():
            numbers.setdefault(row.street_id, []).append((row.lat, row.lon))
        points = {s.id: (s.lat, s.lon) for s in await self._street_repo.all()}
        lines = []
        for area in await self._streets.coverage():
            for cover, streets in (("main", area.main), ("backups", area.backups_only), ("nobody", area.nobody)):
                lines += [
                    StreetLine(
                        s.street_id,
                        s.name,
                        s.neighbourhood,
                        cover,
                        along(numbers.get(s.street_id, [])) or (points[s.street_id],),
                    )
                    for s in streets
                ]
        reports = await self._desk.open_report_points(OPEN_STATUSES)
        stored = await self._desk.area_figures()
        figures = {row.neighbourhood: (row.old_alone, row.adults) for row in stored}
        year, approximate = (stored[0].census_year if stored else None), False
        if not stored and self._settings.town.insee_code == SAMPLE_INSEE:
            sample = read_sample([n.name for n in self._settings.town.neighbourhoods])
            figures = {a.neighbourhood: (a.old_alone, a.adults) for a in sample.areas}
            year, approximate = sample.year, True
        areas = []
        for n in self._settings.town.neighbourhoods:
            mine = [line for line in lines if line.neighbourhood == n.name]
            alone, adults = figures.get(n.name, (None, None))
            areas.append(
                AreaRisk(
                    n.name,
                    (n.lat, n.lon),
                    alone,
                    alone / adults if alone is not None and adults else None,
                    len(mine),
                    sum(1 for line in mine if line.cover != "nobody"),
                    sum(1 for r in reports if r.neighbourhood == n.name),
                )
            )
        return TownMap(
            tuple(lines), tuple(reports), tuple(await self._desk.person_points()), tuple(areas), year, approximate
        )

    async def store_census(self, data: IrisImport) -> None:
        await self._desk.replace_area_figures(
            data.year, [(a.neighbourhood, a.adults, a.old, a.old_alone) for a in data.areas]
        )

    # --- the week ------------------------------------------------------------------------------------------
    async def week(self, year: int, iso_week: int) -> WeekMap | None:
        plan = await self._visits.plan_of_week(year, iso_week)
        if plan is None:
            return None
        visits = await self._visits.visits(plan.id, active_only=True)
        stops = {s.visit_id: s for s in await self._visits.stops([v.id for v in visits])} if visits else {}
        names = await self._visits.person_names([v.person_id for v in visits] + [u[0] for u in plan.unplanned])
        known = await self._desk.first_names(sorted({m for v in visits for m in v.pair}))
        first_names = defaultdict(lambda: "?", known)
        outings = []
        for group in group_outings(visits):
            head = group[0]
            outings.append(
                MapOuting(
                    head.slot_id,
                    head.day.isoformat(),
                    f"{self._calendar.meeting_time(head):%H:%M}",
                    (
                        (head.first_volunteer, first_names[head.first_volunteer]),
                        (head.second_volunteer, first_names[head.second_volunteer]),
                    ),
                    (head.first_answer.value, head.second_answer.value),
                    (head.meet_lat, head.meet_lon),
                    tuple(
                        MapStop(
                            v.id,
                            v.person_id,
                            names.get(v.person_id, "?"),
                            stops[v.id].address,
                            f"{v.arrival:%H:%M}",
                            stops[v.id].lat,
                            stops[v.id].lon,
                            v.status.value,
                        )
                        for v in group
                    ),
                    round(sum(v.walk_min for v in group), 1),
                )
            )
        left = tuple((names.get(person, "?"), missing, reason) for person, missing, reason in plan.unplanned)
        return WeekMap(plan, tuple(outings), left)

    # --- volunteers ----------------------------------------------------------------------------------------
    async def load_this_month(self) -> dict[int, int]:
        today = self._calendar.now().date()
        first = today.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return await self._desk.visits_between(first.isoformat(), last.isoformat())

    # --- a volunteer's outing -------------------------------------------------------------------------------
    async def outing(self, visit_id: int, volunteer: int) -> VolunteerOuting | None:
        """The outing of this visit, for a member of its pair, in a published week; None for anyone else."""
        group = await self._visits.outing(visit_id)
        if not group or volunteer not in group[0].pair:
            return None
        plan = await self._visits.plan(group[0].plan_id)
        if plan is None or plan.status is not PlanStatus.PUBLISHED:
            return None
        head = group[0]
        partner = await self._users.get(head.partner_of(volunteer))
        answer = head.answer_of(volunteer) or Answer.PENDING
        where = "hub" if head.meet_host is None else "yours" if head.meet_host == volunteer else "partner"
        return VolunteerOuting(
            head.id,
            head.day.isoformat(),
            f"{self._calendar.meeting_time(head):%H:%M}",
            partner.first_name if partner else "?",
            (head.meet_lat, head.meet_lon),
            where,
            self._settings.visits.hub_name,
            tuple(
                OutingStop(
                    s.position, f"{s.arrival:%H:%M}", first_name(s.name), s.address, s.access_notes, s.lat, s.lon
                )
                for s in await self._visits.stops([v.id for v in group])
            ),
            answer.value,
            answer is not Answer.DECLINED and self._calendar.start(head) > self._calendar.now(),
        )
