"""A notice: what a person must be told, as a catalogue key with parameters and buttons, in no language yet.

Shared by services (which decide), storage (which queues) and the Telegram side (which renders)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

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


def render(_: Translator, key: str, params: Mapping[str, object]) -> str:
    """Parameters named `x_key` are catalogue keys, translated and passed as `x`; `x_keys` are lists of
    keys, translated and joined with commas; `x_date` an ISO date, written out in the reader's language;
    `x_lines` a list of {"key", "params"} messages, each rendered the same way, one a line."""
    resolved: dict[str, object] = {}
    for name, value in params.items():
        if name.endswith("_key"):
            resolved[name[:-4]] = _(str(value))
        elif name.endswith("_keys") and isinstance(value, list | tuple):
            resolved[name[:-5]] = ", ".join(_(str(item)) for item in value)
        elif name.endswith("_date") and isinstance(value, str):
            resolved[name[:-5]] = _.format_date(date.fromisoformat(value), "EEEE d MMMM")
        elif name.endswith("_lines") and isinstance(value, list | tuple):
            resolved[name[:-6]] = Safe("\n".join(render(_, str(line["key"]), line["params"]) for line in value))
        else:
            resolved[name] = value
    return _(key, **resolved)
