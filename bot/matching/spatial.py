"""Nearest homes without measuring the distance to everyone: a grid of square cells on the flat projection."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from bot.domain.places import Point
from bot.matching.distance import Projection

_PER_CELL = 4
"""Items per cell on average: a query for a handful then reads a few cells."""


class NearestIndex:
    def __init__(self, projection: Projection, items: Sequence[tuple[str, Point]]) -> None:
        self._projection = projection
        placed = [(key, *projection.xy(point)) for key, point in items]
        xs = [x for _, x, _ in placed] or [0.0]
        ys = [y for _, _, y in placed] or [0.0]
        area = max(1.0, (max(xs) - min(xs)) * (max(ys) - min(ys)))
        self._cell = max(50.0, math.sqrt(area * _PER_CELL / max(1, len(placed))))
        self._cells: dict[tuple[int, int], list[tuple[str, float, float]]] = defaultdict(list)
        for key, x, y in placed:
            self._cells[self._cell_of(x, y)].append((key, x, y))
        cells = list(self._cells) or [(0, 0)]
        self._box = (
            min(c[0] for c in cells),
            max(c[0] for c in cells),
            min(c[1] for c in cells),
            max(c[1] for c in cells),
        )

    def _cell_of(self, x: float, y: float) -> tuple[int, int]:
        return (math.floor(x / self._cell), math.floor(y / self._cell))

    def nearest(self, point: Point, k: int) -> list[str]:
        """The k keys nearest to the point, nearest first (fewer if there are not that many)."""
        x, y = self._projection.xy(point)
        cx, cy = self._cell_of(x, y)
        x0, x1, y0, y1 = self._box
        first_ring = max(x0 - cx, cx - x1, y0 - cy, cy - y1, 0)
        last_ring = max(abs(cx - x0), abs(cx - x1), abs(cy - y0), abs(cy - y1))
        found: list[tuple[float, str]] = []
        for ring in range(first_ring, last_ring + 1):
            if 8 * ring > len(self._cells):
                # Rings this wide hold more cells than the grid has: reading every item is cheaper (a
                # point far from the town would otherwise walk thousands of empty rings).
                found = [
                    ((kx - x) ** 2 + (ky - y) ** 2, key) for items in self._cells.values() for key, kx, ky in items
                ]
                break
            for cell in _ring(cx, cy, ring):
                found.extend(((kx - x) ** 2 + (ky - y) ** 2, key) for key, kx, ky in self._cells.get(cell, ()))
            # Anything in ring r+1 lies at least r cells away: once k are found that near, stop.
            if len(found) >= k:
                found.sort()
                if found[k - 1][0] <= (ring * self._cell) ** 2:
                    break
        found.sort()
        return [key for _, key in found[:k]]


def _ring(cx: int, cy: int, r: int) -> list[tuple[int, int]]:
    if r == 0:
        return [(cx, cy)]
    top = [(cx + dx, cy + r) for dx in range(-r, r + 1)]
    bottom = [(cx + dx, cy - r) for dx in range(-r, r + 1)]
    sides = [(cx + s * r, cy + dy) for s in (-1, 1) for dy in range(-r + 1, r)]
    return top + bottom + sides
