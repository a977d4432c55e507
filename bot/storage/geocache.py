"""Answers of the address API kept in the database, so an address is asked once and then works offline."""

from __future__ import annotations

import json

from bot.domain.places import GeocodedAddress, Point
from bot.storage.database import Database


def _encode(addresses: list[GeocodedAddress]) -> str:
    return json.dumps(
        [[a.label, a.point.lat, a.point.lon, a.street_name, a.house_number, a.score] for a in addresses],
        ensure_ascii=False,
    )


def _decode(raw: str) -> list[GeocodedAddress]:
    return [
        GeocodedAddress(str(label), Point(float(lat), float(lon)), str(street), number, float(score))
        for label, lat, lon, street, number, score in json.loads(raw)
    ]


class GeocodeCache:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, query: str) -> list[GeocodedAddress] | None:
        row = await self._db.fetch_one("SELECT result FROM geocode_cache WHERE query = ?", (query,))
        return _decode(str(row[0])) if row else None

    async def put(self, query: str, addresses: list[GeocodedAddress]) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO geocode_cache (query, result) VALUES (?, ?) "
                "ON CONFLICT (query) DO UPDATE SET result = excluded.result, cached_at = excluded.cached_at",
                (query, _encode(addresses)),
            )

    async def town_postcodes(self) -> frozenset[str]:
        rows = await self._db.fetch_all("SELECT DISTINCT postcode FROM streets")
        return frozenset(str(row[0]) for row in rows)
