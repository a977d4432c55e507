"""Turning typed address text into points: the national address API when the network is there, the
offline gazetteer otherwise (and in every test).
"""

from __future__ import annotations

import asyncio
import logging
import re
import unicodedata
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlencode

from geopy.geocoders import BANFrance

from bot.domain.places import GeocodedAddress, Point
from bot.geo.gazetteer import Gazetteer

logger = logging.getLogger(__name__)

# The API refuses queries shorter than 3 or longer than 200 characters, or not starting with a letter or
# digit; sending them would only earn an HTTP error.
_MIN_QUERY_CHARS = 3
_MAX_QUERY_CHARS = 200
_LEADING_NOISE = re.compile(r"^[\W_]+")
# A "municipality" result is the whole town's centre: useless for finding a person's door.
_ADDRESS_TYPES = frozenset({"housenumber", "street", "locality"})


class Geocoder(Protocol):
    async def geocode(self, address_text: str, town_insee: str) -> list[GeocodedAddress]: ...


class _BanFranceInTown(BANFrance):  # type: ignore[misc]  # geopy ships no type hints
    """BANFrance with the API's citycode filter, which geopy's geocode() does not expose."""

    def search(self, query: str, citycode: str, limit: int) -> Any:
        params = {"q": query, "citycode": citycode, "limit": limit}
        url = f"{self.geocode_api}?{urlencode(params)}"
        return self._call_geocoder(url, lambda response: response)


class BanGeocoder:
    """The Base Adresse Nationale API (api-adresse.data.gouv.fr) through geopy, restricted to one town."""

    def __init__(
        self,
        *,
        timeout_s: float = 3.0,
        limit: int = 5,
        user_agent: str = "lien-bot",
        domain: str = "api-adresse.data.gouv.fr",
        adapter_factory: Callable[..., Any] | None = None,
    ) -> None:
        self._timeout_s = timeout_s
        self._limit = limit
        self._client = _BanFranceInTown(
            domain=domain, timeout=timeout_s, user_agent=user_agent, adapter_factory=adapter_factory
        )

    async def geocode(self, address_text: str, town_insee: str) -> list[GeocodedAddress]:
        query = _clean_query(address_text)
        if len(query) < _MIN_QUERY_CHARS:
            return []
        try:
            # geopy's async adapter needs aiohttp, which the bot does not otherwise use: a thread is enough
            # for a few look-ups a day. geopy's own timeout ends the request; wait_for only guards against
            # a stuck thread, which then finishes on its own.
            response = await asyncio.wait_for(
                asyncio.to_thread(self._client.search, query, town_insee, self._limit),
                timeout=self._timeout_s + 1.0,
            )
            return _addresses(response, town_insee)
        except Exception as exc:
            # The class only: the message may hold the URL, that is the address of a vulnerable person.
            logger.warning("address API unavailable: %s", type(exc).__name__)
            return []


def _clean_query(text: str) -> str:
    visible = "".join(" " if unicodedata.category(char).startswith("C") else char for char in text[:1000])
    return _LEADING_NOISE.sub("", " ".join(visible.split()))[:_MAX_QUERY_CHARS]


def _addresses(response: Any, town_insee: str) -> list[GeocodedAddress]:
    """The API's GeoJSON features inside the town; a malformed answer raises and counts as a failure."""
    if response is None:
        return []
    addresses: list[GeocodedAddress] = []
    for feature in response["features"]:
        properties = feature["properties"]
        # The API filters on citycode already; checking again protects from a changed or proxied API.
        if properties.get("citycode") != town_insee or properties.get("type") not in _ADDRESS_TYPES:
            continue
        lon, lat = feature["geometry"]["coordinates"]
        number = properties.get("housenumber")
        addresses.append(
            GeocodedAddress(
                label=str(properties["label"]),
                point=Point(float(lat), float(lon)),
                street_name=str(properties.get("street") or properties["name"]),
                house_number="".join(str(number).split()).lower() if number else None,
                score=float(properties.get("score", 0.0)),
            )
        )
    return addresses


class OfflineGeocoder:
    """Answers from the gazetteer's house numbers, falling back to the street's centroid like the API does."""

    def __init__(self, gazetteer: Gazetteer, town_insee: str, limit: int = 5) -> None:
        self._gazetteer = gazetteer
        self._town_insee = town_insee
        self._limit = limit

    async def geocode(self, address_text: str, town_insee: str) -> list[GeocodedAddress]:
        if town_insee != self._town_insee:
            return []
        addresses: list[GeocodedAddress] = []
        for match in self._gazetteer.search(address_text, self._limit):
            street, number = match.street, match.house_number
            addresses.append(
                GeocodedAddress(
                    label=f"{number.number} {street.name}" if number else street.name,
                    point=number.point if number else street.point,
                    street_name=street.name,
                    house_number=number.number if number else None,
                    score=match.score,
                )
            )
        return addresses
