"""The grid finds the same nearest homes as measuring to everyone, and a point far from the town does not
walk thousands of empty rings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.places import Point
from bot.matching.distance import Projection
from bot.matching.spatial import NearestIndex

TOWN = st.builds(Point, st.floats(44.17, 44.24), st.floats(0.58, 0.66))
ANYWHERE = st.builds(Point, st.floats(-60, 60), st.floats(-170, 170))
PROJECTION = Projection.around([Point(44.2033, 0.6163)])


def squared(a: Point, b: Point) -> float:
    (ax, ay), (bx, by) = PROJECTION.xy(a), PROJECTION.xy(b)
    return (ax - bx) ** 2 + (ay - by) ** 2


@settings(max_examples=100)
@given(st.lists(TOWN, max_size=60), st.one_of(TOWN, ANYWHERE), st.integers(1, 8))
def test_nearest_matches_measuring_everyone(homes: list[Point], query: Point, k: int) -> None:
    index = NearestIndex(PROJECTION, [(str(i), h) for i, h in enumerate(homes)])
    found = [squared(homes[int(key)], query) for key in index.nearest(query, k)]
    assert found == sorted(squared(h, query) for h in homes)[:k]


def test_a_point_far_away_reads_the_grid_instead_of_its_rings() -> None:
    """Homes along one street make a grid of 50 m cells: a query 5,000 km away used to walk 100,000 rings
    (a stored week with a misplaced address never finished planning)."""
    homes = [(str(i), Point(44.2 + i * 1e-4, 0.6)) for i in range(200)]
    assert NearestIndex(PROJECTION, homes).nearest(Point(0.0, 0.0), 3) == ["0", "1", "2"]
