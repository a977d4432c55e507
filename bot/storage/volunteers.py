"""Volunteers: bénévoles, service civique members and municipal agents, and the coordinator's decision."""

from __future__ import annotations

from bot.domain.volunteers import VolunteerKind, VolunteerStatus
from bot.storage.database import Database
from bot.storage.models import VolunteerRecord

_SELECT = (
    "SELECT v.telegram_id, u.first_name, v.kind, v.status, v.decided_by, v.charter_accepted_at AS applied_at "
    "FROM volunteers v JOIN users u USING (telegram_id)"
)


class VolunteerRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, telegram_id: int) -> VolunteerRecord | None:
        row = await self._db.fetch_one(f"{_SELECT} WHERE v.telegram_id = ?", (telegram_id,))
        return VolunteerRecord.model_validate(dict(row)) if row else None

    async def apply(self, telegram_id: int, kind: VolunteerKind) -> bool:
        """Record an application after the charter; False when one is already pending or approved."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one("SELECT status FROM volunteers WHERE telegram_id = ?", (telegram_id,))
            if row is not None and row["status"] != VolunteerStatus.REFUSED:
                return False
            await tx.execute(
                "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
                "VALUES (?, ?, 'pending', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) "
                "ON CONFLICT (telegram_id) DO UPDATE SET kind = excluded.kind, status = 'pending', "
                "charter_accepted_at = excluded.charter_accepted_at, decided_by = NULL, decided_at = NULL",
                (telegram_id, kind.value),
            )
            return True

    async def decide(self, telegram_id: int, approve: bool, coordinator_id: int) -> bool:
        """Approve or refuse a pending application; False if it was not pending (already decided)."""
        status = VolunteerStatus.APPROVED if approve else VolunteerStatus.REFUSED
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE volunteers SET status = ?, decided_by = ?, "
                "decided_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                "WHERE telegram_id = ? AND status = 'pending'",
                (status.value, coordinator_id, telegram_id),
            )
            if await tx.changes() == 0:
                return False
            await tx.execute(
                "INSERT INTO audit_log (actor, action, subject) VALUES (?, ?, ?)",
                (coordinator_id, f"volunteer.{status.value}", f"user:{telegram_id}"),
            )
            return True

    async def pending(self) -> list[VolunteerRecord]:
        rows = await self._db.fetch_all(f"{_SELECT} WHERE v.status = 'pending' ORDER BY v.created_at")
        return [VolunteerRecord.model_validate(dict(row)) for row in rows]
