"""The audit log: who opened which file, exported what, erased what. Entries name what was touched, never
its content; an erased actor stays as the number of the erasure (a negative id)."""

from __future__ import annotations

from bot.domain.audit import AuditEntry
from bot.storage.database import Database


def _after(prefix: str, column: str) -> str:
    """The id written after `prefix` in `column` ("person:12" -> 12)."""
    return f"CAST(substr(a.{column}, {len(prefix) + 1}) AS INTEGER)"


# The names the subject's id points to, while the user, the file or the invitation exists (an erased one's
# subject is "erasure:n" and names nobody).
_SUBJECT_NAME = (
    "CASE "
    "WHEN a.subject LIKE 'user:%' THEN "
    f"(SELECT first_name FROM users WHERE telegram_id = {_after('user:', 'subject')}) "
    f"WHEN a.subject LIKE 'person:%' THEN (SELECT name FROM persons WHERE id = {_after('person:', 'subject')}) "
    "WHEN a.subject LIKE 'volunteer_invitation:%' THEN (SELECT trim(first_name || ' ' || last_name) "
    f"FROM volunteer_invitations WHERE id = {_after('volunteer_invitation:', 'subject')}) END"
)
_STREET_NAME = (
    "CASE WHEN a.action LIKE 'neighbour.removed:street:%' THEN (SELECT name FROM streets WHERE id = "
    f"{_after('neighbour.removed:street:', 'action')}) END"
)


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, actor: int, action: str, subject: str) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO audit_log (actor, action, subject) VALUES (?, ?, ?)", (actor, action, subject)
            )

    async def latest(self) -> list[AuditEntry]:
        """Every entry, the latest first (the log keeps a year: `privacy.audit_days`)."""
        rows = await self._db.fetch_all(
            "SELECT a.at, a.actor, u.first_name AS actor_name, a.action, a.subject, "
            f"{_SUBJECT_NAME} AS subject_name, {_STREET_NAME} AS street_name FROM audit_log a "
            "LEFT JOIN users u ON u.telegram_id = a.actor ORDER BY a.id DESC"
        )
        return [AuditEntry.model_validate(dict(row)) for row in rows]
