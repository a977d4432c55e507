"""ISO weeks, the unit a plan is made for."""

from __future__ import annotations

import re
from datetime import date, timedelta

ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(text: str | None, today: date) -> tuple[int, int]:
    """`2026-W49`, or next week when not given (plans are made ahead)."""
    if text is None:
        year, week, _ = (today + timedelta(days=7)).isocalendar()
        return year, week
    match = ISO_WEEK.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not an ISO week such as 2026-W49")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year} has no ISO week {week} (it has 52 or 53)") from None
    return year, week
