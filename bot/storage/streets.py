"""The town's streets with their house numbers, and who watches which street."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.storage.database import Database, Transaction
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
class StreetCover:
    """Who watches one street: its main caring neighbour's first name (None without one) and its backups."""

    street_id: int
    name: str
    neighbourhood: str
    main_name: str | None
    backups: int


@dataclass(frozen=True, slots=True)
class Departure:
    """What leaving a street left: whether the one who left was its main neighbour, and who still watches it."""

    was_main: bool
    remaining: list[int]


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

    async def coverage(self) -> list[StreetCover]:
        """Every street with its main neighbour and its number of backups, by neighbourhood and name."""
        rows = await self._db.fetch_all(
            "SELECT s.id, s.name, s.neighbourhood, "
            "  (SELECT u.first_name FROM street_watchers w JOIN users u ON u.telegram_id = w.telegram_id "
            "   WHERE w.street_id = s.id AND w.is_main = 1), "
            "  (SELECT COUNT(*) FROM street_watchers w WHERE w.street_id = s.id AND w.is_main = 0) "
            "FROM streets s ORDER BY s.neighbourhood, s.name"
        )
        return [StreetCover(int(r[0]), str(r[1]), str(r[2]), r[3], int(r[4])) for r in rows]

    async def watchers_of(self, street_id: int) -> tuple[bool, int]:
        """Whether the street has a main neighbour, and how many backups."""
        row = await self._db.fetch_one(
            "SELECT COALESCE(SUM(is_main), 0), COUNT(*) - COALESCE(SUM(is_main), 0) FROM street_watchers "
            "WHERE street_id = ?",
            (street_id,),
        )
        return (bool(row[0]), int(row[1])) if row else (False, 0)

    async def hand_over(self, street_id: int, telegram_id: int) -> int | None:
        """The main neighbour passes the role to the backup who has watched longest, and stays as a backup.
        The new main's id; None when they are not the main neighbour or the street has no backup."""
        async with self._db.transaction() as tx:
            main = await tx.fetch_one(
                "SELECT 1 FROM street_watchers WHERE street_id = ? AND telegram_id = ? AND is_main = 1",
                (street_id, telegram_id),
            )
            successor = await _longest_backup(tx, street_id)
            if main is None or successor is None:
                return None
            await tx.execute(
                "UPDATE street_watchers SET is_main = 0 WHERE street_id = ? AND telegram_id = ?",
                (street_id, telegram_id),
            )
            await tx.execute(
                "UPDATE street_watchers SET is_main = 1 WHERE street_id = ? AND telegram_id = ?",
                (street_id, successor),
            )
            return successor

    async def leave(self, street_id: int, telegram_id: int) -> Departure | None:
        """Stop watching a street; None when they were not watching it. A main neighbour who leaves is not
        replaced by force: the backups are asked (see `take_main`)."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT is_main FROM street_watchers WHERE street_id = ? AND telegram_id = ?", (street_id, telegram_id)
            )
            if row is None:
                return None
            await tx.execute(
                "DELETE FROM street_watchers WHERE street_id = ? AND telegram_id = ?", (street_id, telegram_id)
            )
            rows = await tx.fetch_all("SELECT telegram_id FROM street_watchers WHERE street_id = ?", (street_id,))
            return Departure(bool(row[0]), [int(r[0]) for r in rows])

    async def take_main(self, street_id: int, telegram_id: int) -> bool:
        """A backup becomes the main neighbour of a street that has none; False otherwise."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE street_watchers SET is_main = 1 WHERE street_id = ? AND telegram_id = ? AND is_main = 0 "
                "AND NOT EXISTS (SELECT 1 FROM street_watchers WHERE street_id = ? AND is_main = 1)",
                (street_id, telegram_id, street_id),
            )
            return await tx.changes() == 1


async def _longest_backup(tx: Transaction, street_id: int) -> int | None:
    row = await tx.fetch_one(
        "SELECT telegram_id FROM street_watchers WHERE street_id = ? AND is_main = 0 ORDER BY since, telegram_id "
        "LIMIT 1",
        (street_id,),
    )
    return int(row[0]) if row else None
