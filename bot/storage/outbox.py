"""Queued notices: written by services, delivered by the outbox worker, at least once; sealed at rest
(notices carry notes, questions and answers)."""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass

from bot.domain.actions import parse
from bot.domain.callbacks import Button
from bot.notices import CalendarEvent, Notice, Pin
from bot.storage.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class QueuedNotice:
    id: int
    recipient: int
    notice: Notice
    attempts: int


def _encode(notice: Notice) -> str:
    data: dict[str, object] = {
        "key": notice.key,
        "params": dict(notice.params),
        # A button's action is stored packed, as Telegram gets it: the registry reads it back.
        "buttons": [
            [[b.label_key, b.action.pack() if b.action else "", b.text, b.url, b.web_app] for b in row]
            for row in notice.buttons
        ],
    }
    if notice.pin is not None:
        data["pin"] = [notice.pin.lat, notice.pin.lon]
    if notice.calendar is not None:
        data["calendar"] = dataclasses.asdict(notice.calendar)
    return json.dumps(data, ensure_ascii=False)


def _button(
    label_key: str, data: str, text: str | None, url: str | None = None, web_app: str | None = None
) -> Button | None:
    """A stored button; None when its data reads as no action the bot still has (queued by a version that
    had it): the notice goes without that button rather than not at all."""
    if url:
        return Button(label_key, None, text, url)
    if web_app is not None:
        return Button(label_key, None, text, None, web_app)
    action = parse(data)
    return None if action is None else Button(label_key, action, text)


def _decode(raw: str) -> Notice:
    data = json.loads(raw)
    # Rows queued before buttons could carry a link have three fields, before they could open the Mini App four.
    read = [[_button(*fields) for fields in row] for row in data["buttons"]]
    rows = tuple(row for row in (tuple(b for b in found if b is not None) for found in read) if row)
    dropped = sum(len(row) for row in data["buttons"]) - sum(len(row) for row in rows)
    if dropped:
        log.warning("outbox.buttons_dropped key=%s count=%s", data["key"], dropped)
    pin = Pin(*data["pin"]) if "pin" in data else None
    calendar = CalendarEvent(**data["calendar"]) if "calendar" in data else None
    return Notice(data["key"], data["params"], rows, pin, calendar)


# A pending notice with no older pending notice for the same recipient (the outbox row is named `o`).
_NEXT_OF_ITS_CHAT = (
    "o.sent_at IS NULL AND o.failed_reason IS NULL AND NOT EXISTS (SELECT 1 FROM outbox AS e "
    "WHERE e.recipient = o.recipient AND e.id < o.id AND e.sent_at IS NULL AND e.failed_reason IS NULL)"
)


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
        """The oldest pending notice of each recipient, when it is due: a notice waiting out a retry holds
        back the later ones of its chat, so a pair never gets the pins of an outing before its text."""
        rows = await self._db.fetch_all(
            f"SELECT id, recipient, unseal(notice), attempts FROM outbox AS o WHERE {_NEXT_OF_ITS_CHAT} "
            "AND next_attempt_at <= ? ORDER BY id LIMIT ?",
            (now, limit),
        )
        return [QueuedNotice(int(r[0]), int(r[1]), _decode(str(r[2])), int(r[3])) for r in rows]

    async def backlog(self) -> tuple[int, float]:
        """Notices still to deliver, and how long the oldest has waited (seconds; 0 when none waits)."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*), COALESCE((julianday('now') - julianday(MIN(created_at))) * 86400, 0) FROM outbox "
            "WHERE sent_at IS NULL AND failed_reason IS NULL"
        )
        return (int(row[0]), float(row[1])) if row else (0, 0.0)

    async def next_due_at(self) -> float | None:
        row = await self._db.fetch_one(f"SELECT MIN(next_attempt_at) FROM outbox AS o WHERE {_NEXT_OF_ITS_CHAT}")
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
