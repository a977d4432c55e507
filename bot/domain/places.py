"""A point on the map, the one geographic type shared by every layer, and an address a geocoder found."""

from __future__ import annotations

from dataclasses import dataclass

from geopy.distance import geodesic


@dataclass(frozen=True, slots=True)
class Point:
    lat: float
    lon: float

    def metres_to(self, other: Point) -> float:
        return float(geodesic((self.lat, self.lon), (other.lat, other.lon)).meters)


@dataclass(frozen=True, slots=True)
class GeocodedAddress:
    label: str
    point: Point
    street_name: str
    house_number: str | None
    # Relevance from 0 to 1 as the source ranks it.
    score: float
