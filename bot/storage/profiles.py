"""Approved volunteers' profiles: weekly grid, absences, capacity, home street, languages, gender, pause,
experience."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any, Literal

from bot.domain.volunteers import Absence, Gender, VolunteerProfile, VolunteerStatus
from bot.storage.database import Database, Transaction

_SELECT = (
    "SELECT v.telegram_id, u.first_name, v.kind, p.capacity, p.home_street_id, s.name AS home_street_name, "
    "s.lat AS home_lat, s.lon AS home_lon, p.gender, COALESCE(p.paused, 0) AS paused, "
    "COALESCE(p.experienced, 0) AS experienced "
    "FROM volunteers v JOIN users u USING (telegram_id) "
    "LEFT JOIN volunteer_profiles p USING (telegram_id) "
    "LEFT JOIN streets s ON s.id = p.home_street_id "
    f"WHERE v.status = '{VolunteerStatus.APPROVED.value}'"
)
# Only these columns are set one at a time; the name is interpolated, so it must never come from input.
ProfileColumn = Literal["capacity", "home_street_id", "gender", "paused", "experienced"]


class ProfileRepository:
    def __init__(self, db: Database, default_capacity: int, default_language: str) -> None:
        self._db = db
        self._default_capacity = default_capacity
        self._default_language = default_language

    async def get(self, telegram_id: int) -> VolunteerProfile | None:
        """The profile of an approved volunteer; None for anyone else."""
        found = await self._load(" AND v.telegram_id = :id", {"id": telegram_id})
        return found[0] if found else None

    async def approved(self) -> list[VolunteerProfile]:
        """Every approved volunteer, paused ones included, by first name."""
        return await self._load("", {})

    async def _load(self, where: str, params: dict[str, Any]) -> list[VolunteerProfile]:
        rows = await self._db.fetch_all(f"{_SELECT}{where} ORDER BY u.first_name, v.telegram_id", params)
        if not rows:
            return []
        ids = [int(row["telegram_id"]) for row in rows]
        marks = ",".join("?" * len(ids))
        slots: dict[int, set[str]] = {}
        for row in await self._db.fetch_all(
            f"SELECT telegram_id, slot_id FROM volunteer_slots WHERE telegram_id IN ({marks})", ids
        ):
            slots.setdefault(int(row[0]), set()).add(str(row[1]))
        languages: dict[int, set[str]] = {}
        for row in await self._db.fetch_all(
            f"SELECT telegram_id, language FROM volunteer_languages WHERE telegram_id IN ({marks})", ids
        ):
            languages.setdefault(int(row[0]), set()).add(str(row[1]))
        absences: dict[int, list[Absence]] = {}
        for row in await self._db.fetch_all(
            "SELECT id, telegram_id, first_day, last_day FROM volunteer_absences "
            f"WHERE telegram_id IN ({marks}) ORDER BY first_day, id",
            ids,
        ):
            absences.setdefault(int(row["telegram_id"]), []).append(Absence.model_validate(dict(row)))
        return [
            VolunteerProfile.model_validate(
                {
                    **dict(row),
                    "capacity": row["capacity"] or self._default_capacity,
                    "slot_ids": frozenset(slots.get(row["telegram_id"], ())),
                    "languages": frozenset(languages.get(row["telegram_id"], ())) or {self._default_language},
                    "absences": tuple(absences.get(row["telegram_id"], ())),
                }
            )
            for row in rows
        ]

    async def toggle_slot(self, telegram_id: int, slot_id: str) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM volunteer_slots WHERE telegram_id = ? AND slot_id = ?", (telegram_id, slot_id)
            )
            if await tx.changes() == 0:
                await tx.execute(
                    "INSERT INTO volunteer_slots (telegram_id, slot_id) VALUES (?, ?)", (telegram_id, slot_id)
                )

    async def set_languages(self, telegram_id: int, languages: Collection[str]) -> None:
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM volunteer_languages WHERE telegram_id = ?", (telegram_id,))
            await tx.execute_many(
                "INSERT INTO volunteer_languages (telegram_id, language) VALUES (?, ?)",
                [(telegram_id, language) for language in sorted(languages)],
            )

    async def set_capacity(self, telegram_id: int, capacity: int) -> None:
        await self._set(telegram_id, "capacity", capacity)

    async def set_home_street(self, telegram_id: int, street_id: int) -> None:
        await self._set(telegram_id, "home_street_id", street_id)

    async def set_gender(self, telegram_id: int, gender: Gender | None) -> None:
        await self._set(telegram_id, "gender", gender.value if gender else None)

    async def set_paused(self, telegram_id: int, paused: bool) -> None:
        await self._set(telegram_id, "paused", int(paused))

    async def set_experienced(self, telegram_id: int, experienced: bool, coordinator_id: int) -> None:
        async with self._db.transaction() as tx:
            await self._upsert(tx, telegram_id, "experienced", int(experienced))
            await tx.execute(
                "INSERT INTO audit_log (actor, action, subject) VALUES (?, ?, ?)",
                (
                    coordinator_id,
                    "volunteer.experienced" if experienced else "volunteer.not_experienced",
                    f"user:{telegram_id}",
                ),
            )

    async def add_absence(self, telegram_id: int, first_day: date, last_day: date) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO volunteer_absences (telegram_id, first_day, last_day) VALUES (?, ?, ?)",
                (telegram_id, first_day.isoformat(), last_day.isoformat()),
            )

    async def delete_absence(self, telegram_id: int, absence_id: int) -> bool:
        """False when the absence is not this volunteer's (or no longer exists)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "DELETE FROM volunteer_absences WHERE id = ? AND telegram_id = ?", (absence_id, telegram_id)
            )
            return await tx.changes() > 0

    async def _set(self, telegram_id: int, column: ProfileColumn, value: object) -> None:
        async with self._db.transaction() as tx:
            await self._upsert(tx, telegram_id, column, value)

    @staticmethod
    async def _upsert(tx: Transaction, telegram_id: int, column: ProfileColumn, value: object) -> None:
        await tx.execute(
            f"INSERT INTO volunteer_profiles (telegram_id, {column}) VALUES (?, ?) "
            f"ON CONFLICT (telegram_id) DO UPDATE SET {column} = excluded.{column}, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (telegram_id, value),
        )
