"""How services have people told things, without knowing how it reaches them (Telegram today)."""

from __future__ import annotations

from typing import Protocol

from bot.notices import Notice


class Notifier(Protocol):
    async def tell(self, recipient: int, notice: Notice, dedup_key: str | None = None) -> None:
        """Queue a notice durably; `dedup_key` names the event so a replayed event queues it only once."""
        ...
