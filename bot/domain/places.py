"""A point on the map, the one geographic type shared by every layer, an address a geocoder found, and an
address as someone gave it."""

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


@dataclass(frozen=True, slots=True)
class Address:
    """Where someone lives, as it is shown and stored: the label keeps the house number typed; the street,
    its neighbourhood and the point are known when the address was found in the town (a pin, a match), and
    absent when it was kept as typed."""

    label: str
    street_id: int | None = None
    neighbourhood: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class AddressChoices:
    """What typed text found inside the town, best first; none at all when nothing matched (what was typed
    may still be kept: the coordination reads it)."""

    typed: str
    choices: tuple[Address, ...]


@dataclass(frozen=True, slots=True)
class OutsideTown:
    """A pin, or a postcode typed, that is not in the town."""
