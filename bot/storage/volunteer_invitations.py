"""Imported volunteers: the coordinator's record of each, with a one-time invitation code (kept as its hash,
valid for some days, revocable, renewable), until they open the link with their own Telegram account; then
the volunteer and profile rows are made from it."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from bot.domain.invitations import ClaimOutcome, ImportedVolunteer
from bot.domain.volunteers import VolunteerStatus
from bot.storage.database import Database, Transaction
from bot.storage.imported import checked_columns, marker, stored
from bot.storage.invitation_codes import hash_code

_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
_COLUMNS = (
    "id, import_key, expires_at, first_name, last_name, unseal(phone) AS phone, kind, home_street_id, capacity, "
    f"slots, languages, gender, experienced, imported_by, claimed_by, COALESCE(expires_at > {_NOW}, 0) AS link_valid"
)
# Columns an import may set; names are interpolated into SQL, so they are checked against this set.
IMPORTED = frozenset(
    {
        "first_name",
        "last_name",
        "phone",
        "kind",
        "home_street_id",
        "capacity",
        "slots",
        "languages",
        "gender",
        "experienced",
    }
)
SEALED = frozenset({"phone"})


class VolunteerInvitationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def by_keys(self, keys: Collection[str]) -> dict[str, ImportedVolunteer]:
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM volunteer_invitations WHERE import_key IN ({marks})", list(keys)
        )
        return {str(row["import_key"]): ImportedVolunteer.model_validate(dict(row)) for row in rows}

    async def save_import(
        self,
        creates: Mapping[str, tuple[str, Mapping[str, object]]],
        updates: Mapping[str, Mapping[str, object]],
        actor: int,
        valid_days: int,
    ) -> None:
        """One transaction: `creates` maps each new key to its invitation code (valid `valid_days`) and fields,
        `updates` each existing key to the fields that changed. Records already claimed are never changed."""
        for _code, fields in creates.values():
            checked_columns(fields, IMPORTED)
        for fields in updates.values():
            checked_columns(fields, IMPORTED)
        async with self._db.transaction() as tx:
            for key, (code, fields) in creates.items():
                names = ["import_key", "code_hash", "imported_by", *fields]
                values = [key, hash_code(code), actor, *(stored(v) for v in fields.values())]
                new_id = await tx.execute(
                    f"INSERT INTO volunteer_invitations ({', '.join(names)}, expires_at) "
                    f"VALUES ({', '.join(marker(name, SEALED) for name in names)}, "
                    "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?))",
                    [*values, f"+{valid_days} days"],
                )
                await _audit(tx, actor, "volunteer.imported", new_id)
            for key, fields in updates.items():
                assignments = ", ".join(f"{name} = {marker(name, SEALED)}" for name in fields)
                await tx.execute(
                    f"UPDATE volunteer_invitations SET {assignments} WHERE import_key = ? AND claimed_by IS NULL",
                    [*(stored(v) for v in fields.values()), key],
                )
                row = await tx.fetch_one("SELECT id FROM volunteer_invitations WHERE import_key = ?", (key,))
                if row is not None:
                    await _audit(tx, actor, f"volunteer.import_changed:{','.join(sorted(fields))}", int(row[0]))

    async def by_code(self, code: str) -> ImportedVolunteer | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM volunteer_invitations WHERE code_hash = ?", (hash_code(code),)
        )
        return ImportedVolunteer.model_validate(dict(row)) if row else None

    async def renew(self, record_id: int, code: str, actor: int, valid_days: int) -> str | None:
        """A new link for a volunteer who has not joined (the previous one stops working); when it expires, or
        None when the record is claimed or gone."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE volunteer_invitations SET code_hash = ?, "
                "expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?) WHERE id = ? AND claimed_by IS NULL",
                (hash_code(code), f"+{valid_days} days", record_id),
            )
            if await tx.changes() == 0:
                return None
            await _audit(tx, actor, "volunteer.invitation_renewed", record_id)
            row = await tx.fetch_one("SELECT expires_at FROM volunteer_invitations WHERE id = ?", (record_id,))
        return str(row[0]) if row else None

    async def revoke(self, record_id: int, actor: int) -> bool:
        """The link stops working; the record stays, for a new link or the next import. False when claimed,
        gone, or without a link already."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE volunteer_invitations SET code_hash = NULL, expires_at = NULL "
                "WHERE id = ? AND claimed_by IS NULL AND code_hash IS NOT NULL",
                (record_id,),
            )
            if await tx.changes() == 0:
                return False
            await _audit(tx, actor, "volunteer.invitation_revoked", record_id)
            return True

    async def unclaimed(self) -> list[ImportedVolunteer]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM volunteer_invitations WHERE claimed_by IS NULL ORDER BY first_name, last_name, id"
        )
        return [ImportedVolunteer.model_validate(dict(row)) for row in rows]

    async def claim(self, code: str, telegram_id: int, first_name: str) -> ClaimOutcome:
        """Tie the record to this account and make it an approved volunteer with the imported profile, all in
        one transaction: two accounts opening the same link at once cannot both get it."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                f"SELECT {_COLUMNS} FROM volunteer_invitations WHERE code_hash = ?", (hash_code(code),)
            )
            if row is None:
                return ClaimOutcome.INVALID
            record = ImportedVolunteer.model_validate(dict(row))
            if record.claimed_by == telegram_id:
                return ClaimOutcome.ALREADY_JOINED
            if record.claimed_by is not None or not record.link_valid:
                return ClaimOutcome.INVALID
            if await tx.fetch_one("SELECT 1 FROM volunteer_invitations WHERE claimed_by = ?", (telegram_id,)):
                return ClaimOutcome.OTHER_RECORD
            await tx.execute(
                f"UPDATE volunteer_invitations SET claimed_by = ?, claimed_at = {_NOW} WHERE id = ?",
                (telegram_id, record.id),
            )
            await _audit(tx, telegram_id, "volunteer.invitation_claimed", record.id)
            await tx.execute(
                "INSERT INTO users (telegram_id, first_name) VALUES (?, ?) ON CONFLICT (telegram_id) DO NOTHING",
                (telegram_id, first_name),
            )
            status = await tx.fetch_one("SELECT status FROM volunteers WHERE telegram_id = ?", (telegram_id,))
            if status is not None and status[0] == VolunteerStatus.APPROVED.value:
                return ClaimOutcome.LINKED
            await _materialise(tx, telegram_id, record)
            return ClaimOutcome.JOINED


