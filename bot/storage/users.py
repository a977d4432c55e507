"""Users of the bot (anyone who wrote to it), professionals and their invitations."""

from __future__ import annotations

from collections.abc import Iterable

from bot.storage.database import Database
from bot.storage.models import UserRecord


class UserRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def remember(self, telegram_id: int, first_name: str) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO users (telegram_id, first_name) VALUES (?, ?) "
                "ON CONFLICT (telegram_id) DO UPDATE SET first_name = excluded.first_name "
                "WHERE first_name != excluded.first_name",
                (telegram_id, first_name),
            )

    async def get(self, telegram_id: int) -> UserRecord | None:
        row = await self._db.fetch_one(
            "SELECT telegram_id, first_name, language FROM users WHERE telegram_id = ?", (telegram_id,)
        )
        return UserRecord.model_validate(dict(row)) if row else None

    async def first_names(self, telegram_ids: Iterable[int]) -> dict[int, str]:
        """ "?" stands for someone unknown (erased meanwhile)."""
        wanted = sorted(set(telegram_ids))
        marks = ",".join("?" * len(wanted))
        rows = await self._db.fetch_all(
            f"SELECT telegram_id, first_name FROM users WHERE telegram_id IN ({marks})", tuple(wanted)
        )
        found = {int(row[0]): str(row[1]) for row in rows}
        return {telegram_id: found.get(telegram_id, "?") for telegram_id in wanted}

    async def set_language(self, telegram_id: int, language: str) -> None:
        async with self._db.transaction() as tx:
            await tx.execute("UPDATE users SET language = ? WHERE telegram_id = ?", (language, telegram_id))

    async def is_professional(self, telegram_id: int) -> bool:
        row = await self._db.fetch_one("SELECT 1 FROM professionals WHERE telegram_id = ?", (telegram_id,))
        return row is not None

    async def professionals(self) -> list[int]:
        rows = await self._db.fetch_all("SELECT telegram_id FROM professionals ORDER BY added_at")
        return [int(row[0]) for row in rows]

    async def create_invitation(self, code: str, role: str, created_by: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO invitations (code, role, created_by) VALUES (?, ?, ?)", (code, role, created_by)
            )

    async def redeem_professional_invitation(self, code: str, telegram_id: int) -> bool:
        """Use a one-time code; False if unknown or already used (by someone else)."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT created_by, used_by FROM invitations WHERE code = ? AND role = 'professional'",
                (code,),
            )
            if row is None or (row["used_by"] is not None and row["used_by"] != telegram_id):
                return False
            await tx.execute(
                "UPDATE invitations SET used_by = ?, used_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE code = ?",
                (telegram_id, code),
            )
            await tx.execute(
                "INSERT OR IGNORE INTO professionals (telegram_id, added_by) VALUES (?, ?)",
                (telegram_id, row["created_by"]),
            )
            await tx.execute(
                "INSERT INTO audit_log (actor, action, subject) VALUES (?, 'professional.added', ?)",
                (row["created_by"], f"user:{telegram_id}"),
            )
            return True
