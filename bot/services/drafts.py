"""The coordinator's hand edits of a week's draft, between /plan and Publish: another volunteer in a pair, or
a visit moved to another pair's outing or to a new pair in another slot.

The choices come from `matching.edits`, so only edits that keep every hard rule of planning are offered, and
a choice pressed is checked again against the draft as it is then (callback data is never trusted). Every
outing an edit touches is routed again as at planning: meeting point (the hub, or the member living nearer),
order, times to ring; an edit whose route would leave a visit out is refused and changes nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from bot.config import PlanningSettings, VisitSettings
from bot.domain.slots import Slot
from bot.domain.visits import PlanStatus, VisitStatus
from bot.matching.edits import DraftEdits, StaleDraft
from bot.matching.plan import Outing, Pair, pair_of
from bot.matching.week import Week
from bot.services.outings import RoutedOuting, route_outing, route_rules, visit_rows
from bot.services.planning import PlanningService
from bot.storage.users import UserRepository
from bot.storage.visits import PlanRecord, VisitRecord, VisitRepository


class OutdatedDraft(Exception):
    """The draft breaks a hard rule under the week as stored now (a volunteer paused, an absence added since
    it was planned): it is to be planned again, not edited."""

    def __init__(self, plan_id: int) -> None:
        super().__init__(f"plan {plan_id} no longer fits the stored week")
        self.plan_id = plan_id


# Buttons a phone shows without scrolling for ever.
MAX_CHOICES = 20


@dataclass(frozen=True, slots=True)
class OutingChoice:
    """An outing of the draft, as a button shows it."""

    first_visit_id: int
    day: date
    start: time
    pair: tuple[str, str]  # first names
    visits: int


@dataclass(frozen=True, slots=True)
class SlotChoice:
    index: int  # in the configured slots: callback data stays short
    day: date
    start: time


@dataclass(frozen=True, slots=True)
class MoveChoices:
    name: str  # the person's name (the coordinator's view)
    outings: tuple[OutingChoice, ...]
    slots: tuple[SlotChoice, ...]


@dataclass(frozen=True, slots=True)
class PairChoices:
    name: str
    slot: SlotChoice
    pairs: tuple[tuple[int, int, str], ...]  # the members' ids, "Anne & Paul"


@dataclass(frozen=True, slots=True)
class Edited:
    plan_id: int
    done: bool  # False: the choice was no longer possible, and nothing changed


@dataclass(frozen=True, slots=True)
class OutingVisits:
    plan_id: int
    visits: tuple[tuple[int, str, time], ...]  # visit id, person's name, arrival


@dataclass(frozen=True)
class _Draft:
    """A draft visit with what editing it needs: its outing, the other outings, the week as stored now."""

    plan: PlanRecord
    visit: VisitRecord
    week: Week
    groups: dict[tuple[str, Pair], list[VisitRecord]]

    @property
    def source(self) -> Outing:
        return self.outing(_key(self.visit))

    @property
    def person(self) -> str:
        return str(self.visit.person_id)

    def outing(self, key: tuple[str, Pair]) -> Outing:
        return Outing(key[0], key[1], tuple(str(v.person_id) for v in self.groups[key]))

    async def edits(self) -> DraftEdits:
        """The edits the draft allows; raises OutdatedDraft when the stored week no longer allows the draft."""
        try:
            return await asyncio.to_thread(DraftEdits, self.week, [self.outing(key) for key in self.groups])
        except StaleDraft as exc:
            raise OutdatedDraft(self.plan.id) from exc


def _key(visit: VisitRecord) -> tuple[str, Pair]:
    return visit.slot_id, pair_of(str(visit.first_volunteer), str(visit.second_volunteer))


class DraftService:
    def __init__(
        self,
        visits: VisitRepository,
        planning: PlanningService,
        users: UserRepository,
        slots: Sequence[Slot],
        planning_settings: PlanningSettings,
        settings: VisitSettings,
    ) -> None:
        self._visits = visits
        self._planning = planning
        self._users = users
        self._slot_ids = tuple(slot.id for slot in slots)
        self._rules = route_rules(planning_settings, settings)

    # --- another volunteer in a pair -----------------------------------------------------------------------
    async def members(self, visit_id: int) -> tuple[int, list[tuple[int, str]]] | None:
        """The plan and the pair (id, first name) of a draft visit's outing; None when not a draft visit."""
        draft = await self._draft(visit_id)
        if draft is None:
            return None
        return draft.plan.id, [(member, await self._first_name(member)) for member in draft.visit.pair]

    async def swap_choices(self, visit_id: int, leaving: int) -> list[tuple[int, str]] | None:
        """Who could take `leaving`'s place in this draft outing, nearest first; None when not a draft visit.
        Raises OutdatedDraft when the stored week no longer allows the draft."""
        draft = await self._draft(visit_id)
        if draft is None:
            return None
        if leaving not in draft.visit.pair:
            return []
        edits = await draft.edits()
        found = await asyncio.to_thread(edits.replacements, draft.source, str(leaving))
        return [(int(v), await self._first_name(int(v))) for v in found[:MAX_CHOICES]]

    async def swap(self, visit_id: int, leaving: int, coming: int) -> Edited | None:
        """Put `coming` in `leaving`'s place, after checking the choice again; the outing is routed again."""
        draft = await self._draft(visit_id)
        if draft is None:
            return None
        edits, source = await draft.edits(), draft.source
        if leaving not in draft.visit.pair or str(coming) not in await asyncio.to_thread(
            edits.replacements, source, str(leaving)
        ):
            return Edited(draft.plan.id, False)
        pair = pair_of(str(draft.visit.partner_of(leaving)), str(coming))
        return await self._replace(draft, [_key(draft.visit)], [(source.slot_id, pair, source.person_ids)])

    # --- a visit moved -------------------------------------------------------------------------------------
    async def outing_visits(self, visit_id: int) -> OutingVisits | None:
        """The visits of a draft visit's outing, to pick the one to move."""
        draft = await self._draft(visit_id)
        if draft is None:
            return None
        group = draft.groups[_key(draft.visit)]
        names = await self._visits.person_names([v.person_id for v in group])
        return OutingVisits(draft.plan.id, tuple((v.id, names.get(v.person_id, "?"), v.arrival) for v in group))

    async def move_choices(self, visit_id: int) -> MoveChoices | None:
        """Where the visit may go: other outings that can take it, and slots where a new pair could. Raises
        OutdatedDraft when the stored week no longer allows the draft."""
        draft = await self._draft(visit_id)
        if draft is None:
            return None
        edits = await draft.edits()
        taking = await asyncio.to_thread(edits.outings_taking, draft.source, draft.person)
        slots = await asyncio.to_thread(edits.slots_for_new_pairs, draft.source, draft.person)
        outings = [await self._outing_choice(draft, draft.groups[(o.slot_id, o.pair)]) for o in taking]
        return MoveChoices(
            await self._person_name(draft),
            tuple(outings[:MAX_CHOICES]),
            tuple(self._slot_choice(draft, slot) for slot in slots if slot in self._slot_ids),
        )

    async def pair_choices(self, visit_id: int, slot_index: int) -> PairChoices | None:
        """Pairs not out in that slot who could make the visit there, nearer first. Raises OutdatedDraft."""
        draft = await self._draft(visit_id)
        if draft is None or not 0 <= slot_index < len(self._slot_ids):
            return None
        slot_id = self._slot_ids[slot_index]
        edits = await draft.edits()
        pairs = await asyncio.to_thread(edits.new_pairs_taking, draft.source, draft.person, slot_id)
        labelled = []
        for a, b in pairs[:MAX_CHOICES]:
            labelled.append((int(a), int(b), f"{await self._first_name(int(a))} & {await self._first_name(int(b))}"))
        return PairChoices(await self._person_name(draft), self._slot_choice(draft, slot_id), tuple(labelled))

    async def move_to_outing(self, visit_id: int, target_visit_id: int) -> Edited | None:
        """Move the visit into the outing of `target_visit_id`, after checking the choice again."""
        draft = await self._draft(visit_id)
        if draft is None:
            return None
        target = await self._visits.get(target_visit_id)
        edits = await draft.edits()
        taking = await asyncio.to_thread(edits.outings_taking, draft.source, draft.person)
        if (
            target is None
            or target.plan_id != draft.plan.id
            or _key(target) not in {(o.slot_id, o.pair) for o in taking}
        ):
            return Edited(draft.plan.id, False)
        return await self._move(draft, _key(target))

    async def move_to_new_pair(self, visit_id: int, slot_index: int, first: int, second: int) -> Edited | None:
        """Give the visit to a new pair in a slot, after checking the choice again."""
        draft = await self._draft(visit_id)
        if draft is None:
            return None
        if not 0 <= slot_index < len(self._slot_ids):
            return Edited(draft.plan.id, False)
        slot_id, pair = self._slot_ids[slot_index], pair_of(str(first), str(second))
        edits = await draft.edits()
        if pair not in await asyncio.to_thread(edits.new_pairs_taking, draft.source, draft.person, slot_id):
            return Edited(draft.plan.id, False)
        return await self._move(draft, (slot_id, pair))

    async def _move(self, draft: _Draft, target: tuple[str, Pair]) -> Edited:
        source = draft.source
        rest = tuple(p for p in source.person_ids if p != draft.person)
        joined = (*draft.outing(target).person_ids, draft.person) if target in draft.groups else (draft.person,)
        routes = [(target[0], target[1], joined)]
        if rest:
            routes.append((source.slot_id, source.pair, rest))
        return await self._replace(draft, [_key(draft.visit), target], routes)

    # --- shared --------------------------------------------------------------------------------------------
    async def _draft(self, visit_id: int) -> _Draft | None:
        """The draft of a visit still in it; None when the visit is gone or its week is published."""
        visit = await self._visits.get(visit_id)
        plan = await self._visits.plan(visit.plan_id) if visit else None
        if visit is None or plan is None or plan.status is not PlanStatus.DRAFT:
            return None
        groups: dict[tuple[str, Pair], list[VisitRecord]] = {}
        for active in await self._visits.visits(plan.id, active_only=True):
            groups.setdefault(_key(active), []).append(active)
        if visit.id not in {v.id for v in groups.get(_key(visit), [])}:
            return None
        return _Draft(plan, visit, await self._planning.week(plan.year, plan.iso_week), groups)

    async def _replace(
        self, draft: _Draft, dropped: Sequence[tuple[str, Pair]], routes: Sequence[tuple[str, Pair, Sequence[str]]]
    ) -> Edited:
        """Route the changed outings again and put them in the draft in place of `dropped`, in one
        transaction; not done, and nothing changed, when a route would leave a visit out."""
        routed = await asyncio.to_thread(self._route, draft.week, routes)
        if any(outing.unplaced for outing in routed):
            return Edited(draft.plan.id, False)
        gone = {v.id: VisitStatus.REPLACED for key in dropped if key in draft.groups for v in draft.groups[key]}
        await self._visits.replace(draft.plan.id, gone, [row for outing in routed for row in visit_rows(outing)])
        return Edited(draft.plan.id, True)

    def _route(self, week: Week, routes: Sequence[tuple[str, Pair, Sequence[str]]]) -> list[RoutedOuting]:
        slots = {slot.id: slot for slot in week.slots}
        points = {person.id: person.location for person in week.persons}
        homes = {int(v.id): v.home for v in week.volunteers if v.home is not None}
        return [
            route_outing(
                slots[slot_id],
                (int(pair[0]), int(pair[1])),
                [(int(p), points[p]) for p in person_ids],
                homes,
                self._rules,
            )
            for slot_id, pair, person_ids in routes
        ]

    async def _outing_choice(self, draft: _Draft, group: Sequence[VisitRecord]) -> OutingChoice:
        first = group[0]
        return OutingChoice(
            first.id,
            first.day,
            self._slot_choice(draft, first.slot_id).start,
            (await self._first_name(first.first_volunteer), await self._first_name(first.second_volunteer)),
            len(group),
        )

    def _slot_choice(self, draft: _Draft, slot_id: str) -> SlotChoice:
        slot = next(s for s in draft.week.slots if s.id == slot_id)
        return SlotChoice(self._slot_ids.index(slot_id), slot.day, slot.start)

    async def _person_name(self, draft: _Draft) -> str:
        names = await self._visits.person_names([draft.visit.person_id])
        return names.get(draft.visit.person_id, "?")

    async def _first_name(self, telegram_id: int) -> str:
        user = await self._users.get(telegram_id)
        return user.first_name if user else "?"
