"""Where a person lives, from what someone typed or pinned: the national address API behind a cache,
the town's imported streets and house numbers when the network is not there, and close matches to pick
from when neither is sure, so that nothing typed is ever dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.config import TownSettings
from bot.domain.places import GeocodedAddress, Point
from bot.geo.geocoder import Geocoder, OfflineGeocoder
from bot.geo.text import words
from bot.services.streets import StreetService
from bot.storage.geocache import GeocodeCache
from bot.storage.streets import StreetRepository

MAX_ADDRESS_CHARS = 200
_POSTCODE = re.compile(r"\b([0-9]{5})\b")


class LookupOutcome(StrEnum):
    FOUND = "found"
    OUTSIDE = "outside"
    NOTHING = "nothing"


@dataclass(frozen=True, slots=True)
class Address:
    label: str
    street_id: int
    neighbourhood: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Lookup:
    outcome: LookupOutcome
    choices: tuple[Address, ...] = ()


class AddressService:
    def __init__(
        self,
        streets: StreetService,
        street_repo: StreetRepository,
        cache: GeocodeCache,
        town: TownSettings,
        online: Geocoder | None,
    ) -> None:
        self._streets = streets
        self._street_repo = street_repo
        self._cache = cache
        self._town = town
        self._online = online

    async def lookup(self, text: str, limit: int = 5) -> Lookup:
        """Close matches inside the town, best first; OUTSIDE when the text names another postcode."""
        postcodes = set(_POSTCODE.findall(text))
        if postcodes and not postcodes & await self._cache.town_postcodes():
            return Lookup(LookupOutcome.OUTSIDE)
        query = " ".join(words(text[:MAX_ADDRESS_CHARS]))
        if not query:
            return Lookup(LookupOutcome.NOTHING)
        found = await self._cache.get(query)
        if found is None and self._online is not None:
            found = await self._online.geocode(text[:MAX_ADDRESS_CHARS], self._town.insee_code)
            if found:
                await self._cache.put(query, found)
        if not found:
            offline = OfflineGeocoder(self._streets.gazetteer, self._town.insee_code, limit)
            found = await offline.geocode(text[:MAX_ADDRESS_CHARS], self._town.insee_code)
        choices: list[Address] = []
        for address in found[:limit]:
            known = self._place(address)
            if known is not None and known not in choices:
                choices.append(known)
        return Lookup(LookupOutcome.FOUND if choices else LookupOutcome.NOTHING, tuple(choices))

    def _place(self, address: GeocodedAddress) -> Address | None:
        """The API's answer tied to one of our streets, for its neighbourhood and its watchers."""
        matches = self._streets.gazetteer.search(address.street_name, limit=1)
        if not matches:
            return None
        street = matches[0].street
        return Address(address.label, street.id, street.neighbourhood, address.point.lat, address.point.lon)

    async def at_pin(self, point: Point) -> Address | None:
        """The street at a location pin, or None when the pin is outside the town."""
        choice = await self._streets.locate(point)
        if choice is None:
            return None
        return Address(choice.name, choice.id, choice.neighbourhood, point.lat, point.lon)

    async def watched_by(self, telegram_id: int) -> list[Address]:
        """The streets this caring neighbour watches, to report from "my street" in one tap."""
        watched = {w.street_id for w in await self._street_repo.watched_by(telegram_id)}
        found = [await self.of_street(street_id) for street_id in sorted(watched)]
        return [address for address in found if address is not None]

    async def of_street(self, street_id: int) -> Address | None:
        street = next((s for s in self._streets.gazetteer.streets if s.id == street_id), None)
        if street is None:
            return None
        return Address(street.name, street.id, street.neighbourhood, street.point.lat, street.point.lon)
