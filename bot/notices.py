"""A notice: what a person must be told, as a catalogue key with parameters and buttons, in no language yet.

Shared by services (which decide), storage (which queues) and the Telegram side (which renders)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.i18n import Translator


@dataclass(frozen=True, slots=True)
class Button:
    """A button: its label is a catalogue key (or `text` taken as it is), its data the callback."""

    label_key: str
    data: str
    text: str | None = None

    @classmethod
    def labelled(cls, text: str, data: str) -> Button:
        """A button whose label is already final text (a street name, a translated phrase)."""
        return cls("", data, text)


@dataclass(frozen=True, slots=True)
class Notice:
    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    buttons: tuple[tuple[Button, ...], ...] = ()


def render(_: Translator, key: str, params: Mapping[str, object]) -> str:
    """Parameters named `x_key` are catalogue keys, translated and passed as `x`; `x_keys` are lists of
    keys, translated and joined with commas."""
    resolved: dict[str, object] = {}
    for name, value in params.items():
        if name.endswith("_key"):
            resolved[name[:-4]] = _(str(value))
        elif name.endswith("_keys") and isinstance(value, list | tuple):
            resolved[name[:-5]] = ", ".join(_(str(item)) for item in value)
        else:
            resolved[name] = value
    return _(key, **resolved)
