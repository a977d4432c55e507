"""Where a person lives, from what someone typed or pinned: the national address API behind a cache,
the town's imported streets and house numbers when the network is not there, and close matches to pick
from when neither is sure, so that nothing typed is ever dropped (the house number typed neither)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.config import TownSettings
from bot.domain.places import Address, AddressChoices, GeocodedAddress, OutsideTown, Point
from bot.domain.texts import NoWords, TooLong, Written, written
from bot.geo.gazetteer import house_number_in
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
class Lookup:
    outcome: LookupOutcome
    choices: tuple[Address, ...] = ()


AddressOutcome = AddressChoices | OutsideTown | TooLong | NoWords


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

    async def read(self, text: str) -> AddressOutcome:
        """An address as someone typed it: refused when too long or with no words in it, outside the town
        when it names another postcode, else the close matches inside the town to pick from."""
        typed = written(text, MAX_ADDRESS_CHARS)
        if not isinstance(typed, Written):
            return typed
        found = await self.lookup(typed.text)
        if found.outcome == LookupOutcome.OUTSIDE:
            return OutsideTown()
        return AddressChoices(typed.text, found.choices)

    async def lookup(self, text: str, limit: int = 5) -> Lookup:
        """Close matches inside the town, best first; OUTSIDE when the text names another postcode."""
        postcodes = set(_POSTCODE.findall(text))
        # Only where the streets know their postcodes (the BAN's do, a plain list may not).
        town_codes = await self._cache.town_postcodes() - {""}
        if postcodes and town_codes and not postcodes & town_codes:
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
        number = house_number_in(text[:MAX_ADDRESS_CHARS])
        choices: list[Address] = []
        for address in found[:limit]:
            known = self._place(address, number)
            if known is not None and known not in choices:
                choices.append(known)
        return Lookup(LookupOutcome.FOUND if choices else LookupOutcome.NOTHING, tuple(choices))

    def _place(self, address: GeocodedAddress, number: str | None) -> Address | None:
        """The answer tied to one of our streets, for its neighbourhood and its watchers. A house number the
        source does not know is kept as typed in front of the street (the point is then the street's)."""
        matches = self._streets.gazetteer.search(address.street_name, limit=1)
        if not matches:
            return None
        street = matches[0].street
        label = address.label if address.house_number or number is None else f"{number} {address.label}"
        return Address(label, street.id, street.neighbourhood, address.point.lat, address.point.lon)

    async def at_pin(self, point: Point) -> Address | OutsideTown:
        """The street at a location pin, with the pin's point."""
        choice = await self._streets.locate(point)
        if choice is None:
            return OutsideTown()
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
