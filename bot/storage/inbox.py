"""The durable inbox of Telegram updates: stored before confirmation; marked done with the conversation state
(bot/storage/state.py) after processing. Payloads are sealed at rest: raw updates hold names and typed texts."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.storage.database import Database


class InboxRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def store(self, updates: Sequence[tuple[int, str]]) -> None:
        """Keep each (update_id, json) once; a repeated update_id keeps its first copy and its state."""
        if not updates:
            return
        async with self._db.transaction() as tx:
            await tx.execute_many("INSERT OR IGNORE INTO inbox (update_id, payload) VALUES (?, seal(?))", list(updates))

    async def is_done(self, update_id: int) -> bool:
        row = await self._db.fetch_one("SELECT processed_at IS NOT NULL FROM inbox WHERE update_id = ?", (update_id,))
        return bool(row and row[0])

    async def backlog(self) -> int:
        """Updates stored and not yet processed."""
        row = await self._db.fetch_one("SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL")
        return int(row[0]) if row else 0

    async def pending(self) -> list[tuple[int, str]]:
        rows = await self._db.fetch_all(
            "SELECT update_id, unseal(payload) FROM inbox WHERE processed_at IS NULL ORDER BY update_id"
        )
        return [(int(row[0]), str(row[1])) for row in rows]

    async def blank(self, update_id: int) -> None:
        """Forget what an update said (a self-test answer), keeping its id so it still counts as received once;
        replayed after a crash, it is an empty update that no handler takes."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE inbox SET payload = seal(?) WHERE update_id = ?",
                (json.dumps({"update_id": update_id}), update_id),
            )