async def _materialise(tx: Transaction, telegram_id: int, record: ImportedVolunteer) -> None:
    """The volunteer and profile rows the signup and /profile flows would have made: approved by whoever
    imported the record, the charter accepted now."""
    await tx.execute(
        "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at, decided_by, decided_at) "
        f"VALUES (?, ?, 'approved', {_NOW}, ?, {_NOW}) "
        "ON CONFLICT (telegram_id) DO UPDATE SET kind = excluded.kind, status = 'approved', "
        "charter_accepted_at = excluded.charter_accepted_at, decided_by = excluded.decided_by, "
        "decided_at = excluded.decided_at",
        (telegram_id, record.kind.value, record.imported_by),
    )
    await tx.execute(
        "INSERT INTO volunteer_profiles (telegram_id, capacity, home_street_id, gender, experienced) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (telegram_id) DO UPDATE SET capacity = excluded.capacity, "
        "home_street_id = excluded.home_street_id, gender = excluded.gender, experienced = excluded.experienced, "
        f"updated_at = {_NOW}",
        (
            telegram_id,
            record.capacity,
            record.home_street_id,
            record.gender.value if record.gender else None,
            int(record.experienced),
        ),
    )
    await tx.execute("DELETE FROM volunteer_slots WHERE telegram_id = ?", (telegram_id,))
    await tx.execute_many(
        "INSERT INTO volunteer_slots (telegram_id, slot_id) VALUES (?, ?)",
        [(telegram_id, slot) for slot in record.slots],
    )
    await tx.execute("DELETE FROM volunteer_languages WHERE telegram_id = ?", (telegram_id,))
    await tx.execute_many(
        "INSERT INTO volunteer_languages (telegram_id, language) VALUES (?, ?)",
        [(telegram_id, language) for language in record.languages],
    )


async def _audit(tx: Transaction, actor: int, action: str, invitation_id: int) -> None:
    await tx.execute(
        "INSERT INTO audit_log (actor, action, subject) VALUES (?, ?, ?)",
        (actor, action, f"volunteer_invitation:{invitation_id}"),
    )
