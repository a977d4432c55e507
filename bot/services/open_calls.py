"""Open calls: a visit of a published week that nobody could take (left out of the plan, or a "can't go"
the repair could not replace), offered with one press of the coordinator to the volunteers free in its
slot, instead of "who can go?" in a group chat.

Who is asked: the approved volunteers available in that slot that week (not paused, not absent that day),
not already out in a pair in it nor having said "can't go" in it, below their capacity for the week, and
whose meeting point (the hub, else their home) is within the planner's walking limit of the door. A call is
launched only when two of them may go together.

What they are told: the day, the time, the street and neighbourhood, and about how long it takes with the
walk; never the person's name, house number, phone, needs or notes. Those who get the visit then receive
the outing exactly as at publication (`VisitService.tell_outing`).

How the pair is formed: acceptances are kept in the order they came. The call is filled as soon as an
acceptance makes an allowed pair with an earlier one (`may_pair`: a service civique member only beside an
experienced partner), the earliest such one: the first to say yes waits for a partner and is the first
served. Nobody is ever given a visit they did not accept. The others are told it is taken; their buttons
then get a refusal. A call not filled by its end (`visits.open_call_hours`, at the latest the slot's start)
expires; those waiting for a partner and the coordinators are told.

Everything is in the database: a call filled or expired is "settled" once its notices are queued, and the
job at start settles what a stop left half done (`settle_due`), so nothing is lost or sent twice.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import combinations
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.domain.actions.open_calls import AcceptCall, DeclineCall
from bot.domain.callbacks import Button
from bot.domain.open_calls import Acceptance, CallAnswer
from bot.domain.persons import PersonRecord
from bot.domain.places import Point
from bot.domain.visits import PlanStatus, VisitStatus
from bot.domain.volunteers import VolunteerKind
from bot.matching.week import Kind, Volunteer, Week, may_pair
from bot.matching.week import Slot as WeekSlot
from bot.notices import Notice
from bot.routing.walking import WalkingModel
from bot.services.notifications import Notifier
from bot.services.planning import PlanningService
from bot.services.roles import RoleService
from bot.services.streets import StreetService
from bot.services.visits import VisitService
from bot.storage.open_calls import InviteeRecord, NewCall, NewInvitee, OpenCallRecord, OpenCallRepository
from bot.storage.persons import PersonRepository
from bot.storage.visits import PlanRecord, VisitRecord, VisitRepository

# Visits that count: made, to be made, or missed; not those declined or handed to another pair.
COUNTED = frozenset({VisitStatus.PROPOSED, VisitStatus.CONFIRMED, VisitStatus.DONE, VisitStatus.MISSED})


class Refusal(StrEnum):
    GONE = "gone"  # no such published week, visit or person
    NOT_NEEDED = "not_needed"  # every visit due is made or planned, or calls already cover it
    NOBODY = "nobody"  # no two volunteers who may go together are free in any slot that suits


@dataclass(frozen=True, slots=True)
class Launched:
    call_id: int
    name: str  # the person's, for the coordinator
    day: str
    start: str
    asked: int
    expires: datetime


@dataclass(frozen=True, slots=True)
class Answered:
    outcome: Acceptance
    day: str = ""
    start: str = ""


@dataclass(frozen=True, slots=True)
class CallLine:
    call: OpenCallRecord
    name: str
    start: str
    asked: int
    accepted: int
    pair: tuple[str, str] | None


@dataclass(frozen=True, slots=True)
class Board:
    """A published week seen from its open calls: who still misses a visit, and the calls made."""

    plan: PlanRecord
    uncovered: tuple[tuple[int, str, int], ...]  # person id, name, visits missing
    calls: tuple[CallLine, ...]


def _volunteer(invitee: InviteeRecord) -> Volunteer:
    return Volunteer(str(invitee.volunteer), Kind(invitee.kind.value), invitee.experienced, frozenset(), 0)


def may_go_with(a: InviteeRecord, b: InviteeRecord) -> bool:
    return may_pair(_volunteer(a), _volunteer(b))


def _missing(week: Week, visits: Sequence[VisitRecord], calls: Sequence[OpenCallRecord]) -> dict[int, int]:
    """Per person due that week, the visits neither counted in the plan nor yet to come from a call."""
    taken = Counter(v.person_id for v in visits if v.status in COUNTED)
    taken.update(c.person_id for c in calls if c.pending)
    due = {int(p.id): p.visits_due for p in week.persons}
    return {person: due[person] - taken[person] for person in due if due[person] > taken[person]}


class OpenCallService:
    def __init__(
        self,
        calls: OpenCallRepository,
        visit_repo: VisitRepository,
        visits: VisitService,
        planning: PlanningService,
        persons: PersonRepository,
        streets: StreetService,
        roles: RoleService,
        notifier: Notifier,
        settings: Settings,
    ) -> None:
        self._calls = calls
        self._visit_repo = visit_repo
        self._visits = visits
        self._planning = planning
        self._persons = persons
        self._streets = streets
        self._roles = roles
        self._notifier = notifier
        self._slots = {slot.id: slot for slot in settings.slots}
        walking = settings.planning
        self._visit_minutes = walking.visit_minutes
        self._max_walk = walking.max_walk_minutes
        self._walking = WalkingModel(walking.walking_speed_kmh, walking.walking_circuity)
        self._hub = settings.visits.hub
        self._lasts = timedelta(hours=settings.visits.open_call_hours)
        self._zone = ZoneInfo(settings.reports.timezone)

    def now(self) -> datetime:
        """The visits' clock (tests set one clock for the whole week's life)."""
        return self._visits.clock()

    # --- the coordinator ------------------------------------------------------------------------------------
    async def board(self, plan_id: int) -> Board | None:
        plan = await self._published(plan_id)
        if plan is None:
            return None
        week = await self._planning.week(plan.year, plan.iso_week)
        calls = await self._calls.of_plan(plan.id)
        missing = _missing(week, await self._visit_repo.visits(plan.id), calls)
        names = await self._visit_repo.person_names([*missing, *(c.person_id for c in calls)])
        lines = []
        for call in calls:
            invitees = await self._calls.invitees(call.id)
            accepted = sum(1 for i in invitees if i.answer is CallAnswer.ACCEPTED)
            pair = None
            if call.pair is not None:
                pair = (
                    await self._visits.volunteer_name(call.pair[0]),
                    await self._visits.volunteer_name(call.pair[1]),
                )
            lines.append(
                CallLine(
                    call, names.get(call.person_id, "?"), self._start_text(call.slot_id), len(invitees), accepted, pair
                )
            )
        uncovered = tuple((person, names.get(person, "?"), count) for person, count in sorted(missing.items()))
        return Board(plan, uncovered, tuple(lines))

    async def launch(self, plan_id: int, person_id: int, actor: int) -> Launched | Refusal:
        """A call for a visit the person still misses this week, in the slot that suits them where the most
        volunteers could be asked."""
        return await self._launch(plan_id, person_id, actor, None)

    async def launch_for(self, visit_id: int, actor: int) -> Launched | Refusal:
        """A call for a visit declined and not replaced: in its own slot when two may go there, else as
        `launch`."""
        visit = await self._visit_repo.get(visit_id)
        if visit is None or visit.status is not VisitStatus.DECLINED:
            return Refusal.NOT_NEEDED if visit is not None else Refusal.GONE
        return await self._launch(visit.plan_id, visit.person_id, actor, visit)

    async def _launch(
        self, plan_id: int, person_id: int, actor: int, declined: VisitRecord | None
    ) -> Launched | Refusal:
        plan = await self._published(plan_id)
        person = await self._persons.get(person_id)
        if plan is None or person is None or person.lat is None or person.lon is None:
            return Refusal.GONE
        week = await self._planning.week(plan.year, plan.iso_week)
        visits = await self._visit_repo.visits(plan.id)
        calls = await self._calls.of_plan(plan.id)
        missing = _missing(week, visits, calls).get(person_id, 0)
        if missing <= 0:
            return Refusal.NOT_NEEDED
        door = Point(person.lat, person.lon)
        chosen = await self._choose_slot(plan, week, person, door, visits, calls, declined)
        if chosen is None:
            return Refusal.NOBODY
        slot, askable = chosen
        now = self.now()
        expires = min(now + self._lasts, self._slot_start(slot.id, slot.day))
        pending = sum(1 for c in calls if c.person_id == person_id and c.pending)
        call_id = await self._calls.launch(
            NewCall(
                plan.id, person_id, slot.id, slot.day.isoformat(), declined.id if declined else None, actor, expires
            ),
            [NewInvitee(int(v.id), VolunteerKind(v.kind.value), v.experienced, v.capacity) for v in askable],
            allowed=missing + pending,
        )
        if call_id is None:
            return Refusal.NOT_NEEDED
        place = await self._place(person)
        buttons = (
            (Button("opencall.yes_button", AcceptCall(call_id)), Button("opencall.no_button", DeclineCall(call_id))),
        )
        for volunteer in askable:
            params = {
                "day_date": slot.day.isoformat(),
                "start": self._start_text(slot.id),
                "place": place,
                "minutes": self._minutes(volunteer, door),
            }
            await self._notifier.tell(
                int(volunteer.id), Notice("opencall.ask", params, buttons), f"opencall.ask:{call_id}:{volunteer.id}"
            )
        names = await self._visit_repo.person_names([person_id])
        return Launched(
            call_id, names.get(person_id, "?"), slot.day.isoformat(), self._start_text(slot.id), len(askable), expires
        )

    async def _choose_slot(
        self,
        plan: PlanRecord,
        week: Week,
        person: PersonRecord,
        door: Point,
        visits: Sequence[VisitRecord],
        calls: Sequence[OpenCallRecord],
        declined: VisitRecord | None,
    ) -> tuple[WeekSlot, list[Volunteer]] | None:
        """The declined visit's own slot when two may go there; else, of the slots still ahead that the person
        prefers (any, without a preference) and where they have no visit or call yet, the one with the most
        volunteers to ask (the earliest of equals)."""
        suits = set(person.slots) or set(self._slots)
        if declined is not None:
            suits.add(declined.slot_id)
        taken = {v.slot_id for v in visits if v.person_id == person.id and v.status in COUNTED}
        taken |= {c.slot_id for c in calls if c.person_id == person.id and c.pending}
        now = self.now()
        best: tuple[WeekSlot, list[Volunteer]] | None = None
        for slot in sorted(week.slots, key=lambda s: (declined is None or s.id != declined.slot_id, s.day, s.start)):
            if slot.id not in suits or slot.id in taken or self._slot_start(slot.id, slot.day) <= now:
                continue
            askable = await self._askable(plan.id, slot, week, door)
            if not any(may_pair(a, b) for a, b in combinations(askable, 2)):
                continue
            if declined is not None and slot.id == declined.slot_id:
                return slot, askable
            if best is None or len(askable) > len(best[1]):
                best = (slot, askable)
        return best

    async def _askable(self, plan_id: int, slot: WeekSlot, week: Week, door: Point) -> list[Volunteer]:
        taken = await self._calls.commitments(plan_id, slot.id)
        return [
            v
            for v in week.volunteers
            if slot.id in v.slot_ids
            and int(v.id) not in taken.in_slot
            and taken.load.get(int(v.id), 0) < v.capacity
            and self._within_reach(v, door, slot)
        ]

    def _walk(self, volunteer: Volunteer, door: Point) -> float:
        """From where this volunteer's pair would meet: the hub, else a home; without either, at the door."""
        meet = self._hub or volunteer.home
        return self._walking.minutes(meet, door) if meet is not None else 0.0

    def _within_reach(self, volunteer: Volunteer, door: Point, slot: WeekSlot) -> bool:
        """As the routing judges a visit alone (in whole seconds): the walk within the limit, and the visit over
        before the slot ends."""
        walk = self._walk(volunteer, door)
        return math.ceil(walk * 60) <= math.floor(self._max_walk * 60) and walk + self._visit_minutes <= slot.minutes

    def _minutes(self, volunteer: Volunteer, door: Point) -> int:
        """About how long the visit takes this volunteer, there and back, to the nearest five minutes."""
        return max(5, 5 * round((self._visit_minutes + 2 * self._walk(volunteer, door)) / 5))

    async def _place(self, person: PersonRecord) -> str:
        """The street and neighbourhood, never the house number."""
        street = await self._streets.get(person.street_id) if person.street_id is not None else None
        if street is None and person.lat is not None and person.lon is not None:
            street = await self._streets.locate(Point(person.lat, person.lon))
        return f"{street.name} ({street.neighbourhood})" if street is not None else "?"

    # --- the volunteers asked -------------------------------------------------------------------------------
    async def accept(self, call_id: int, volunteer: int) -> Answered:
        result = await self._calls.accept(call_id, volunteer, self.now(), may_go_with)
        if result.outcome is Acceptance.FILLED:
            filled = await self._calls.get(call_id)
            if filled is not None:
                await self._settle(filled)
        if result.call is None:
            return Answered(result.outcome)
        return Answered(result.outcome, result.call.day, self._start_text(result.call.slot_id))

    async def decline(self, call_id: int, volunteer: int) -> bool:
        return await self._calls.decline(call_id, volunteer)

    # --- the end of a call ----------------------------------------------------------------------------------
    async def settle_due(self, now: datetime | None = None) -> int:
        """End the calls whose time is up, and queue what every call filled or ended must tell; returns how
        many calls were settled. Run at start, so what a stop interrupted is finished."""
        await self._calls.expire(now or self.now())
        pending = await self._calls.unsettled()
        for call in pending:
            await self._settle(call)
        return len(pending)

    async def next_expiry(self) -> datetime | None:
        return await self._calls.next_expiry()

    async def _settle(self, call: OpenCallRecord) -> None:
        invitees = await self._calls.invitees(call.id)
        names = await self._visit_repo.person_names([call.person_id])
        when = {"day_date": call.day, "start": self._start_text(call.slot_id)}
        about = {"name": names.get(call.person_id, "?"), **when}
        if call.pair is not None:
            await self._give(call)
            pair = " & ".join([await self._visits.volunteer_name(member) for member in call.pair])
            person = await self._persons.get(call.person_id)
            place = await self._place(person) if person is not None else "?"
            for invitee in invitees:
                if invitee.volunteer not in call.pair and invitee.answer is not CallAnswer.DECLINED:
                    await self._notifier.tell(
                        invitee.volunteer,
                        Notice("opencall.taken", {**when, "place": place}),
                        f"opencall.taken:{call.id}:{invitee.volunteer}",
                    )
            await self._tell_coordinators(call, Notice("opencall.filled_coordinator", {**about, "pair": pair}))
        else:
            waiting = [i.volunteer for i in invitees if i.answer is CallAnswer.ACCEPTED]
            for volunteer in waiting:
                await self._notifier.tell(
                    volunteer, Notice("opencall.lapsed", when), f"opencall.lapsed:{call.id}:{volunteer}"
                )
            accepted = ", ".join([await self._visits.volunteer_name(v) for v in waiting]) or "-"
            params = {**about, "asked": len(invitees), "accepted": accepted}
            await self._tell_coordinators(call, Notice("opencall.expired_coordinator", params))
        await self._calls.settle(call.id)

    async def _give(self, call: OpenCallRecord) -> None:
        """The pair's visit, stored once, and their outing sent as at publication."""
        assert call.pair is not None
        visit_id = call.visit_id
        if visit_id is None:
            person = await self._persons.get(call.person_id)
            assert person is not None and person.lat is not None and person.lon is not None
            rows = await self._visits.new_outing(
                call.plan_id, call.slot_id, call.pair, (person.id, Point(person.lat, person.lon)), call.replaces
            )
            visit_id = await self._calls.attach_visit(call.id, rows)
            if visit_id is None:  # stored meanwhile by the job settling the same call
                stored = await self._calls.get(call.id)
                visit_id = stored.visit_id if stored is not None else None
        if visit_id is not None:
            await self._visits.tell_outing(visit_id)

    async def _tell_coordinators(self, call: OpenCallRecord, notice: Notice) -> None:
        for coordinator in sorted(self._roles.coordinators):
            await self._notifier.tell(coordinator, notice, f"opencall.outcome:{call.id}:{coordinator}")

    # --- helpers -------------------------------------------------------------------------------------------
    async def _published(self, plan_id: int) -> PlanRecord | None:
        plan = await self._visit_repo.plan(plan_id)
        return plan if plan is not None and plan.status is PlanStatus.PUBLISHED else None

    def _start_text(self, slot_id: str) -> str:
        slot = self._slots.get(slot_id)
        return slot.start.strftime("%H:%M") if slot else "?"

    def _slot_start(self, slot_id: str, day: date) -> datetime:
        slot = self._slots.get(slot_id)
        return datetime.combine(day, slot.start if slot else time(0), self._zone)
