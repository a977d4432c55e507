"""What the services want users to be told, without knowing how it reaches them (Telegram today)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Button:
    """A button: its label is a catalogue key (or `text` taken as it is), its data the callback."""

    label_key: str
    data: str
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    buttons: tuple[tuple[Button, ...], ...] = ()


class Notifier(Protocol):
    async def tell(self, recipient: int, notice: Notice) -> bool:
        """Deliver a notice; False if the recipient cannot be reached (blocked the bot, left)."""
        ...
