"""Nearest homes without measuring the distance to everyone: a grid of square cells on the flat projection."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence

from bot.geo.point import Point
from bot.matching.distance import Projection


class NearestIndex:
    def __init__(
        self, projection: Projection, items: Sequence[tuple[str, Point]], cell_metres: float = 400.0
    ) -> None:
        self._projection = projection
        self._cell = cell_metres
        self._cells: dict[tuple[int, int], list[tuple[str, float, float]]] = defaultdict(list)
        for key, point in items:
            x, y = projection.xy(point)
            self._cells[self._cell_of(x, y)].append((key, x, y))
        xs = [c[0] for c in self._cells] or [0]
        ys = [c[1] for c in self._cells] or [0]
        self._box = (min(xs), max(xs), min(ys), max(ys))

    def _cell_of(self, x: float, y: float) -> tuple[int, int]:
        return (math.floor(x / self._cell), math.floor(y / self._cell))

    def nearest(self, point: Point, k: int, accept: Callable[[str], bool]) -> list[str]:
        """The k accepted keys nearest to the point, nearest first (fewer if there are not that many)."""
        x, y = self._projection.xy(point)
        cx, cy = self._cell_of(x, y)
        found: list[tuple[float, str]] = []
        ring = 0
        x0, x1, y0, y1 = self._box
        last_ring = max(abs(cx - x0), abs(cx - x1), abs(cy - y0), abs(cy - y1))
        while ring <= last_ring:
            for cell in _ring(cx, cy, ring):
                for key, kx, ky in self._cells.get(cell, ()):
                    if accept(key):
                        found.append((math.hypot(kx - x, ky - y), key))
            found.sort()
            # Anything in ring r+1 lies at least r cells away: once k are found that near, stop.
            if len(found) >= k and found[k - 1][0] <= ring * self._cell:
                break
            ring += 1
        return [key for _, key in found[:k]]


def _ring(cx: int, cy: int, r: int) -> list[tuple[int, int]]:
    if r == 0:
        return [(cx, cy)]
    top = [(cx + dx, cy + r) for dx in range(-r, r + 1)]
    bottom = [(cx + dx, cy - r) for dx in range(-r, r + 1)]
    sides = [(cx + s * r, cy + dy) for s in (-1, 1) for dy in range(-r + 1, r)]
    return top + bottom + sides
