"""How services have people told things, without knowing how it reaches them (Telegram today)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol

from bot.notices import Notice, Priority


class Notifier(Protocol):
    async def tell(
        self, recipient: int, notice: Notice, dedup_key: str | None = None, priority: Priority = Priority.ROUTINE
    ) -> None:
        """Queue a notice durably; `dedup_key` names the event so a replayed event queues it only once. Inside a
        transaction, the notice is queued with it: if and only if it commits."""
        ...


Atomic = Callable[[], AbstractAsyncContextManager[object]]
"""Opens the transaction of a use case: its state change and the notices it owes are written together, or
neither is (a crash in between leaves the state as it was, and the replayed update does it all again)."""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A notice to one person, as the pure functions that compose notices return them."""

    recipient: int
    notice: Notice
    dedup_key: str
    priority: Priority = Priority.ROUTINE


async def send(notifier: Notifier, outgoing: Iterable[Outgoing]) -> None:
    for item in outgoing:
        await notifier.tell(item.recipient, item.notice, item.dedup_key, item.priority)
