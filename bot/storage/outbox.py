"""Queued notices: written by services, delivered by the outbox worker, at least once; sealed at rest
(notices carry notes, questions and answers)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.notices import Button, Notice
from bot.storage.database import Database


@dataclass(frozen=True, slots=True)
class QueuedNotice:
    id: int
    recipient: int
    notice: Notice
    attempts: int


def _encode(notice: Notice) -> str:
    return json.dumps(
        {
            "key": notice.key,
            "params": dict(notice.params),
            "buttons": [[[b.label_key, b.data, b.text] for b in row] for row in notice.buttons],
        },
        ensure_ascii=False,
    )


def _decode(raw: str) -> Notice:
    data = json.loads(raw)
    rows = tuple(tuple(Button(label, payload, text) for label, payload, text in row) for row in data["buttons"])
    return Notice(data["key"], data["params"], rows)


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(self, recipient: int, notice: Notice, dedup_key: str | None) -> bool:
        """False when a notice with the same dedup key was already queued (the event is replayed)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT OR IGNORE INTO outbox (recipient, notice, dedup_key) VALUES (?, seal(?), ?)",
                (recipient, _encode(notice), dedup_key),
            )
            return await tx.changes() == 1

    async def due(self, now: float, limit: int = 50) -> list[QueuedNotice]:
        rows = await self._db.fetch_all(
            "SELECT id, recipient, unseal(notice), attempts FROM outbox "
            "WHERE sent_at IS NULL AND failed_reason IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?",
            (now, limit),
        )
        return [QueuedNotice(int(r[0]), int(r[1]), _decode(str(r[2])), int(r[3])) for r in rows]

    async def next_due_at(self) -> float | None:
        row = await self._db.fetch_one(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE sent_at IS NULL AND failed_reason IS NULL"
        )
        return float(row[0]) if row and row[0] is not None else None

    async def mark_sent(self, notice_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE outbox SET sent_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), attempts = attempts + 1 "
                "WHERE id = ?",
                (notice_id,),
            )

    async def retry_later(self, notice_id: int, at: float) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?", (at, notice_id)
            )

    async def give_up(self, notice_id: int, reason: str) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, failed_reason = ? WHERE id = ?",
                (reason, notice_id),
            )
