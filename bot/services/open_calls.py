"""Open calls: a visit of a published week that nobody could take (left out of the plan, or a "can't go"
the repair could not replace), offered with one press of the coordinator to the volunteers free in its
slot, instead of "who can go?" in a group chat.

Who is asked: the approved volunteers available in that slot that week (not paused, not absent that day),
not already out in a pair in it nor having said "can't go" in it, below their capacity for the week, and
whose meeting point (the hub, else their home) is within the planner's walking limit of the door. A call is
launched only when two of them may go together.

What they are told: the day, the time, the street and neighbourhood, and about how long it takes with the
walk; never the person's name, house number, phone, needs or notes. Those who get the visit then receive
the outing exactly as at publication (`VisitSender.outing_of`).

How the pair is formed: acceptances are kept in the order they came. The call is filled as soon as an
acceptance makes an allowed pair with an earlier one (`may_pair`: a service civique member only beside an
experienced partner), the earliest such one: the first to say yes waits for a partner and is the first
served. Nobody is ever given a visit they did not accept. The others are told it is taken; their buttons
then get a refusal. A call not filled by its end (`visits.open_call_hours`, at the latest the slot's start)
expires; those waiting for a partner and the coordinators are told.

Everything is in the database: a call is launched in one transaction with the questions it asks, and a call
filled or expired is "settled" in one transaction with the visit it gives and every notice it owes. Between
the two steps of a filled call (the acceptance, then its settling) the job at start, or the acceptance
replayed, settles what a stop left half done (`settle_due`), so nothing is lost or sent twice.
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
from bot.notices import Notice, Value
from bot.routing.walking import WalkingModel
from bot.services.notifications import Atomic, Outgoing
from bot.services.planning import PlanningService
from bot.services.repairs import Repairs
from bot.services.roles import RoleService
from bot.services.streets import StreetService
from bot.services.visit_calendar import VisitCalendar
from bot.services.visit_sender import VisitSender
from bot.storage.open_calls import InviteeRecord, NewCall, NewInvitee, OpenCallRecord, OpenCallRepository
from bot.storage.persons import PersonRepository
from bot.storage.visits import NewVisit, PlanRecord, VisitRecord, VisitRepository

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
    day: date
    start: str
    asked: int
    expires: datetime


@dataclass(frozen=True, slots=True)
class Answered:
    outcome: Acceptance
    day: date | None = None
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
        repairs: Repairs,
        sender: VisitSender,
        calendar: VisitCalendar,
        planning: PlanningService,
        persons: PersonRepository,
        streets: StreetService,
        roles: RoleService,
        settings: Settings,
        atomic: Atomic,
    ) -> None:
        self._calls = calls
        self._visit_repo = visit_repo
        self._repairs = repairs
        self._sender = sender
        self._calendar = calendar
        self._planning = planning
        self._persons = persons
        self._streets = streets
        self._roles = roles
        self._atomic = atomic
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
        return self._calendar.now()

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
                names_of = await self._sender.first_names(call.pair)
                pair = (names_of[call.pair[0]], names_of[call.pair[1]])
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
        place = await self._place(person)
        async with self._atomic():
            call_id = await self._calls.launch(
                NewCall(plan.id, person_id, slot.id, slot.day, declined.id if declined else None, actor, expires),
                [NewInvitee(int(v.id), VolunteerKind(v.kind.value), v.experienced, v.capacity) for v in askable],
                allowed=missing + pending,
            )
            if call_id is None:
                return Refusal.NOT_NEEDED
            buttons = (
                (
                    Button("opencall.yes_button", AcceptCall(call_id)),
                    Button("opencall.no_button", DeclineCall(call_id)),
                ),
            )
            asks = []
            for volunteer in askable:
                params: dict[str, Value] = {
                    "day": slot.day,
                    "start": self._start_text(slot.id),
                    "place": place,
                    "minutes": self._minutes(volunteer, door),
                }
                ask = Notice("opencall.ask", params, buttons)
                asks.append(Outgoing(int(volunteer.id), ask, f"opencall.ask:{call_id}:{volunteer.id}"))
            await self._sender.send(asks)
        names = await self._visit_repo.person_names([person_id])
        return Launched(call_id, names.get(person_id, "?"), slot.day, self._start_text(slot.id), len(askable), expires)

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
        """What a call filled or ended owes, written in one transaction with its being settled: the pair's
        visit and outing, the others told it is taken (or those waiting told it lapsed), the coordinators."""
        rows = await self._visit_rows(call) if call.pair is not None and call.visit_id is None else []
        async with self._atomic():
            current = await self._calls.get(call.id)
            if current is None or current.settled_at is not None:
                return  # settled meanwhile (the acceptance and the job at start may meet)
            invitees = await self._calls.invitees(call.id)
            names = await self._visit_repo.person_names([call.person_id])
            when: dict[str, Value] = {"day": call.day, "start": self._start_text(call.slot_id)}
            about: dict[str, Value] = {"name": names.get(call.person_id, "?"), **when}
            sent: list[Outgoing] = []
            if current.pair is not None:
                visit_id = current.visit_id or await self._calls.attach_visit(call.id, rows)
                if visit_id is not None:
                    await self._sender.outing_of(visit_id)
                members = await self._sender.first_names(current.pair)
                person = await self._persons.get(call.person_id)
                place = await self._place(person) if person is not None else "?"
                taken = Notice("opencall.taken", {**when, "place": place})
                sent += [
                    Outgoing(i.volunteer, taken, f"opencall.taken:{call.id}:{i.volunteer}")
                    for i in invitees
                    if i.volunteer not in current.pair and i.answer is not CallAnswer.DECLINED
                ]
                pair = " & ".join(members[member] for member in current.pair)
                sent += self._to_coordinators(call, Notice("opencall.filled_coordinator", {**about, "pair": pair}))
            else:
                waiting = [i.volunteer for i in invitees if i.answer is CallAnswer.ACCEPTED]
                lapsed = Notice("opencall.lapsed", when)
                sent += [Outgoing(v, lapsed, f"opencall.lapsed:{call.id}:{v}") for v in waiting]
                accepted = ", ".join((await self._sender.first_names(waiting)).values()) or "-"
                params: dict[str, Value] = {**about, "count": len(invitees), "accepted": accepted}
                sent += self._to_coordinators(call, Notice("opencall.expired_coordinator", params))
            await self._sender.send(sent)
            await self._calls.settle(call.id)

    async def _visit_rows(self, call: OpenCallRecord) -> list[NewVisit]:
        """The filled call's visit, routed for its pair (outside the transaction: routing takes a moment)."""
        assert call.pair is not None
        person = await self._persons.get(call.person_id)
        assert person is not None and person.lat is not None and person.lon is not None
        door = (person.id, Point(person.lat, person.lon))
        return await self._repairs.new_outing(call.plan_id, call.slot_id, call.pair, door, call.replaces)

    def _to_coordinators(self, call: OpenCallRecord, notice: Notice) -> list[Outgoing]:
        return [
            Outgoing(coordinator, notice, f"opencall.outcome:{call.id}:{coordinator}")
            for coordinator in sorted(self._roles.coordinators)
        ]

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
