"""Queued notices: written by services, delivered by the outbox worker, at least once; sealed at rest
(notices carry notes, questions and answers)."""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from bot.domain.actions import parse
from bot.domain.callbacks import Button
from bot.notices import CalendarEvent, Lines, Listing, Message, Notice, Pin, Priority, Value
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
        "v": 2,
        "key": notice.key,
        "params": {name: _encode_value(value) for name, value in notice.params.items()},
        # A button's action is stored packed, as Telegram gets it: the registry reads it back.
        "buttons": [
            [[b.label_key, b.action.pack() if b.action else "", b.text, b.url, b.web_app] for b in row]
            for row in notice.buttons
        ],
    }
    if notice.pin is not None:
        data["pin"] = [notice.pin.lat, notice.pin.lon]
    if notice.calendar is not None:
        event = notice.calendar
        data["calendar"] = {**dataclasses.asdict(event), "start": event.start.isoformat(), "end": event.end.isoformat()}
    return json.dumps(data, ensure_ascii=False)


def _encode_value(value: Value) -> object:
    """Plain JSON for text and numbers; a one-key object naming the type for the others."""
    if isinstance(value, Message):
        return {"$message": _encode_message(value)}
    if isinstance(value, Lines):
        return {"$lines": [_encode_message(item) for item in value.items]}
    if isinstance(value, Listing):
        return {"$listing": [_encode_message(item) for item in value.items]}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat("minutes")}
    return value


def _encode_message(message: Message) -> list[object]:
    return [message.key, {name: _encode_value(value) for name, value in message.params.items()}]


def _decode_value(raw: object) -> Value:
    if isinstance(raw, dict):
        [(tag, inner)] = raw.items()
        if tag == "$message":
            return _decode_message(inner)
        if tag == "$lines":
            return Lines(tuple(_decode_message(item) for item in inner))
        if tag == "$listing":
            return Listing(tuple(_decode_message(item) for item in inner))
        if tag == "$date":
            return date.fromisoformat(inner)
        if tag == "$time":
            return time.fromisoformat(inner)
        raise ValueError(f"unknown value type {tag}")
    if not isinstance(raw, str | int | float):
        raise ValueError(f"a value of type {type(raw).__name__}")
    return raw


def _decode_message(raw: list[Any]) -> Message:
    key, params = raw
    return Message(str(key), {name: _decode_value(value) for name, value in params.items()})


def _legacy_params(params: dict[str, Any]) -> dict[str, Value]:
    """Notices queued before values carried their type: the name's suffix said how to show them (`x_key` a
    catalogue key, `x_keys` a list of them, `x_date` an ISO day, `x_lines` messages one a line)."""
    found: dict[str, Value] = {}
    for name, value in params.items():
        if name.endswith("_key"):
            found[name[:-4]] = Message(str(value))
        elif name.endswith("_keys") and isinstance(value, list):
            found[name[:-5]] = Listing(tuple(Message(str(key)) for key in value))
        elif name.endswith("_date") and isinstance(value, str):
            found[name[:-5]] = date.fromisoformat(value)
        elif name.endswith("_lines") and isinstance(value, list):
            lines = (Message(str(line["key"]), _legacy_params(line["params"])) for line in value)
            found[name[:-6]] = Lines(tuple(lines))
        else:
            found[name] = value
    return found


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
    if data.get("v") == 2:
        params = {name: _decode_value(value) for name, value in data["params"].items()}
    else:
        params = _legacy_params(data["params"])
    # Rows queued before buttons could carry a link have three fields, before they could open the Mini App four.
    read = [[_button(*fields) for fields in row] for row in data["buttons"]]
    rows = tuple(row for row in (tuple(b for b in found if b is not None) for found in read) if row)
    dropped = sum(len(row) for row in data["buttons"]) - sum(len(row) for row in rows)
    if dropped:
        log.warning("outbox.buttons_dropped key=%s count=%s", data["key"], dropped)
    pin = Pin(*data["pin"]) if "pin" in data else None
    calendar = None
    if "calendar" in data:
        event = data["calendar"]
        times = {"start": datetime.fromisoformat(event["start"]), "end": datetime.fromisoformat(event["end"])}
        calendar = CalendarEvent(**{**event, **times})
    return Notice(data["key"], params, rows, pin, calendar)


# A pending notice with no pending notice of the same recipient before it: urgent ones first, then in the order
# they were queued (the outbox row is named `o`).
_NEXT_OF_ITS_CHAT = (
    "o.sent_at IS NULL AND o.failed_reason IS NULL AND NOT EXISTS (SELECT 1 FROM outbox AS e "
    "WHERE e.recipient = o.recipient AND e.sent_at IS NULL AND e.failed_reason IS NULL "
    "AND (e.priority < o.priority OR (e.priority = o.priority AND e.id < o.id)))"
)


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(
        self, recipient: int, notice: Notice, dedup_key: str | None, priority: Priority = Priority.ROUTINE
    ) -> bool:
        """False when a notice with the same dedup key was already queued (the event is replayed). Inside a
        transaction already open, the notice is written in it: queued if, and only if, that one commits."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT OR IGNORE INTO outbox (recipient, notice, dedup_key, priority) VALUES (?, seal(?), ?, ?)",
                (recipient, _encode(notice), dedup_key, int(priority)),
            )
            return await tx.changes() == 1

    async def due(self, now: float, limit: int = 50) -> list[QueuedNotice]:
        """The oldest pending notice of each recipient, when it is due: a notice waiting out a retry holds
        back the later ones of its chat, so a pair never gets the pins of an outing before its text. Urgent
        notices come first, in each chat and across chats."""
        rows = await self._db.fetch_all(
            f"SELECT id, recipient, unseal(notice), attempts FROM outbox AS o WHERE {_NEXT_OF_ITS_CHAT} "
            "AND next_attempt_at <= ? ORDER BY priority, id LIMIT ?",
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
