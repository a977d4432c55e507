"""Jobs that sleep until the next moment the database knows of (a reminder, the end of an open call) and are
woken sooner when something changes. The moments live in the database, so a restart loses none of them."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from telegram.ext import JobQueue

from bot.handlers.common import Context

# Whatever was planned, look again at least this often, so a change is never missed for long.
MAX_SLEEP_S = 6 * 3600
Job = Callable[[Context], Coroutine[Any, Any, None]]


def wake_at(context: Context, job: Job, name: str, now: datetime, next_at: datetime | None) -> None:
    """Run `job` at `next_at` (soon, when it is past), or after the longest sleep when nothing is due."""
    delay = MAX_SLEEP_S if next_at is None else min(max((next_at - now).total_seconds(), 1.0), MAX_SLEEP_S)
    wake_in(context, job, name, delay)


def wake_in(context: Context, job: Job, name: str, delay: float) -> None:
    """Run `job` once in `delay` seconds, instead of whatever run of it was planned under `name`."""
    wake_queue_in(context.jobs, job, name, delay)


def wake_queue_in(queue: JobQueue[Context], job: Job, name: str, delay: float) -> None:
    """`wake_in` from outside a handler (the Mini App's server), with the application's job queue."""
    for planned in queue.get_jobs_by_name(name):
        planned.schedule_removal()
    queue.run_once(job, delay, name=name)
