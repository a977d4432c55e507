"""A notice: what a person must be told, as a catalogue key with parameters and buttons, in no language yet.

Shared by services (which decide), storage (which queues) and the Telegram side (which renders)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Button:
    """A button: its label is a catalogue key (or `text` taken as it is), its data the callback; a button
    with a `url` opens that page instead of calling back."""

    label_key: str
    data: str
    text: str | None = None
    url: str | None = None

    @classmethod
    def labelled(cls, text: str, data: str) -> Button:
        """A button whose label is already final text (a street name, a translated phrase)."""
        return cls("", data, text)

    @classmethod
    def link(cls, label_key: str, url: str) -> Button:
        return cls(label_key, "", None, url)


@dataclass(frozen=True, slots=True)
class Pin:
    """A place sent as a map pin, with no text (Telegram's locations carry none)."""

    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """An event sent as an .ics file; its summary and description are catalogue keys rendered with the
    notice's parameters in the recipient's language. Times are UTC, ISO 8601."""

    uid: str
    start: str
    end: str
    summary_key: str
    description_key: str
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    buttons: tuple[tuple[Button, ...], ...] = ()
    pin: Pin | None = None
    """Sent as a location instead of a text (`key` is then not shown)."""
    calendar: CalendarEvent | None = None
    """Sent as an .ics document, the rendered `key` as its caption."""
