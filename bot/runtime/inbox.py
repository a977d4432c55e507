"""Nothing lost, nothing doubled: PTB's updater confirms a batch of updates to Telegram on its next
getUpdates call, before our handlers have necessarily run. We store every update in the inbox as soon as
getUpdates returns (so before that confirmation), mark it done once processed, replay what is left at
start, and skip an update_id already done."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.error import TimedOut
from telegram.ext import Application, ExtBot

from bot.runtime.health import ApiHealth, DiskHealth, disk_full
from bot.runtime.metrics import Metrics
from bot.runtime.ordering import person_of
from bot.runtime.persistence import SqlitePersistence
from bot.storage.inbox import InboxRepository

log = logging.getLogger(__name__)


def payload_of(update: Update) -> str:
    return json.dumps(update.to_dict(), ensure_ascii=False, separators=(",", ":"))


class InboxBot(ExtBot[None]):
    def __init__(self, *args: Any, inbox: InboxRepository, health: ApiHealth, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._inbox = inbox
        self._health = health
        self._disk = DiskHealth()

    @property
    def health(self) -> ApiHealth:
        return self._health

    @property
    def disk(self) -> DiskHealth:
        return self._disk

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        try:
            updates = await super().get_updates(*args, **kwargs)
        except TimedOut as exc:
            # PTB polls again at once after a timeout without calling the error callback: counted here, or a
            # Bot API that stops answering would leave no line in the log.
            self._health.failed_call(exc)
            raise
        self._health.succeeded()
        if updates:
            try:
                await self._inbox.store([(update.update_id, payload_of(update)) for update in updates])
            except (sqlite3.OperationalError, OSError) as exc:
                if not disk_full(exc):
                    raise
                # Not stored, so not confirmed: Telegram keeps them and gives them again at a later poll. One
                # line for the incident and a growing wait, instead of a traceback at every immediate retry.
                self.disk.failed(type(exc).__name__, str(exc))
                await asyncio.sleep(self.disk.backoff())
                return ()
            self.disk.succeeded()
        return updates


class InboxApplication(Application[Any, Any, Any, Any, Any, Any]):
    def __init__(self, *, inbox: InboxRepository, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inbox = inbox
        self.metrics = metrics

    async def process_error(self, update: object | None, error: Exception, *args: Any, **kwargs: Any) -> bool:
        if isinstance(update, Update):
            self.metrics.updates_failed.inc()
        return await super().process_error(update, error, *args, **kwargs)

    async def process_update(self, update: object) -> None:
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        if await self.inbox.is_done(update.update_id):
            log.info("update.skipped_duplicate update_id=%s", update.update_id)
            return
        # Webhook updates never went through get_updates; storing again is a no-op for the others.
        await self.inbox.store([(update.update_id, payload_of(update))])
        await super().process_update(update)
        # The conversation state and the done-mark are committed together: a restart either resumes after
        # this update or replays it from the state before it, never from a mix.
        await self.update_persistence()
        assert isinstance(self.persistence, SqlitePersistence)
        await self.persistence.commit(done_update_id=update.update_id, person=person_of(update))
        self.metrics.updates_processed.inc()

    async def replay_pending(self) -> int:
        """Queue the updates stored but never finished (the bot stopped in between); returns how many."""
        pending: Sequence[tuple[int, str]] = await self.inbox.pending()
        for update_id, payload in pending:
            try:
                update = Update.de_json(json.loads(payload), self.bot)
            except (ValueError, TypeError, KeyError) as exc:
                # One unreadable row must not stop the bot from starting; it stays in the inbox for a look.
                log.error("update.unreadable update_id=%s error=%s", update_id, type(exc).__name__)
                continue
            log.info("update.replayed update_id=%s", update_id)
            await self.update_queue.put(update)
        return len(pending)
