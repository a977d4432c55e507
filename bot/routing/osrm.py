"""Walking minutes along real streets from an OSRM `table` service, with the straight-line estimate as a
fallback whenever no service is configured or it does not answer properly.

OSRM's foot profile walks at 5 km/h; its durations are rescaled to the pace of our WalkingModel so both
sources describe the same elderly pair.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import httpx

from bot.domain.places import Point
from bot.routing.walking import WalkingModel

log = logging.getLogger(__name__)

OSRM_FOOT_SPEED_KMH = 5.0  # walking_speed in OSRM's profiles/foot.lua


class MatrixSource(StrEnum):
    OSRM = "osrm"
    ESTIMATE = "estimate"  # straight line times circuity, bot.routing.walking


@dataclass(frozen=True, slots=True)
class WalkingMatrix:
    minutes: list[list[float]]
    source: MatrixSource
    fallback_reason: str | None = None  # why the estimate was used although a service was configured


@dataclass(frozen=True, slots=True)
class OsrmSettings:
    base_url: str | None = None  # e.g. http://127.0.0.1:5000; None means estimate only
    timeout_s: float = 3.0
    profile_speed_kmh: float = OSRM_FOOT_SPEED_KMH
    walking: WalkingModel = field(default_factory=WalkingModel)


async def walking_matrix(points: Sequence[Point], settings: OsrmSettings) -> WalkingMatrix:
    if settings.base_url is None or len(points) < 2:
        return WalkingMatrix(settings.walking.matrix(points), MatrixSource.ESTIMATE)
    try:
        seconds = await _table(points, settings)
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        log.warning("OSRM table failed (%s); using the straight-line walking estimate", reason)
        return WalkingMatrix(settings.walking.matrix(points), MatrixSource.ESTIMATE, reason)
    pace = settings.profile_speed_kmh / settings.walking.speed_kmh
    return WalkingMatrix([[value / 60 * pace for value in row] for row in seconds], MatrixSource.OSRM)


async def _table(points: Sequence[Point], settings: OsrmSettings) -> list[list[float]]:
    coordinates = ";".join(f"{point.lon:.6f},{point.lat:.6f}" for point in points)
    url = f"{(settings.base_url or '').rstrip('/')}/table/v1/foot/{coordinates}"
    async with httpx.AsyncClient(timeout=settings.timeout_s) as client:
        response = await client.get(url, params={"annotations": "duration"})
    response.raise_for_status()
    body = response.json()
    if not isinstance(body, dict) or body.get("code") != "Ok":
        raise ValueError(f"OSRM did not answer Ok: {str(body)[:120]}")
    durations = body["durations"]
    n = len(points)
    # OSRM answers null for a pair it cannot route (a point off the network): no half-real matrix.
    if len(durations) != n or any(len(row) != n or None in row for row in durations):
        raise ValueError("OSRM durations are incomplete")
    return [[float(value) for value in row] for row in durations]
