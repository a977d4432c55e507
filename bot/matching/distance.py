"""Walking minutes fast enough for thousands of persons, and flat coordinates for nearest-neighbour search.

`WalkingModel.minutes` measures geodesically, about 190 µs a call on the reference machine, and planning
the L week needs about a million distances. Within a town a local projection with the WGS84 radii of
curvature at the town's latitude agrees with the geodesic to better than 0.1 % (tested), so for a
`WalkingModel` we keep its speed and circuity and measure on that projection. Any other callable is used
as given, behind a cache.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.places import Point
from bot.matching.week import WalkingFn
from bot.routing.walking import WalkingModel

_WGS84_A = 6_378_137.0
_WGS84_E2 = 6.694_379_990_14e-3


@dataclass(frozen=True, slots=True)
class Projection:
    """Metres east and north of the equator and meridian, scaled at one reference latitude."""

    metres_per_radian_lat: float
    metres_per_radian_lon: float

    @classmethod
    def around(cls, points: Iterable[Point]) -> Projection:
        lats = [p.lat for p in points]
        # The median: an address misplaced far away must not tilt the scale of the whole town.
        phi = math.radians(statistics.median(lats) if lats else 45.0)
        w = 1.0 - _WGS84_E2 * math.sin(phi) ** 2
        meridional = _WGS84_A * (1.0 - _WGS84_E2) / w**1.5
        normal = _WGS84_A / math.sqrt(w)
        return cls(meridional, normal * math.cos(phi))

    def xy(self, p: Point) -> tuple[float, float]:
        return (
            math.radians(p.lon) * self.metres_per_radian_lon,
            math.radians(p.lat) * self.metres_per_radian_lat,
        )


class FlatWalk:
    """A `WalkingModel`'s minutes, measured on the projection."""

    def __init__(self, model: WalkingModel, projection: Projection) -> None:
        self.per_metre = model.circuity / (model.speed_kmh * 1000.0 / 60.0)
        self._projection = projection
        self._flat: dict[Point, tuple[float, float]] = {}

    def xy(self, p: Point) -> tuple[float, float]:
        """Cached: the planner measures from the same few thousand points again and again."""
        if p not in self._flat:
            self._flat[p] = self._projection.xy(p)
        return self._flat[p]

    def __call__(self, a: Point, b: Point) -> float:
        (ax, ay), (bx, by) = self.xy(a), self.xy(b)
        return math.hypot(ax - bx, ay - by) * self.per_metre


def walking_minutes(walking: WalkingModel | WalkingFn, projection: Projection) -> WalkingFn:
    if isinstance(walking, WalkingModel):
        return FlatWalk(walking, projection)
    cache: dict[tuple[Point, Point], float] = {}

    def cached(a: Point, b: Point) -> float:
        key = (a, b)
        if key not in cache:
            cache[key] = walking(a, b)
        return cache[key]

    return cached
