"""The audit log: who opened which file, exported what, erased what. Entries name what was touched, never
its content; an erased actor stays as the number of the erasure (a negative id)."""

from __future__ import annotations

from bot.domain.audit import AuditEntry
from bot.storage.database import Database


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, actor: int, action: str, subject: str) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO audit_log (actor, action, subject) VALUES (?, ?, ?)", (actor, action, subject)
            )

    async def page(self, offset: int, limit: int) -> tuple[list[AuditEntry], int]:
        """The latest entries first, with the total count."""
        total = await self._db.fetch_one("SELECT COUNT(*) FROM audit_log")
        rows = await self._db.fetch_all(
            "SELECT a.at, a.actor, u.first_name AS actor_name, a.action, a.subject FROM audit_log a "
            "LEFT JOIN users u ON u.telegram_id = a.actor ORDER BY a.id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [AuditEntry.model_validate(dict(row)) for row in rows], int(total[0]) if total else 0
