"""The fast walking estimate agrees with the geodesic one, and the walking figure takes the shortest walk."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.places import Point
from bot.matching import Parameters, Person, Volunteer, Week
from bot.matching.context import WeekContext
from bot.matching.distance import Projection, walking_minutes
from bot.matching.walking_metric import route
from bot.matching.week import Kind
from bot.routing.walking import WalkingModel
from tests.test_matching_support import ALL_SLOTS, near_centre, walk

AGEN = st.builds(Point, st.floats(44.17, 44.24), st.floats(0.58, 0.66))


@settings(max_examples=200)
@given(AGEN, AGEN)
def test_projection_agrees_with_the_geodesic_within_a_town(a: Point, b: Point) -> None:
    model = WalkingModel()
    fast = walking_minutes(model, Projection.around([Point(44.2033, 0.6163)]))
    assert math.isclose(fast(a, b), model.minutes(a, b), rel_tol=1e-3, abs_tol=1e-3)


def test_the_walk_starts_from_the_nearer_home_and_takes_the_shortest_order() -> None:
    homes = {"a": near_centre(0, 0), "b": near_centre(0, 3_000)}
    stops = [near_centre(0, 2_700), near_centre(0, 2_400), near_centre(0, 2_900)]
    week = Week(
        slots=ALL_SLOTS[:1],
        volunteers=tuple(Volunteer(v, Kind.BENEVOLE, True, frozenset(), 1, home) for v, home in homes.items()),
        persons=tuple(Person(f"p{i}", where) for i, where in enumerate(stops)),
        walking=walk,
        parameters=Parameters(),
    )
    minutes, order = route(WeekContext(week), ("a", "b"), stops)
    # From b's home, 3,000 m east: 100 m to the first stop, then 500 m west to the last; at 60 m/min.
    assert order == (2, 0, 1)
    assert math.isclose(minutes, 600 / 60)
