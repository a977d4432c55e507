"""Key-value rows behind PTB's persistence: conversation states and per-user drafts, as JSON
sealed at rest (drafts hold what people type)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.storage.database import Database

StateKey = tuple[str, str]  # (kind, key)


class StateRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def load(self, kind: str) -> dict[str, str]:
        rows = await self._db.fetch_all("SELECT key, unseal(value) FROM ptb_state WHERE kind = ?", (kind,))
        return {str(row[0]): str(row[1]) for row in rows}

    async def commit(self, changes: Mapping[StateKey, str | None], done_update_id: int | None = None) -> None:
        """Write the state changes of one update and mark that update done, in one transaction: after a crash
        either both happened or neither, and the update is replayed from a consistent state."""
        async with self._db.transaction() as tx:
            for (kind, key), value in changes.items():
                if value is None:
                    await tx.execute("DELETE FROM ptb_state WHERE kind = ? AND key = ?", (kind, key))
                else:
                    await tx.execute(
                        "INSERT INTO ptb_state (kind, key, value) VALUES (?, ?, seal(?)) "
                        "ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value",
                        (kind, key, value),
                    )
            if done_update_id is not None:
                await tx.execute(
                    "UPDATE inbox SET processed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                    "WHERE update_id = ? AND processed_at IS NULL",
                    (done_update_id,),
                )
