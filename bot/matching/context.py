"""The week as the planners read it: lookups, usable slots, and the hard rules every planner shares
(who may pair with whom, how far a pair may walk, how many visits fit in a slot)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from bot.domain.places import Point
from bot.matching.distance import FlatWalk, Projection, walking_minutes
from bot.matching.plan import Pair, pair_of
from bot.matching.week import Person, Slot, Volunteer, Week, may_pair

_EPSILON = 1e-9


class WeekContext:
    def __init__(self, week: Week) -> None:
        self.week = week
        self.parameters = week.parameters
        self.weights = week.weights
        self.slots: dict[str, Slot] = {s.id: s for s in week.slots}
        self.slot_order: tuple[str, ...] = tuple(s.id for s in week.slots)
        self.volunteers: dict[str, Volunteer] = {v.id: v for v in week.volunteers}
        self.persons: dict[str, Person] = {p.id: p for p in week.persons}
        self.usable: dict[str, frozenset[str]] = {
            v.id: frozenset(s for s in v.slot_ids if not any(self.slots[s].day in r for r in v.absences))
            for v in week.volunteers
        }
        self.free_at: dict[str, tuple[str, ...]] = {
            s: tuple(v.id for v in week.volunteers if s in self.usable[v.id]) for s in self.slot_order
        }
        self.known: dict[str, frozenset[str]] = {
            p.id: frozenset(k for k in p.known_volunteer_ids if k in self.volunteers) for p in week.persons
        }
        window = self.parameters.rotation_window_weeks
        self.recent_pairs: frozenset[Pair] = frozenset(
            pair_of(h.first, h.second) for h in week.history if 0 <= h.weeks_ago <= window
        )
        points = [p.location for p in week.persons] + [v.home for v in week.volunteers if v.home]
        self.projection = Projection.around(points)
        self.walk = walking_minutes(week.walking, self.projection)
        able = [v for v in week.volunteers if self.usable[v.id]]
        self._homes = [(v.id, v.home) for v in able if v.home is not None]
        self._homeless = [v.id for v in able if v.home is None]
        self._home_xy = [(v, self.walk.xy(h)) for v, h in self._homes] if isinstance(self.walk, FlatWalk) else []
        self.fair_percent = _fair_percent(week, self.usable)
        self._from_home: dict[tuple[str, Point], float | None] = {}
        self.routes: dict[tuple[Pair, tuple[Point, ...]], tuple[float, tuple[int, ...]]] = {}
        """Memo of `walking_metric.route`: the search prices the same pair-slots again and again."""

    def declined(self, volunteer_id: str, slot_id: str, person_id: str) -> bool:
        return (volunteer_id, slot_id, person_id) in self.week.declined

    def may_pair(self, a: str, b: str) -> bool:
        return may_pair(self.volunteers[a], self.volunteers[b])

    def from_home(self, volunteer_id: str, point: Point) -> float | None:
        """Minutes from the volunteer's home to the point, None if the home is unknown (cached: the
        candidate search asks for the same ones slot after slot)."""
        key = (volunteer_id, point)
        try:
            return self._from_home[key]
        except KeyError:
            home = self.volunteers[volunteer_id].home
            minutes = None if home is None else self.walk(home, point)
            self._from_home[key] = minutes
            return minutes

    def approach(self, pair: Pair, point: Point) -> float:
        """Minutes from the pair's nearer home to the point. A pair with no known home is charged half the
        walking limit: where it comes from is unknown, and charging nothing would favour it."""
        legs = [m for m in (self.from_home(v, point) for v in pair) if m is not None]
        return min(legs, default=self.parameters.max_walk_minutes / 2)

    @property
    def walk_limit(self) -> float:
        """The walking limit as every planner compares with it: a walk computed a hair above the limit by
        floating point is within it, the same for each of them."""
        return self.parameters.max_walk_minutes + _EPSILON

    def reachable(self, pair: Pair, point: Point) -> bool:
        return self.approach(pair, point) <= self.walk_limit

    def by_distance(self, point: Point) -> list[tuple[float, str]]:
        """Volunteers free at least once, nearest home first, as (minutes, id). A volunteer whose home is
        unknown ranks at half the walking limit, after the neighbours and before those out of reach.
        Not cached: the greedy pass asks once per visit, for every volunteer."""
        unknown = self.parameters.max_walk_minutes / 2
        if isinstance(self.walk, FlatWalk):
            x, y = self.walk.xy(point)
            per_metre = self.walk.per_metre
            ranked = [(math.hypot(hx - x, hy - y) * per_metre, v) for v, (hx, hy) in self._home_xy]
        else:
            ranked = [(self.walk(h, point), v) for v, h in self._homes]
        ranked += [(unknown, v) for v in self._homeless]
        ranked.sort()
        return ranked

    def max_visits(self, slot_id: str, hop: float) -> int:
        """Most visits one pair can make in the slot when no two of them are more than `hop` minutes apart.

        Conservative: k visits in any order walk at most (k-1)*hop between them, so k fit when
        k*visit + (k-1)*hop <= slot length and (k-1)*hop <= the walking limit. The routing module orders
        them later and can only walk less.
        """
        visit = self.parameters.visit_minutes
        length = self.slots[slot_id].minutes
        k = int((length + _EPSILON) // visit)
        while k > 1 and (k * visit + (k - 1) * hop > length + _EPSILON or (k - 1) * hop > self.walk_limit):
            k -= 1
        return k

    def hop(self, a: Point, b: Point) -> float:
        """The longer way between two visits (a walking model is symmetric, a given callable may not be)."""
        there = self.walk(a, b)
        return there if isinstance(self.walk, FlatWalk) else max(there, self.walk(b, a))

    def fits(self, slot_id: str, points: Sequence[Point]) -> bool:
        if len(points) <= 1:
            return True
        longest = max(self.hop(a, b) for a, b in itertools.combinations(points, 2))
        return self.max_visits(slot_id, longest) >= len(points)


def _fair_percent(week: Week, usable: dict[str, frozenset[str]]) -> int:
    """The load/capacity every volunteer would have if the due visits were spread evenly."""
    demand = 2 * sum(p.visits_due for p in week.persons)
    supply = sum(v.capacity for v in week.volunteers if usable[v.id])
    return 100 if supply == 0 else min(100, math.ceil(100 * demand / supply))
