"""The reminders of a published week, kept in the database rather than in timers: the day before and an hour
before each outing, the question after each visit, and the visits left without news. Each notice has its
dedup key, so running this twice, or again after a restart, sends nothing twice; what came due while the bot
was stopped is sent now, unless its moment has passed (a reminder after the meeting)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import VisitSettings
from bot.services.outings import group_outings
from bot.services.visit_calendar import VisitCalendar
from bot.services.visit_notices import after_visit_notices, reminder_notices
from bot.services.visit_outcomes import OutcomeService
from bot.services.visit_sender import VisitSender
from bot.storage.visits import VisitRecord, VisitRepository


@dataclass
class Due:
    """What `send_due` found to do; the figures a test or a log line reads."""

    reminders: int = 0
    prompts: int = 0
    unanswered: int = 0


class ReminderService:
    def __init__(
        self,
        visits: VisitRepository,
        outcomes: OutcomeService,
        sender: VisitSender,
        calendar: VisitCalendar,
        settings: VisitSettings,
    ) -> None:
        self._visits = visits
        self._outcomes = outcomes
        self._sender = sender
        self._calendar = calendar
        self._settings = settings

    async def send_due(self, now: datetime | None = None) -> Due:
        """Everything due at `now` (default: the clock)."""
        now = now or self._calendar.now()
        since = now.date() - timedelta(days=self._settings.unanswered_after_hours // 24 + 2)
        due = Due()
        for outing in group_outings(await self._visits.published_from(since)):
            await self._outing_due(outing, now, due)
        return due

    async def next_due_at(self, now: datetime | None = None) -> datetime | None:
        now = now or self._calendar.now()
        moments = []
        for outing in group_outings(await self._visits.published_from(now.date())):
            moments += [at for at in self._moments(outing) if at > now]
        return min(moments, default=None)

    def _reminders_at(self, outing: Sequence[VisitRecord]) -> tuple[datetime, datetime]:
        """The day before, at the configured time, and so many minutes before the meeting."""
        start = self._calendar.start(outing[0])
        day_before = self._calendar.at(start.date() - timedelta(days=1), self._settings.reminder_day_before)
        return day_before, start - timedelta(minutes=self._settings.reminder_before_minutes)

    def _moments(self, outing: Sequence[VisitRecord]) -> list[datetime]:
        after = [self._calendar.end(v) for v in outing]
        silent = [end + timedelta(hours=self._settings.unanswered_after_hours) for end in after]
        return [*self._reminders_at(outing), *after, *silent]

    async def _outing_due(self, outing: Sequence[VisitRecord], now: datetime, due: Due) -> None:
        start = self._calendar.start(outing[0])
        day_before, hour_before = self._reminders_at(outing)
        kind = "hour" if hour_before <= now < start else "day" if day_before <= now < hour_before else None
        if kind is not None:
            names = await self._sender.first_names(outing[0].pair)
            reminders = reminder_notices(kind, await self._sender.facts(outing), names)
            await self._sender.send(reminders)
            due.reminders += len(reminders)
        for visit in outing:
            end = self._calendar.end(visit)
            if now >= end + timedelta(hours=self._settings.unanswered_after_hours):
                if await self._outcomes.mark_unanswered(visit):
                    due.unanswered += 1
            elif now >= end:
                await self._sender.send(after_visit_notices(visit, await self._outcomes.visit_name(visit.id)))
                due.prompts += 1
