"""One log line when the Bot API becomes unreachable and one when it is back, instead of one per retry.

PTB's polling loop already waits longer after each failure (up to 30 s), and the outbox worker backs off per
notice; what an operator needs from the log is when an incident started, why, when it ended and how many
calls it cost. Polling and delivery are watched apart: in webhook mode nothing polls, and a Bot API that
answers polls but refuses sends is an incident of its own."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from telegram.error import TelegramError

log = logging.getLogger("bot.telegram")


class ApiHealth:
    def __init__(self, channel: str = "polling", clock: Callable[[], float] = time.monotonic) -> None:
        self._channel = channel
        self._clock = clock
        self._since: float | None = None
        self._failures = 0

    def failed(self, error: TelegramError) -> None:
        self._failures += 1
        if self._since is None:
            self._since = self._clock()
            # The message of a network error never holds the token (PTB strips the URL), only its reason.
            log.warning(
                "telegram.unreachable channel=%s reason=%s detail=%s",
                self._channel,
                type(error).__name__,
                error.message[:120],
            )

    def succeeded(self) -> None:
        if self._since is None:
            return
        log.warning(
            "telegram.reachable_again channel=%s after_s=%.1f failed_calls=%s",
            self._channel,
            self._clock() - self._since,
            self._failures,
        )
        self._since = None
        self._failures = 0
