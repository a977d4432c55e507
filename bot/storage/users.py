"""Users of the bot (anyone who wrote to it) and the professionals among them."""

from __future__ import annotations

from collections.abc import Iterable

from bot.storage.database import Database
from bot.storage.models import UserRecord


class UserRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def remember(self, telegram_id: int, first_name: str, telegram_language: str | None = None) -> None:
        """Who wrote, and the language of their Telegram app (kept as last seen when an update has none)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO users (telegram_id, first_name, telegram_language) VALUES (?, ?, ?) "
                "ON CONFLICT (telegram_id) DO UPDATE SET first_name = excluded.first_name, "
                "telegram_language = coalesce(excluded.telegram_language, telegram_language) "
                "WHERE first_name != excluded.first_name "
                "OR coalesce(excluded.telegram_language, telegram_language) IS NOT telegram_language",
                (telegram_id, first_name, telegram_language),
            )

    async def get(self, telegram_id: int) -> UserRecord | None:
        """The user, with the gender a volunteer's profile gives (for the words that agree with them)."""
        row = await self._db.fetch_one(
            "SELECT u.telegram_id, u.first_name, u.language, u.telegram_language, p.gender FROM users u "
            "LEFT JOIN volunteer_profiles p ON p.telegram_id = u.telegram_id WHERE u.telegram_id = ?",
            (telegram_id,),
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
