"""Invitations of professionals (members of the expert unit): a one-time code a coordinator sends as a link,
kept only as its hash, valid for a number of days, revocable until used."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.invitations import PendingInvitation
from bot.storage.database import Database
from bot.storage.invitation_codes import hash_code

_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
# Still usable: not used, not revoked, not expired.
PENDING = f"used_by IS NULL AND revoked_at IS NULL AND expires_at > {_NOW}"


class Redemption(StrEnum):
    JOINED = "joined"
    # The same account used it already (a replayed update) and is still in the expert unit.
    ALREADY = "already"
    # Unknown, expired, revoked, used by someone else, or by this account before it was removed.
    INVALID = "invalid"


class ProfessionalInvitationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, code: str, created_by: int, valid_days: int) -> str:
        """The invitation; returns when it expires."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO invitations (code_hash, role, created_by, expires_at) "
                "VALUES (?, 'professional', ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?))",
                (hash_code(code), created_by, f"+{valid_days} days"),
            )
            row = await tx.fetch_one("SELECT expires_at FROM invitations WHERE code_hash = ?", (hash_code(code),))
        assert row is not None
        return str(row[0])

    async def redeem(self, code: str, telegram_id: int) -> Redemption:
        """Use a one-time code, in one transaction: two accounts with the same code cannot both get in."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                f"SELECT id, created_by, used_by, {PENDING} AS usable FROM invitations "
                "WHERE code_hash = ? AND role = 'professional'",
                (hash_code(code),),
            )
            if row is None:
                return Redemption.INVALID
            if row["used_by"] == telegram_id:
                still = await tx.fetch_one("SELECT 1 FROM professionals WHERE telegram_id = ?", (telegram_id,))
                return Redemption.ALREADY if still else Redemption.INVALID
            if not row["usable"]:
                return Redemption.INVALID
            await tx.execute(
                f"UPDATE invitations SET used_by = ?, used_at = {_NOW} WHERE id = ?", (telegram_id, row["id"])
            )
            await tx.execute(
                "INSERT OR IGNORE INTO professionals (telegram_id, added_by) VALUES (?, ?)",
                (telegram_id, row["created_by"]),
            )
            await tx.execute(
                "INSERT INTO audit_log (actor, action, subject) VALUES (?, 'professional.added', ?)",
                (row["created_by"], f"user:{telegram_id}"),
            )
            return Redemption.JOINED

    async def pending(self) -> list[PendingInvitation]:
        rows = await self._db.fetch_all(
            "SELECT i.id, i.created_by, u.first_name AS created_by_name, i.created_at, i.expires_at "
            f"FROM invitations i LEFT JOIN users u ON u.telegram_id = i.created_by WHERE {PENDING} ORDER BY i.id"
        )
        return [PendingInvitation.model_validate(dict(row)) for row in rows]

    async def revoke(self, invitation_id: int, actor: int) -> bool:
        """False when it was used, revoked or expired already."""
        async with self._db.transaction() as tx:
            await tx.execute(
                f"UPDATE invitations SET revoked_by = ?, revoked_at = {_NOW} WHERE id = ? AND {PENDING}",
                (actor, invitation_id),
            )
            if await tx.changes() == 0:
                return False
            await tx.execute(
                "INSERT INTO audit_log (actor, action, subject) VALUES (?, 'invitation.revoked', ?)",
                (actor, f"invitation:{invitation_id}"),
            )
            return True
