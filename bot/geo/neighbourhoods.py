"""Which neighbourhood (quartier) a point belongs to."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.places import Point


def nearest_neighbourhood(point: Point, neighbourhoods: Sequence[tuple[str, Point]]) -> str:
    """The name of the neighbourhood whose configured point is nearest; the first one on a tie.

    The outlines of Agen's 23 neighbourhoods are not published as open data, so each one is configured as
    a single point and the town is split into the cells nearest to each point. A coordinator who finds a
    street in the wrong neighbourhood moves that point a little; no map editing is needed.
    """
    if not neighbourhoods:
        raise ValueError("no neighbourhood configured")
    return min(neighbourhoods, key=lambda named: point.metres_to(named[1]))[0]
