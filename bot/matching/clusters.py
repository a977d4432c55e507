"""Cutting the town into compact parts of at most a given number of persons, for the neighbourhood search
of `planner`: persons are visited by pairs living near them, so a compact part is almost a problem of its
own."""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.matching.context import WeekContext

PART_PERSONS = 30
"""Measured on the generator's M week: a part this size is solved to optimality in a fraction of a
second, and smaller parts make the search spend more time building models than solving them."""


def split(ctx: WeekContext, person_ids: Sequence[str], max_size: int, angle: float = 0.0) -> list[list[str]]:
    """Halve along the wider side at the median, recursively, in axes turned by `angle` (radians), so that
    successive cuttings do not share their borders. Parts come half after half."""
    cos, sin = math.cos(angle), math.sin(angle)
    xy = {}
    for p in person_ids:
        x, y = ctx.projection.xy(ctx.persons[p].location)
        xy[p] = (x * cos - y * sin, x * sin + y * cos)
    return _halve(list(person_ids), xy, max_size)


def _halve(person_ids: list[str], xy: dict[str, tuple[float, float]], max_size: int) -> list[list[str]]:
    if len(person_ids) <= max_size:
        return [person_ids] if person_ids else []
    spans = [max(xy[p][axis] for p in person_ids) - min(xy[p][axis] for p in person_ids) for axis in (0, 1)]
    axis = 0 if spans[0] >= spans[1] else 1
    ordered = sorted(person_ids, key=lambda p: (xy[p][axis], p))
    half = len(ordered) // 2
    return _halve(ordered[:half], xy, max_size) + _halve(ordered[half:], xy, max_size)
