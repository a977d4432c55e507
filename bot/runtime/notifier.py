"""The one way out: services queue notices in the outbox; a worker renders each in its recipient's
language and delivers it, retrying what failed for a passing reason and pacing each private chat."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
import sqlite3
import time
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.domain.callbacks import Button
from bot.i18n import Translator
from bot.ics import event_file
from bot.notices import Notice, Priority, render
from bot.runtime.health import ApiHealth, DiskHealth, disk_full
from bot.storage.outbox import OutboxRepository, QueuedNotice

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 300.0
IDLE_WAIT_S = 5.0
# Messages are Telegram HTML; a calendar wants plain text.
_TAGS = re.compile(r"<[^>]+>")


# Draws a notice's buttons for Telegram (given by the application: bot/handlers/keyboards.py, with the Mini
# App's address).
Keyboard = Callable[[Translator, tuple[tuple[Button, ...], ...]], InlineKeyboardMarkup | None]


class OutboxNotifier:
    def __init__(self, outbox: OutboxRepository) -> None:
        self._outbox = outbox
        self.wake = asyncio.Event()

    async def tell(
        self, recipient: int, notice: Notice, dedup_key: str | None = None, priority: Priority = Priority.ROUTINE
    ) -> None:
        await self._outbox.enqueue(recipient, notice, dedup_key, priority)
        # Inside a transaction the worker, woken, waits for the database until it commits.
        self.wake.set()


class OutboxWorker:
    def __init__(
        self,
        outbox: OutboxRepository,
        bot: Bot,
        translator_for: Callable[[int], Awaitable[Translator]],
        keyboard: Keyboard,
        wake: asyncio.Event,
        health: ApiHealth,
        per_chat_interval_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._outbox = outbox
        self._bot = bot
        self._translator_for = translator_for
        self._keyboard = keyboard
        self._wake = wake
        self._health = health
        self._per_chat_interval_s = per_chat_interval_s
        self._clock = clock
        self._last_sent: dict[int, float] = {}
        self._stopping = False
        self.disk = DiskHealth("outbox")

    @property
    def health(self) -> ApiHealth:
        return self._health

    async def stop(self, task: asyncio.Task[None], grace_s: float) -> None:
        """End `task` (this worker's run) between two notices rather than in the middle of one: a notice sent
        but not yet marked would be sent again at the next start. Cancelled, as a crash would stop it, if it
        does not end within `grace_s` (a call to the Bot API still hanging past its own timeout)."""
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(task, timeout=grace_s)
        except (TimeoutError, asyncio.CancelledError):
            pass
        except Exception as exc:  # the worker's own failure, kept for the log rather than lost with the task
            log.error("outbox.worker_failed error=%s", type(exc).__name__, exc_info=exc)

    async def run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                wait = await self.deliver_due()
            except (sqlite3.OperationalError, OSError) as exc:
                if not disk_full(exc):
                    raise
                # A notice sent but not marked is sent again once the disk has room: twice rather than never.
                self.disk.failed(type(exc).__name__, str(exc))
                wait = self.disk.backoff()
            else:
                self.disk.succeeded()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)

    async def deliver_due(self) -> float:
        """Deliver what is due now; returns how long to wait before the next pass."""
        now = self._clock()
        wait = IDLE_WAIT_S
        for queued in await self._outbox.due(now):
            if self._stopping:
                break
            gap = self._last_sent.get(queued.recipient, 0.0) + self._per_chat_interval_s - self._clock()
            if gap > 0:
                wait = min(wait, gap)
                continue
            await self._deliver(queued)
        next_due = await self._outbox.next_due_at()
        if next_due is not None:
            wait = min(wait, max(next_due - self._clock(), 0.0))
        return max(wait, 0.01)

    async def _deliver(self, queued: QueuedNotice) -> None:
        translator = await self._translator_for(queued.recipient)
        try:
            await self._send(queued.recipient, queued.notice, translator)
        except (Forbidden, BadRequest) as exc:
            # Blocked the bot or never started it: retrying cannot help; the coordinator's views still
            # show the state, so the information itself is not lost.
            log.warning(
                "notice.undeliverable id=%s key=%s reason=%s",
                queued.id,
                queued.notice.key,
                type(exc).__name__,
            )
            await self._outbox.give_up(queued.id, type(exc).__name__)
            return
        except (KeyError, IndexError, ValueError) as exc:
            # A notice its catalogue entry cannot render (a placeholder missing): one lost notice, logged,
            # rather than a stopped worker and every later notice with it.
            log.error("notice.unrenderable id=%s key=%s reason=%s", queued.id, queued.notice.key, exc)
            await self._outbox.give_up(queued.id, "unrenderable")
            return
        except RetryAfter as exc:
            await self._outbox.retry_later(queued.id, self._clock() + _seconds(exc))
            return
        except NetworkError as exc:
            # The incident is logged once, however many notices wait and however often each is retried.
            self._health.failed_call(exc)
            await self._outbox.retry_later(queued.id, self._clock() + min(2.0**queued.attempts, MAX_BACKOFF_S))
            return
        self._health.succeeded()
        self._last_sent[queued.recipient] = self._clock()
        await self._outbox.mark_sent(queued.id)

    async def _send(self, recipient: int, notice: Notice, _: Translator) -> None:
        markup = self._keyboard(_, notice.buttons)
        if notice.pin is not None:
            await self._bot.send_location(recipient, notice.pin.lat, notice.pin.lon, reply_markup=markup)
            return
        text = render(_, notice.key, notice.params)
        event = notice.calendar
        if event is None:
            await self._bot.send_message(recipient, text, reply_markup=markup)
            return
        ics = event_file(
            event.uid,
            event.start,
            event.end,
            html.unescape(render(_, event.summary_key, notice.params)),
            html.unescape(_TAGS.sub("", render(_, event.description_key, notice.params))),
            (event.lat, event.lon) if event.lat is not None and event.lon is not None else None,
        )
        document = InputFile(ics.encode("utf-8"), filename="visite.ics")
        await self._bot.send_document(recipient, document, caption=text, reply_markup=markup)


def _seconds(exc: RetryAfter) -> float:
    """The wait Telegram asks for. PTB 22 gives seconds and warns that a later major version will give a
    timedelta; both are read, so the warning says nothing to act on here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        delay = exc.retry_after
    return delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
