"""From the planner's outings (a pair, a slot, whom they visit) to walking routes with a meeting point and
the time to ring at each door: pure functions over the routing module."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.config import PlanningSettings, VisitSettings
from bot.domain.places import Point
from bot.matching.week import Slot
from bot.routing.pair_route import PairRouteRequest, Visit, choose_meeting_point, plan_pair_route
from bot.routing.walking import WalkingModel
from bot.storage.visits import NewVisit, VisitRecord


@dataclass(frozen=True, slots=True)
class RoutedStop:
    person_id: int
    arrival: time
    departure: time
    walk_min: float


@dataclass(frozen=True, slots=True)
class RoutedOuting:
    slot_id: str
    day: date
    pair: tuple[int, int]
    meet: Point
    meet_host: int | None
    stops: tuple[RoutedStop, ...]
    unplaced: tuple[tuple[int, str], ...]  # person id, the routing's reason


@dataclass(frozen=True, slots=True)
class RouteRules:
    visit_minutes: float
    max_walk_minutes: float
    walking: WalkingModel
    hub: Point | None
    time_limit_s: float = 0.2
    every_order: bool = True
    """Try every order of a few doors (the optimum at once) before searching; off only to compare."""


def route_rules(planning: PlanningSettings, visits: VisitSettings) -> RouteRules:
    """The rules of a pair's route as the town configured them."""
    return RouteRules(
        planning.visit_minutes,
        planning.max_walk_minutes,
        WalkingModel(planning.walking_speed_kmh, planning.walking_circuity),
        visits.hub,
    )


def clock_time(slot: Slot, minutes: float) -> time:
    """The time of day so many minutes into the slot, to the minute."""
    return (datetime.combine(slot.day, slot.start) + timedelta(minutes=round(minutes))).time()


def route_outing(
    slot: Slot,
    pair: tuple[int, int],
    persons: Sequence[tuple[int, Point]],
    homes: Mapping[int, Point],
    rules: RouteRules,
) -> RoutedOuting:
    """Meet at the hub, else at the home of the member with less walking, else (no home known) at the
    first door; then the route the solver finds, with the time to ring at each door."""
    points = [point for _, point in persons]
    members = [member for member in pair if member in homes]
    if rules.hub is not None or members:
        chosen = choose_meeting_point(points, [homes[m] for m in members], rules.hub, rules.walking)
        meet, host = chosen.point, (members[chosen.member] if chosen.member is not None else None)
    else:
        meet, host = points[0], None
    request = PairRouteRequest(
        meeting_point=meet,
        visits=tuple(Visit(str(person_id), point, rules.visit_minutes) for person_id, point in persons),
        slot_min=slot.minutes,
        max_walk_min=rules.max_walk_minutes,
        walking=rules.walking,
        time_limit_s=rules.time_limit_s,
        every_order=rules.every_order,
    )
    route = plan_pair_route(request)
    stops = tuple(
        RoutedStop(
            int(stop.visit_id), clock_time(slot, stop.arrival_min), clock_time(slot, stop.departure_min), stop.walk_min
        )
        for stop in route.stops
    )
    unplaced = tuple((int(u.visit_id), u.reason.value) for u in route.unplaced)
    return RoutedOuting(slot.id, slot.day, pair, meet, host, stops, unplaced)


def append_stops(
    slot: Slot,
    last: tuple[Point, time],
    persons: Sequence[tuple[int, Point]],
    rules: RouteRules,
) -> tuple[RoutedStop, ...]:
    """New visits after the last one of a route already published: the published times do not move."""
    here, leaving = last
    start = datetime.combine(slot.day, slot.start)
    minutes = (datetime.combine(slot.day, leaving) - start).total_seconds() / 60
    stops = []
    for person_id, point in persons:
        walk = rules.walking.minutes(here, point)
        arrival = minutes + walk
        minutes = arrival + rules.visit_minutes
        stops.append(RoutedStop(person_id, clock_time(slot, arrival), clock_time(slot, minutes), walk))
        here = point
    return tuple(stops)


def osm_walk(origin: Point, destination: Point) -> str:
    """OpenStreetMap's directions on foot between two points (its page takes only a start and an end)."""
    return (
        "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot"
        f"&route={origin.lat:.6f},{origin.lon:.6f};{destination.lat:.6f},{destination.lon:.6f}"
    )


def first_name(full_name: str) -> str:
    """What a visiting pair calls the person: the first name; for "Mme Martin", the title and an initial,
    so the full name never reaches them."""
    words = full_name.split()
    if not words:
        return "?"
    if words[0].rstrip(".").lower() in {"mme", "m", "mr", "mrs", "ms", "mlle", "madame", "monsieur", "mademoiselle"}:
        return f"{words[0]} {words[1][0]}." if len(words) > 1 else words[0]
    return words[0]


def group_outings(visits: Iterable[VisitRecord]) -> list[list[VisitRecord]]:
    """Visits grouped by pair and slot, in walking order (the repository returns them sorted)."""
    groups: dict[tuple[int, str, int, int], list[VisitRecord]] = {}
    for visit in visits:
        groups.setdefault(visit.outing_key, []).append(visit)
    return list(groups.values())


def visit_rows(
    outing: RoutedOuting, first_position: int = 1, replaces: Mapping[int, int] | None = None
) -> list[NewVisit]:
    """The routed outing's stops as visits to store; `replaces` names, per person, the visit each one replaces."""
    return [
        NewVisit(
            stop.person_id,
            outing.slot_id,
            outing.day,
            outing.pair,
            first_position + index,
            stop.arrival,
            stop.departure,
            stop.walk_min,
            (outing.meet.lat, outing.meet.lon),
            outing.meet_host,
            (replaces or {}).get(stop.person_id),
        )
        for index, stop in enumerate(outing.stops)
    ]
