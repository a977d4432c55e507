"""Walking time between points, estimated from the straight-line distance.

The defaults suit elderly volunteers walking in a small town:
- speed 4.0 km/h (1.1 m/s): Bohannon (1997, Age and Ageing 26:15-19) measured a comfortable gait of
  1.27-1.33 m/s for adults in their sixties and seventies; we take less because pairs walk together,
  cross streets and carry bags.
- circuity 1.3: the ratio of network to straight-line distance in European town centres is 1.2-1.4
  (Levinson & El-Geneidy 2009, Regional Science and Urban Economics 39:732-738; Boscoe et al. 2012).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.places import Point


@dataclass(frozen=True, slots=True)
class WalkingModel:
    speed_kmh: float = 4.0
    circuity: float = 1.3

    def minutes(self, a: Point, b: Point) -> float:
        metres = a.metres_to(b) * self.circuity
        return metres / (self.speed_kmh * 1000.0 / 60.0)

    def matrix(self, points: Sequence[Point]) -> list[list[float]]:
        """Symmetric matrix of walking minutes; computed once per pair of points."""
        n = len(points)
        result = [[0.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                result[i][j] = result[j][i] = self.minutes(points[i], points[j])
        return result
