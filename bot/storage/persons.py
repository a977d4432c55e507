"""Persons followed by the team: their file, every opening of it in the audit log, and bereavement check-ins."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.domain.persons import EDITABLE, PersonRecord, PersonStatus
from bot.domain.places import Address
from bot.storage.database import Database, Transaction
from bot.storage.imported import checked_columns, marker, stored


@dataclass(frozen=True, slots=True)
class NewPerson:
    name: str
    address: str
    street_id: int | None
    lat: float | None
    lon: float | None
    needs: Sequence[str]


@dataclass(frozen=True, slots=True)
class DueCheckin:
    person_id: int
    person_name: str
    due_on: str


_COLUMNS = (
    "id, name, address, street_id, lat, lon, unseal(phone) AS phone, needs, visits_per_month, slots, languages, "
    "visitor_gender, consent_at, consent_how, bereavement_on, status, ended_reason, address_as"
)
# Sealed at rest (bot/storage/sealing.py).
_SEALED = frozenset({"phone", "access_notes"})
# Columns a spreadsheet import may set.
IMPORTABLE = frozenset(
    {
        "name",
        "address",
        "street_id",
        "lat",
        "lon",
        "phone",
        "needs",
        "visits_per_month",
        "slots",
        "languages",
        "consent_how",
        "address_as",
    }
)


class PersonRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, person: NewPerson, actor: int, report_id: int) -> PersonRecord:
        """The file opened from a report, once: a replayed press finds the file the report already points to."""
        async with self._db.transaction() as tx:
            linked = await tx.fetch_one("SELECT person_id FROM reports WHERE id = ?", (report_id,))
            if linked is not None and linked[0] is not None:
                person_id = int(linked[0])
            else:
                person_id = await tx.execute(
                    "INSERT INTO persons (name, address, street_id, lat, lon, needs, created_by) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        person.name,
                        person.address,
                        person.street_id,
                        person.lat,
                        person.lon,
                        json.dumps(list(person.needs)),
                        actor,
                    ),
                )
                await _audit(tx, actor, "person.created", person_id)
            row = await tx.fetch_one(f"SELECT {_COLUMNS} FROM persons WHERE id = ?", (person_id,))
        assert row is not None
        return PersonRecord.model_validate(dict(row))

    async def get(self, person_id: int) -> PersonRecord | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM persons WHERE id = ?", (person_id,))
        return PersonRecord.model_validate(dict(row)) if row else None

    async def open(self, person_id: int, actor: int) -> PersonRecord | None:
        """Read a whole file, leaving the reader's trace in the audit log."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(f"SELECT {_COLUMNS} FROM persons WHERE id = ?", (person_id,))
            if row is None:
                return None
            await _audit(tx, actor, "person.opened", person_id)
        return PersonRecord.model_validate(dict(row))

    async def to_plan(self) -> list[PersonRecord]:
        """Active persons with a known location: the ones a weekly plan can send a pair to."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM persons WHERE status = 'active' AND lat IS NOT NULL ORDER BY id"
        )
        return [PersonRecord.model_validate(dict(row)) for row in rows]

    async def all(self) -> list[PersonRecord]:
        """Every file, those followed now first, then by name."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM persons "
            "ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'paused' THEN 1 ELSE 2 END, name COLLATE NOCASE, id"
        )
        return [PersonRecord.model_validate(dict(row)) for row in rows]

    async def on_street(self, street_id: int) -> list[PersonRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM persons WHERE street_id = ? AND status != 'ended' ORDER BY name", (street_id,)
        )
        return [PersonRecord.model_validate(dict(row)) for row in rows]

    async def update(self, person_id: int, actor: int, changes: dict[str, Any]) -> bool:
        unknown = set(changes) - EDITABLE
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        stored = {k: json.dumps(list(v)) if isinstance(v, list | tuple) else v for k, v in changes.items()}
        assignments = ", ".join(f"{name} = " + (f"seal(:{name})" if name in _SEALED else f":{name}") for name in stored)
        async with self._db.transaction() as tx:
            await tx.execute(f"UPDATE persons SET {assignments} WHERE id = :id", {**stored, "id": person_id})
            if await tx.changes() == 0:
                return False
            await _audit(tx, actor, f"person.changed:{','.join(sorted(changes))}", person_id)
            return True

    async def set_address(self, person_id: int, actor: int, place: Address) -> bool:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE persons SET address = ?, street_id = ?, lat = ?, lon = ? WHERE id = ?",
                (place.label, place.street_id, place.lat, place.lon, person_id),
            )
            if await tx.changes() == 0:
                return False
            await _audit(tx, actor, "person.changed:address", person_id)
            return True

    async def set_status(self, person_id: int, actor: int, status: PersonStatus, reason: str | None) -> bool:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE persons SET status = ?, ended_reason = ? WHERE id = ?", (status.value, reason, person_id)
            )
            if await tx.changes() == 0:
                return False
            await _audit(tx, actor, f"person.{status.value}", person_id)
            return True

    async def record_satisfaction(self, person_id: int, actor: int, level: int, asked_on: date) -> bool:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO satisfaction_answers (person_id, level, asked_on) "
                "SELECT id, ?, ? FROM persons WHERE id = ?",
                (level, asked_on.isoformat(), person_id),
            )
            if await tx.changes() == 0:
                return False
            await _audit(tx, actor, "person.changed:satisfaction", person_id)
            return True

    async def last_satisfaction(self, person_id: int) -> tuple[date, int] | None:
        row = await self._db.fetch_one(
            "SELECT asked_on, level FROM satisfaction_answers WHERE person_id = ? ORDER BY asked_on DESC, id DESC",
            (person_id,),
        )
        return (date.fromisoformat(str(row[0])), int(row[1])) if row else None

    async def schedule_checkins(self, person_id: int, actor: int, loss: date | None, due: Sequence[date]) -> bool:
        """Replace the bereavement schedule (none when `loss` is None): check-ins already reminded are kept as
        history. Setting the same date again leaves the same rows, so a replayed update changes nothing."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE persons SET bereavement_on = ? WHERE id = ?", (loss.isoformat() if loss else None, person_id)
            )
            if await tx.changes() == 0:
                return False
            await tx.execute(
                "DELETE FROM bereavement_checkins WHERE person_id = ? AND reminded_at IS NULL", (person_id,)
            )
            await tx.execute_many(
                "INSERT OR IGNORE INTO bereavement_checkins (person_id, due_on) VALUES (?, ?)",
                [(person_id, day.isoformat()) for day in due],
            )
            await _audit(tx, actor, "person.changed:bereavement_on", person_id)
            return True

    async def checkins(self, person_id: int) -> list[tuple[date, bool]]:
        """The bereavement check-ins of one person, in order, each with whether it was reminded."""
        rows = await self._db.fetch_all(
            "SELECT due_on, reminded_at IS NOT NULL FROM bereavement_checkins WHERE person_id = ? ORDER BY due_on",
            (person_id,),
        )
        return [(date.fromisoformat(str(r[0])), bool(r[1])) for r in rows]

    async def due_checkins(self, today: date) -> list[DueCheckin]:
        rows = await self._db.fetch_all(
            "SELECT c.person_id, p.name, c.due_on FROM bereavement_checkins c JOIN persons p ON p.id = c.person_id "
            "WHERE c.reminded_at IS NULL AND c.due_on <= ? AND p.status != 'ended' ORDER BY c.due_on, p.id",
            (today.isoformat(),),
        )
        return [DueCheckin(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    async def mark_reminded(self, person_id: int, due_on: str) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE bereavement_checkins SET reminded_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                "WHERE person_id = ? AND due_on = ?",
                (person_id, due_on),
            )

    # --- imported from a spreadsheet ----------------------------------------------------------------------
    async def imported(self, keys: Collection[str]) -> dict[str, PersonRecord]:
        """The files already imported under these keys (see bot/imports/records.match_key)."""
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        rows = await self._db.fetch_all(
            f"SELECT import_key, {_COLUMNS} FROM persons WHERE import_key IN ({marks})", list(keys)
        )
        return {str(row["import_key"]): PersonRecord.model_validate(dict(row)) for row in rows}

    async def save_import(
        self, creates: Mapping[str, Mapping[str, object]], updates: Mapping[str, Mapping[str, object]], actor: int
    ) -> None:
        """Open the new files and change the others, in one transaction, each in the audit log. A consent
        written here is dated today."""
        for fields in (*creates.values(), *updates.values()):
            checked_columns(fields, IMPORTABLE)
        async with self._db.transaction() as tx:
            for key, fields in creates.items():
                names = ["import_key", "created_by", *fields]
                values = [key, actor, *(stored(v) for v in fields.values())]
                person_id = await tx.execute(
                    f"INSERT INTO persons ({', '.join(names)}) VALUES ({', '.join(marker(n, _SEALED) for n in names)})",
                    values,
                )
                await tx.execute(
                    # A date, as the file's consent screen writes it.
                    "UPDATE persons SET consent_at = date('now') WHERE id = ? AND consent_how IS NOT NULL",
                    (person_id,),
                )
                await tx.execute(
                    "INSERT INTO audit_log (actor, action, subject) VALUES (?, 'person.imported', ?)",
                    (actor, f"person:{person_id}"),
                )
            for key, fields in updates.items():
                assignments = [f"{name} = {marker(name, _SEALED)}" for name in fields]
                if "consent_how" in fields:
                    assignments.append("consent_at = date('now')")
                await tx.execute(
                    f"UPDATE persons SET {', '.join(assignments)} WHERE import_key = ?",
                    [*(stored(v) for v in fields.values()), key],
                )
                row = await tx.fetch_one("SELECT id FROM persons WHERE import_key = ?", (key,))
                if row is not None:
                    await tx.execute(
                        "INSERT INTO audit_log (actor, action, subject) VALUES (?, ?, ?)",
                        (actor, f"person.changed:{','.join(sorted(fields))}", f"person:{row[0]}"),
                    )


async def _audit(tx: Transaction, actor: int, action: str, person_id: int) -> None:
    await tx.execute(
        "INSERT INTO audit_log (actor, action, subject) VALUES (?, ?, ?)", (actor, action, f"person:{person_id}")
    )
