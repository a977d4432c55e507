"""One log line when an incident starts and one when it ends, instead of one per retry.

What an operator needs from the log is when an incident started, why, when it ended and how many attempts it
cost. Telegram is watched per channel (starting, polling, sending: in webhook mode nothing polls, and a Bot
API that answers polls but refuses sends is an incident of its own); the disk is watched where updates are
stored. The metrics endpoint reads the same state (`healthy`, `since`)."""

from __future__ import annotations

import asyncio
import errno
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.domain.errors import OperatorError

log = logging.getLogger("bot.telegram")
T = TypeVar("T")
# Waits between attempts while an incident lasts: doubling from 1 s, never beyond a minute.
FIRST_WAIT_S = 1.0
LONGEST_WAIT_S = 60.0


class TokenRejected(OperatorError):
    """Telegram answers, and refuses the token: no retry can help. The token itself is never printed."""

    def __init__(self) -> None:
        super().__init__("telegram.token_rejected")


class Incident:
    """Whether something is failing now; logs its start and its end, once each."""

    def __init__(self, started: str, ended: str, channel: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._started = started
        self._ended = ended
        self.channel = channel
        self._clock = clock
        self.since: float | None = None
        self._failures = 0

    @property
    def healthy(self) -> bool:
        return self.since is None

    @property
    def subject(self) -> str:
        """What is watched, as the metrics and the health check name it: telegram.polling, storage.inbox…"""
        return f"{self._started.split('.')[0]}.{self.channel}"

    def failed(self, reason: str, detail: str = "") -> None:
        self._failures += 1
        if self.since is None:
            self.since = self._clock()
            log.warning("%s channel=%s reason=%s detail=%s", self._started, self.channel, reason, detail[:120])

    def succeeded(self) -> None:
        if self.since is None:
            return
        log.warning(
            "%s channel=%s after_s=%.1f failed_attempts=%s",
            self._ended,
            self.channel,
            self._clock() - self.since,
            self._failures,
        )
        self.since = None
        self._failures = 0

    def backoff(self) -> float:
        """How long to wait before the next attempt of this incident."""
        return min(FIRST_WAIT_S * 2.0 ** max(self._failures - 1, 0), LONGEST_WAIT_S)


class ApiHealth(Incident):
    def __init__(self, channel: str = "polling", clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__("telegram.unreachable", "telegram.reachable_again", channel, clock)

    def failed_call(self, error: TelegramError) -> None:
        # The message of a network error never holds the token (PTB strips the URL), only its reason.
        self.failed(type(error).__name__, error.message)


class DiskHealth(Incident):
    def __init__(self, channel: str = "inbox", clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__("storage.full", "storage.writable_again", channel, clock)


def disk_full(error: BaseException) -> bool:
    if isinstance(error, sqlite3.OperationalError):
        return error.sqlite_errorname == "SQLITE_FULL"
    return isinstance(error, OSError) and error.errno == errno.ENOSPC


async def until_reachable(call: Callable[[], Awaitable[T]], health: ApiHealth) -> T:
    """`call` again and again, waiting longer each time, while Telegram cannot be reached: a bot started
    during a network outage starts when the network is back. A rejected token stops at once."""
    while True:
        try:
            result = await call()
        except InvalidToken:
            raise TokenRejected() from None
        except NetworkError as exc:
            health.failed_call(exc)
            await asyncio.sleep(health.backoff())
            continue
        health.succeeded()
        return result
