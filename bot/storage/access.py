"""Who has access, and the coordinator taking it away: a professional removed from the expert unit, a volunteer
suspended, reinstated or removed, a caring neighbour removed from a street. Each change is audited in the same
transaction."""

from __future__ import annotations

from bot.domain.records import Record
from bot.domain.volunteers import VolunteerKind, VolunteerStatus
from bot.storage.database import Database, Transaction

_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


class Member(Record):
    telegram_id: int
    first_name: str
    since: str


class TeamVolunteer(Record):
    telegram_id: int
    first_name: str
    kind: VolunteerKind
    status: VolunteerStatus
    since: str


class WatchedBy(Record):
    street_id: int
    street: str


class AccessRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def professionals(self) -> list[Member]:
        rows = await self._db.fetch_all(
            "SELECT p.telegram_id, u.first_name, p.added_at AS since FROM professionals p "
            "JOIN users u USING (telegram_id) ORDER BY u.first_name, p.telegram_id"
        )
        return [Member.model_validate(dict(row)) for row in rows]

    async def volunteers(self) -> list[TeamVolunteer]:
        """Approved and suspended volunteers: those a coordinator may suspend, reinstate or remove."""
        rows = await self._db.fetch_all(
            "SELECT v.telegram_id, u.first_name, v.kind, v.status, COALESCE(v.decided_at, v.created_at) AS since "
            "FROM volunteers v JOIN users u USING (telegram_id) WHERE v.status IN (?, ?) "
            "ORDER BY u.first_name, v.telegram_id",
            (VolunteerStatus.APPROVED.value, VolunteerStatus.SUSPENDED.value),
        )
        return [TeamVolunteer.model_validate(dict(row)) for row in rows]

    async def volunteer_status(self, telegram_id: int) -> VolunteerStatus | None:
        row = await self._db.fetch_one("SELECT status FROM volunteers WHERE telegram_id = ?", (telegram_id,))
        return VolunteerStatus(row[0]) if row else None

    async def neighbours(self) -> list[Member]:
        rows = await self._db.fetch_all(
            "SELECT w.telegram_id, u.first_name, MIN(w.since) AS since FROM street_watchers w "
            "JOIN users u USING (telegram_id) GROUP BY w.telegram_id ORDER BY u.first_name, w.telegram_id"
        )
        return [Member.model_validate(dict(row)) for row in rows]

    async def streets_of(self, telegram_id: int) -> list[WatchedBy]:
        rows = await self._db.fetch_all(
            "SELECT s.id AS street_id, s.name AS street FROM street_watchers w JOIN streets s ON s.id = w.street_id "
            "WHERE w.telegram_id = ? ORDER BY s.name",
            (telegram_id,),
        )
        return [WatchedBy.model_validate(dict(row)) for row in rows]

    async def remove_professional(self, telegram_id: int, actor: int) -> bool:
        """False when they were not (or no longer) in the expert unit."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM professionals WHERE telegram_id = ?", (telegram_id,))
            if await tx.changes() == 0:
                return False
            await _audit(tx, actor, "professional.removed", telegram_id)
            return True

    async def change_volunteer(
        self, telegram_id: int, actor: int, wanted: VolunteerStatus, allowed_from: tuple[VolunteerStatus, ...]
    ) -> bool:
        """Suspend, reinstate or remove; False when the volunteer is not in one of `allowed_from`."""
        async with self._db.transaction() as tx:
            await tx.execute(
                f"UPDATE volunteers SET status = ?, decided_by = ?, decided_at = {_NOW} "
                f"WHERE telegram_id = ? AND status IN ({', '.join('?' * len(allowed_from))})",
                (wanted.value, actor, telegram_id, *(status.value for status in allowed_from)),
            )
            if await tx.changes() == 0:
                return False
            action = "reinstated" if wanted is VolunteerStatus.APPROVED else wanted.value
            await _audit(tx, actor, f"volunteer.{action}", telegram_id)
            return True

    async def drop_pending_notices(self, telegram_id: int) -> int:
        """Someone left with no role: what was still waiting to be sent to them (an outing, an escalated
        file) is not sent, so that from now on they learn nothing more about anyone."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE outbox SET failed_reason = 'access_removed' WHERE recipient = ? AND sent_at IS NULL "
                "AND failed_reason IS NULL",
                (telegram_id,),
            )
            return await tx.changes()

    async def audit_street_removal(self, telegram_id: int, street_id: int, actor: int) -> None:
        """The coordinator's removal of a neighbour from a street (the street's own flow removed them)."""
        async with self._db.transaction() as tx:
            await _audit(tx, actor, f"neighbour.removed:street:{street_id}", telegram_id)


async def _audit(tx: Transaction, actor: int, action: str, telegram_id: int) -> None:
    await tx.execute(
        "INSERT INTO audit_log (actor, action, subject) VALUES (?, ?, ?)", (actor, action, f"user:{telegram_id}")
    )
