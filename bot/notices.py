"""A notice: what a person must be told, as a catalogue key with parameters and buttons, in no language yet.

Shared by services (which decide), storage (which queues) and the Telegram side (which renders)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import IntEnum
from typing import Any

from bot.domain.callbacks import Button
from bot.i18n import Safe, Translator


@dataclass(frozen=True, slots=True)
class Pin:
    """A place sent as a map pin, with no text (Telegram's locations carry none)."""

    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """An event sent as an .ics file; its summary and description are catalogue keys rendered with the
    notice's parameters in the recipient's language."""

    uid: str
    start: datetime
    end: datetime
    summary_key: str
    description_key: str
    lat: float | None = None
    lon: float | None = None


class Priority(IntEnum):
    """Urgent notices leave the outbox before routine ones (a danger is not queued behind a week's outings)."""

    URGENT = 0
    ROUTINE = 1


@dataclass(frozen=True, slots=True)
class Message:
    """A catalogue message placed inside another, rendered in the reader's language with its own values."""

    key: str
    params: Mapping[str, Value] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Lines:
    """Messages shown one a line."""

    items: tuple[Message, ...]


@dataclass(frozen=True, slots=True)
class Listing:
    """Messages shown one after the other, separated by commas (signs seen, needs)."""

    items: tuple[Message, ...]


Value = str | int | float | date | time | Message | Lines | Listing
"""What a notice's placeholder may hold: text and numbers as they are (text escaped once), a day written out
in the reader's language, a time of day as HH:MM, or catalogue messages rendered in the reader's language."""


@dataclass(frozen=True, slots=True)
class Notice:
    key: str
    params: Mapping[str, Value] = field(default_factory=dict)
    buttons: tuple[tuple[Button, ...], ...] = ()
    pin: Pin | None = None
    """Sent as a location instead of a text (`key` is then not shown)."""
    calendar: CalendarEvent | None = None
    """Sent as an .ics document, the rendered `key` as its caption."""


def render(_: Translator, key: str, params: Mapping[str, Value]) -> str:
    """The message in the reader's language, each value shown by its type (see `Value`); a sentence that agrees
    agrees with its reader (no notice speaks of a person in words that need agreement)."""
    shown: dict[str, Any] = {name: _shown(_, value) for name, value in params.items()}
    return _(key, **shown)


def _shown(_: Translator, value: Value) -> object:
    if isinstance(value, Message):
        return Safe(render(_, value.key, value.params))
    if isinstance(value, Lines):
        return Safe("\n".join(render(_, item.key, item.params) for item in value.items))
    if isinstance(value, Listing):
        return Safe(", ".join(render(_, item.key, item.params) for item in value.items))
    if isinstance(value, date):
        return _.format_date(value, "EEEE d MMMM")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value
