"""The town's streets with their house numbers, and who watches which street."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.storage.database import Database
from bot.storage.models import HouseNumberRow, StreetRow, WatchedStreet


@dataclass(frozen=True, slots=True)
class StreetUpsert:
    key: str
    name: str
    insee_code: str
    postcode: str
    neighbourhood: str
    lat: float
    lon: float
    house_numbers: Sequence[tuple[str, float, float]]


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    created: int
    updated: int
    unchanged: int


class StreetRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert_many(self, streets: Sequence[StreetUpsert]) -> UpsertCounts:
        """Idempotent import on the street's stable key; house numbers are merged, never removed."""
        created = updated = unchanged = 0
        async with self._db.transaction() as tx:
            for street in streets:
                values = (
                    street.name,
                    street.insee_code,
                    street.postcode,
                    street.neighbourhood,
                    street.lat,
                    street.lon,
                )
                row = await tx.fetch_one(
                    "SELECT id, name, insee_code, postcode, neighbourhood, lat, lon FROM streets WHERE key = ?",
                    (street.key,),
                )
                if row is None:
                    street_id = await tx.execute(
                        "INSERT INTO streets (key, name, insee_code, postcode, neighbourhood, lat, lon) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (street.key, *values),
                    )
                    created += 1
                else:
                    street_id = int(row["id"])
                    changed = tuple(row)[1:] != values
                    if changed:
                        await tx.execute(
                            "UPDATE streets SET name = ?, insee_code = ?, postcode = ?, neighbourhood = ?, "
                            "lat = ?, lon = ? WHERE id = ?",
                            (*values, street_id),
                        )
                before = await tx.fetch_one("SELECT total_changes()")
                await tx.execute_many(
                    "INSERT INTO house_numbers (street_id, number, lat, lon) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (street_id, number) DO UPDATE SET lat = excluded.lat, lon = excluded.lon "
                    "WHERE lat != excluded.lat OR lon != excluded.lon",
                    [(street_id, number, lat, lon) for number, lat, lon in street.house_numbers],
                )
                after = await tx.fetch_one("SELECT total_changes()")
                if row is not None:
                    numbers_changed = before is not None and after is not None and after[0] != before[0]
                    if changed or numbers_changed:
                        updated += 1
                    else:
                        unchanged += 1
        return UpsertCounts(created, updated, unchanged)

    async def all(self) -> list[StreetRow]:
        rows = await self._db.fetch_all("SELECT id, name, neighbourhood, lat, lon FROM streets ORDER BY name")
        return [StreetRow.model_validate(dict(row)) for row in rows]

    async def house_numbers(self) -> list[HouseNumberRow]:
        rows = await self._db.fetch_all("SELECT street_id, number, lat, lon FROM house_numbers")
        return [HouseNumberRow.model_validate(dict(row)) for row in rows]

    async def get(self, street_id: int) -> StreetRow | None:
        row = await self._db.fetch_one(
            "SELECT id, name, neighbourhood, lat, lon FROM streets WHERE id = ?", (street_id,)
        )
        return StreetRow.model_validate(dict(row)) if row else None

    async def add_watcher(self, street_id: int, telegram_id: int) -> bool | None:
        """Returns True if they became the main neighbour, False a backup, None if already watching."""
        async with self._db.transaction() as tx:
            existing = await tx.fetch_one(
                "SELECT 1 FROM street_watchers WHERE street_id = ? AND telegram_id = ?",
                (street_id, telegram_id),
            )
            if existing is not None:
                return None
            has_main = await tx.fetch_one(
                "SELECT 1 FROM street_watchers WHERE street_id = ? AND is_main = 1", (street_id,)
            )
            is_main = has_main is None
            await tx.execute(
                "INSERT INTO street_watchers (street_id, telegram_id, is_main, charter_accepted_at) "
                "VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                (street_id, telegram_id, int(is_main)),
            )
            return is_main

    async def watched_by(self, telegram_id: int) -> list[WatchedStreet]:
        rows = await self._db.fetch_all(
            "SELECT w.street_id, s.name AS street_name, s.neighbourhood, w.is_main "
            "FROM street_watchers w JOIN streets s ON s.id = w.street_id WHERE w.telegram_id = ? ORDER BY s.name",
            (telegram_id,),
        )
        return [WatchedStreet.model_validate(dict(row)) for row in rows]
