"""ISO weeks, the unit a plan is made for."""

from __future__ import annotations

import re
from datetime import date, timedelta

ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
# A week further than this from today is a typing mistake (9999-W52), and would reach dates Python cannot hold.
MAX_YEARS_AWAY = 5


class NoSuchWeek(ValueError):
    """Written as a week, but the year has no such week."""

    def __init__(self, year: int, week: int) -> None:
        super().__init__(f"{year} has no ISO week {week} (it has 52 or 53)")
        self.year = year
        self.week = week


class WeekOutOfReach(ValueError):
    """An ISO week that exists, but too far from today to plan or show."""

    def __init__(self, first: str, last: str) -> None:
        super().__init__(f"choose a week between {first} and {last}")
        self.first = first
        self.last = last


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


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
        raise NoSuchWeek(year, week) from None
    if not today.year - MAX_YEARS_AWAY <= year <= today.year + MAX_YEARS_AWAY:
        reach = timedelta(days=365 * MAX_YEARS_AWAY)
        raise WeekOutOfReach(_iso_week(today - reach), _iso_week(today + reach))
    return year, week
