"""The one walking figure by which every plan is judged, ours and the greedy baseline's alike, and which
the objective minimises.

A pair meets at the home of one of its members and walks through its visits; the figure is the shortest
such walk, over both homes and every order of the visits (at most six orders for the three visits a slot
usually holds; beyond six visits, nearest-neighbour order from each start). A pair with no known home is
charged half the walking limit to its first visit (`WeekContext.approach`). The walk back home is not
counted. The routing module later fixes the published
route, with time windows; this figure is the yardstick for comparing plans.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from bot.domain.places import Point
from bot.matching.context import WeekContext
from bot.matching.plan import Pair

_EXACT_UP_TO = 6


def route(ctx: WeekContext, pair: Pair, points: Sequence[Point]) -> tuple[float, tuple[int, ...]]:
    """Minutes walked and the order of the visits (indices into `points`)."""
    if not points:
        return 0.0, ()
    key = (pair, tuple(points))
    if key not in ctx.routes:
        ctx.routes[key] = min((_length(ctx, pair, points, o), o) for o in _orders(ctx, points))
    return ctx.routes[key]


def _length(ctx: WeekContext, pair: Pair, points: Sequence[Point], order: tuple[int, ...]) -> float:
    legs = sum(ctx.walk(points[i], points[j]) for i, j in itertools.pairwise(order))
    return ctx.approach(pair, points[order[0]]) + legs


def _orders(ctx: WeekContext, points: Sequence[Point]) -> Iterable[tuple[int, ...]]:
    if len(points) <= _EXACT_UP_TO:
        return itertools.permutations(range(len(points)))
    return (_nearest_neighbour(ctx, start, points) for start in range(len(points)))


def _nearest_neighbour(ctx: WeekContext, start: int, points: Sequence[Point]) -> tuple[int, ...]:
    order = [start]
    left = set(range(len(points))) - {start}
    while left:
        here = points[order[-1]]
        nearest = min(left, key=lambda i: (ctx.walk(here, points[i]), i))
        order.append(nearest)
        left.remove(nearest)
    return tuple(order)
