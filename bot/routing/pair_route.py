"""A pair's walking route for one half-day slot: from a meeting point through its visits.

Times are minutes from the slot start. A visit's window bounds when the pair rings at the door. The pair
does not walk back to the meeting point unless asked; the slot then ends with the last visit.

Visits that cannot fit are reported with the reason, in the order a coordinator would fix them: a visit
that is impossible on its own (too far for the walking budget, a window that cannot be reached, a visit
longer than what is left of the slot), else one that fits alone but not together with the others.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.places import Point
from bot.routing.exhaustive import applies, solve_exactly
from bot.routing.vrptw import Status, TimeWindow, VrptwProblem, solve
from bot.routing.walking import WalkingModel

_SECONDS = 60  # the solver works in whole seconds, rounded against the pair (walks up, windows inwards)


@dataclass(frozen=True, slots=True)
class Visit:
    id: str
    point: Point
    duration_min: float = 45.0
    window: tuple[float, float] | None = None  # earliest and latest time to ring, from the slot start

    def __post_init__(self) -> None:
        if self.duration_min < 0:
            raise ValueError("a visit cannot last less than nothing")
        if self.window is not None and self.window[0] > self.window[1]:
            raise ValueError("a window must open before it closes")


@dataclass(frozen=True, slots=True)
class PairRouteRequest:
    """matrix: walking minutes between [meeting_point, *visits], e.g. from OSRM; estimated when None."""

    meeting_point: Point
    visits: tuple[Visit, ...]
    slot_min: float
    max_walk_min: float
    walking: WalkingModel = field(default_factory=WalkingModel)
    matrix: Sequence[Sequence[float]] | None = None
    return_to_meeting_point: bool = False
    time_limit_s: float = 0.2
    every_order: bool = True
    """For a few doors, try every order (bot/routing/exhaustive.py) rather than search until the time limit."""

    def __post_init__(self) -> None:
        size = len(self.visits) + 1
        if self.matrix is not None and (len(self.matrix) != size or any(len(r) != size for r in self.matrix)):
            raise ValueError("matrix must be square over the meeting point and the visits")
        if len({visit.id for visit in self.visits}) != len(self.visits):
            raise ValueError("visit ids must be unique")


class Reason(StrEnum):
    TOO_FAR = "too_far"  # walking to it (and back) alone exceeds the walking budget
    TIME_WINDOW = "time_window"  # the pair cannot be at the door before its window closes
    SLOT_TOO_SHORT = "slot_too_short"  # the visit alone does not end before the slot does
    NO_ROOM = "no_room"  # possible alone, not with the other visits of the slot


@dataclass(frozen=True, slots=True)
class Stop:
    visit_id: str
    arrival_min: float  # when the pair rings, after any wait for the window to open
    departure_min: float
    walk_min: float  # the leg that leads here


@dataclass(frozen=True, slots=True)
class Unplaced:
    visit_id: str
    reason: Reason


@dataclass(frozen=True, slots=True)
class PairRoute:
    stops: tuple[Stop, ...]
    unplaced: tuple[Unplaced, ...]
    walk_back_min: float  # back to the meeting point; 0 when the route does not return
    end_min: float  # when the pair is done: last departure, or back at the meeting point

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(stop.visit_id for stop in self.stops)

    @property
    def walk_total_min(self) -> float:
        return sum(stop.walk_min for stop in self.stops) + self.walk_back_min

    @property
    def complete(self) -> bool:
        return not self.unplaced


@dataclass(frozen=True, slots=True)
class MeetingPoint:
    point: Point
    member: int | None  # index of the pair member whose home it is; None for the configured hub


def plan_pair_route(request: PairRouteRequest) -> PairRoute:
    points = [request.meeting_point, *(visit.point for visit in request.visits)]
    minutes = request.matrix if request.matrix is not None else request.walking.matrix(points)
    seconds = [[math.ceil(value * _SECONDS) for value in row] for row in minutes]
    unplaced = {
        visit.id: reason
        for node, visit in enumerate(request.visits, start=1)
        if (reason := _alone(request, seconds, node)) is not None
    }
    nodes = [0] + [n for n, visit in enumerate(request.visits, start=1) if visit.id not in unplaced]
    if len(nodes) == 1:
        return PairRoute((), _in_order(request, unplaced), 0.0, 0.0)
    problem = _problem(request, seconds, nodes)
    # A pair's few doors: every order tried, the optimum in a millisecond instead of a search to its limit.
    solution = solve_exactly(problem) if request.every_order and applies(problem) else solve(problem)
    if solution.status is Status.NO_SOLUTION:
        raise RuntimeError("no route within the time limit; give the solver more time")
    unplaced |= {request.visits[nodes[local] - 1].id: Reason.NO_ROOM for local in solution.dropped}
    if not solution.routes:
        return PairRoute((), _in_order(request, unplaced), 0.0, 0.0)
    route = solution.routes[0]
    stops: list[Stop] = []
    previous = 0
    for local, arrival in zip(route.nodes, route.arrivals, strict=True):
        node = nodes[local]
        visit = request.visits[node - 1]
        stops.append(
            Stop(visit.id, arrival / _SECONDS, arrival / _SECONDS + visit.duration_min, minutes[previous][node])
        )
        previous = node
    walk_back = minutes[previous][0] if request.return_to_meeting_point else 0.0
    return PairRoute(tuple(stops), _in_order(request, unplaced), walk_back, route.end / _SECONDS)


def choose_meeting_point(
    visits: Sequence[Point],
    homes: Sequence[Point],
    hub: Point | None = None,
    walking: WalkingModel | None = None,
) -> MeetingPoint:
    """The configured hub when there is one, else the home of the member with the least walking to the
    visits in total (the sum, not the nearest visit: the pair walks to all of them)."""
    if hub is not None:
        return MeetingPoint(hub, None)
    if not homes:
        raise ValueError("without a hub, the pair members' homes are needed")
    model = walking or WalkingModel()
    member = min(range(len(homes)), key=lambda i: sum(model.minutes(homes[i], visit) for visit in visits))
    return MeetingPoint(homes[member], member)


def _alone(request: PairRouteRequest, seconds: list[list[int]], node: int) -> Reason | None:
    visit = request.visits[node - 1]
    back = seconds[node][0] if request.return_to_meeting_point else 0
    if seconds[0][node] + back > math.floor(request.max_walk_min * _SECONDS):
        return Reason.TOO_FAR
    window = _window(visit)
    start = max(seconds[0][node], window.open if window else 0)
    if window is not None and start > window.close:
        return Reason.TIME_WINDOW
    if start + math.ceil(visit.duration_min * _SECONDS) + back > math.floor(request.slot_min * _SECONDS):
        return Reason.SLOT_TOO_SHORT
    return None


def _problem(request: PairRouteRequest, seconds: list[list[int]], nodes: list[int]) -> VrptwProblem:
    visits = [request.visits[node - 1] for node in nodes[1:]]
    budget = math.floor(request.max_walk_min * _SECONDS)
    return VrptwProblem(
        travel=[[seconds[a][b] for b in nodes] for a in nodes],
        service=[0, *(math.ceil(visit.duration_min * _SECONDS) for visit in visits)],
        windows=[TimeWindow(0, math.floor(request.slot_min * _SECONDS)), *(_window(v) for v in visits)],
        num_vehicles=1,
        return_to_depot=request.return_to_meeting_point,
        max_route_travel=budget,
        # Any visit is worth more than all the walking a slot allows: serve as many as possible first.
        drop_penalty=budget + 1,
        time_limit_s=request.time_limit_s,
    )


def _window(visit: Visit) -> TimeWindow | None:
    if visit.window is None:
        return None
    return TimeWindow(math.ceil(visit.window[0] * _SECONDS), math.floor(visit.window[1] * _SECONDS))


def _in_order(request: PairRouteRequest, unplaced: dict[str, Reason]) -> tuple[Unplaced, ...]:
    return tuple(Unplaced(visit.id, unplaced[visit.id]) for visit in request.visits if visit.id in unplaced)
