"""The generated weeks have the shape the benchmark relies on, and the same seed gives the same week."""

from __future__ import annotations

from collections import Counter

from bot.matching import AGEN_NEIGHBOURHOODS, Kind, generate_week
from bot.matching.generator import NEIGHBOURHOOD_RADIUS_M


def test_sizes_grid_and_seed() -> None:
    week = generate_week("M", 7)
    assert (len(week.volunteers), len(week.persons), len(week.slots)) == (150, 400, 12)
    assert generate_week("M", 7) == week
    assert generate_week("M", 8) != week


def test_shares_and_availability() -> None:
    week = generate_week("M", 1)
    kinds = Counter(v.kind for v in week.volunteers)
    assert 0.15 < kinds[Kind.SERVICE_CIVIQUE] / len(week.volunteers) < 0.35
    others = [v for v in week.volunteers if v.kind is not Kind.SERVICE_CIVIQUE]
    assert 0.35 < sum(v.experienced for v in others) / len(others) < 0.65
    slot_counts = Counter(len(v.slot_ids) for v in week.volunteers)
    assert sum(slot_counts[n] for n in (2, 3, 4)) / len(week.volunteers) > 0.6
    saturday = {s.id for s in week.slots if s.day.weekday() == 5}
    assert all(not v.slot_ids & saturday for v in week.volunteers if v.kind is Kind.SERVICE_CIVIQUE)
    assert all(p.visits_due == 1 for p in week.persons)
    assert {h.weeks_ago for h in week.history} == set(range(1, 7))


def test_points_lie_in_the_neighbourhoods() -> None:
    week = generate_week("S", 3)
    points = [p.location for p in week.persons] + [v.home for v in week.volunteers if v.home]
    for point in points:
        nearest = min(point.metres_to(centre) for _, centre in AGEN_NEIGHBOURHOODS)
        assert nearest <= NEIGHBOURHOOD_RADIUS_M + 5
