"""The town's clock and the half-days' times: when an outing starts and ends, which week comes next. One
instance is shared by every service of the visits, so a test sets the clock once for a whole week's life."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.slots import Slot
from bot.services.availability import week_days
from bot.storage.visits import VisitRecord


class VisitCalendar:
    def __init__(self, slots: Sequence[Slot], timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self._slots = {slot.id: slot for slot in slots}
        self.now: Callable[[], datetime] = lambda: datetime.now(self.zone)

    def next_week(self) -> tuple[int, int]:
        year, week, _ = (self.now().date() + timedelta(days=7)).isocalendar()
        return year, week

    def slot_start(self, slot_id: str) -> time | None:
        slot = self._slots.get(slot_id)
        return slot.start if slot else None

    def meeting_time(self, visit: VisitRecord) -> time:
        """When the pair meets: the half-day's start (the first ring, should the half-day be gone)."""
        return self.slot_start(visit.slot_id) or visit.arrival

    def start(self, visit: VisitRecord) -> datetime:
        return self.at(visit.day, self.meeting_time(visit))

    def end(self, visit: VisitRecord) -> datetime:
        return self.at(visit.day, visit.departure)

    def at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, self.zone)

    def slots_ahead(self, year: int, iso_week: int) -> frozenset[str]:
        """The half-days of that week not yet begun."""
        days = week_days(year, iso_week)
        now = self.now()
        return frozenset(slot.id for slot in self._slots.values() if self.at(days[slot.day], slot.start) > now)
