"""Updates of different people are processed concurrently, those of one person strictly in order.

A person's taps form a conversation whose next step depends on the previous one, so they must not overlap;
different people share nothing but the database, whose transactions are already serialised. Without this,
one slow step (a Bot API round trip, a commit) holds everyone else's messages in the queue."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def person_of(update: object) -> int | None:
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return None


class PerPersonUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int | None, asyncio.Lock] = {}
        self._waiting: dict[int | None, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        person = person_of(update)
        lock = self._locks.setdefault(person, asyncio.Lock())
        self._waiting[person] = self._waiting.get(person, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[person] -= 1
            if self._waiting[person] == 0:
                # Forget idle people, or the table would grow with every user the bot ever met.
                del self._waiting[person], self._locks[person]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
