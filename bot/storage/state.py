"""Key-value rows behind PTB's persistence: conversation states and per-user drafts, as JSON."""

from __future__ import annotations

from bot.storage.database import Database


class StateRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def load(self, kind: str) -> dict[str, str]:
        rows = await self._db.fetch_all("SELECT key, value FROM ptb_state WHERE kind = ?", (kind,))
        return {str(row[0]): str(row[1]) for row in rows}

    async def save(self, kind: str, key: str, value: str | None) -> None:
        async with self._db.transaction() as tx:
            if value is None:
                await tx.execute("DELETE FROM ptb_state WHERE kind = ? AND key = ?", (kind, key))
            else:
                await tx.execute(
                    "INSERT INTO ptb_state (kind, key, value) VALUES (?, ?, ?) "
                    "ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value",
                    (kind, key, value),
                )
