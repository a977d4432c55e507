"""What the pair says after a visit: made, nobody home or refused, how the person seemed, needs seen, a worry,
a note. A worry reaches the professionals and the coordinators at once (urgent); two visits in a row with
nobody home, or without news, alert the coordinators. Each report is written with the notices it owes."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.reports import NEEDS
from bot.domain.visits import MOODS, Outcome, VisitStatus
from bot.services.notifications import Atomic
from bot.services.outings import first_name
from bot.services.roles import RoleService
from bot.services.visit_calendar import VisitCalendar
from bot.services.visit_notices import Worry, in_a_row_notices, worry_notices
from bot.services.visit_sender import VisitSender
from bot.storage.users import UserRepository
from bot.storage.visits import VisitRecord, VisitRepository

MAX_NOTE_CHARS = 1000
# Two of these in a row for the same person and the coordinators hear of it.
ALERTING = (Outcome.NOBODY_HOME, Outcome.UNANSWERED)


@dataclass(frozen=True)
class VisitReport:
    outcome: Outcome
    mood: int | None = None
    needs: tuple[str, ...] = ()
    worry: bool = False
    note: str | None = None


class OutcomeService:
    def __init__(
        self,
        visits: VisitRepository,
        users: UserRepository,
        roles: RoleService,
        sender: VisitSender,
        calendar: VisitCalendar,
        atomic: Atomic,
    ) -> None:
        self._visits = visits
        self._users = users
        self._roles = roles
        self._sender = sender
        self._calendar = calendar
        self._atomic = atomic

    async def reportable(self, visit_id: int, volunteer: int) -> VisitRecord | None:
        """The visit, when this volunteer may report it now: one of its pair, its time come, no report yet."""
        visit = await self._visits.get(visit_id)
        if visit is None or volunteer not in visit.pair or visit.outcome is not None:
            return None
        if visit.status not in (VisitStatus.PROPOSED, VisitStatus.CONFIRMED):
            return None
        return visit if self._calendar.now() >= self._calendar.start(visit) else None

    async def visit_name(self, visit_id: int) -> str:
        """What the pair calls the person visited."""
        stops = await self._visits.stops([visit_id])
        return first_name(stops[0].name) if stops else "?"

    async def report(self, visit_id: int, volunteer: int, report: VisitReport) -> bool:
        """Keep the first report of a visit, with the notices it owes; False when it is not this volunteer's
        to give (any more)."""
        visit = await self.reportable(visit_id, volunteer)
        if visit is None:
            return False
        needs = tuple(n for n in NEEDS if n in report.needs)
        mood = report.mood if report.mood in MOODS else None
        note = (report.note or "").strip()[:MAX_NOTE_CHARS] or None
        async with self._atomic():
            if not await self._visits.record_outcome(
                visit_id, volunteer, report.outcome, mood, needs, report.worry, note
            ):
                return False
            if report.worry:
                await self._tell_worry(visit, volunteer, mood, needs, note)
            await self._check_in_a_row(visit)
        return True

    async def mark_unanswered(self, visit: VisitRecord) -> bool:
        """A visit left without news past its deadline; the coordinators hear of a second one in a row."""
        async with self._atomic():
            if not await self._visits.mark_unanswered(visit.id):
                return False
            await self._check_in_a_row(visit)
        return True

    async def _tell_worry(
        self, visit: VisitRecord, volunteer: int, mood: int | None, needs: tuple[str, ...], note: str | None
    ) -> None:
        person = await self._visits.stops([visit.id])
        names = await self._users.first_names([volunteer])
        worry = Worry(
            visit,
            person[0].name if person else "?",
            person[0].address if person else "?",
            names[volunteer],
            mood,
            needs,
            note,
        )
        recipients = [*await self._users.professionals(), *sorted(self._roles.coordinators)]
        await self._sender.send(worry_notices(worry, recipients))

    async def _check_in_a_row(self, visit: VisitRecord) -> None:
        last = await self._visits.last_outcomes(visit.person_id, 2)
        if len(last) < 2 or last[0] != last[1] or last[0] not in ALERTING:
            return
        names = await self._visits.person_names([visit.person_id])
        name = names.get(visit.person_id, "?")
        await self._sender.send(in_a_row_notices(visit, last[0], name, self._roles.coordinators))
