"""A published week changed without being planned again: the visits a volunteer leaves go to others where the
planner's repair finds a pair, and a visit is routed for a pair who took an open call.

Only the change is worked out here, from the week as stored: who leaves is no longer counted on in the
half-days they leave, nor is anyone in a half-day they said "can't go" to. Writing it (with the notices it
owes) is the caller's, in one transaction, and only if the week has not changed meanwhile (`revision`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bot.domain.places import Point
from bot.domain.visits import VisitStatus
from bot.matching.plan import Figures, Outing, Plan, pair_of
from bot.matching.repair import Unavailable, repair
from bot.matching.week import Volunteer, Week
from bot.services.outings import RoutedOuting, RouteRules, append_stops, group_outings, route_outing, visit_rows
from bot.services.planning import PlanningService
from bot.storage.visits import NewVisit, PlanRecord, VisitRecord, VisitRepository

log = logging.getLogger(__name__)

# The repaired plan's figures are not shown; a published plan stands in with this status.
_PUBLISHED = Figures("PUBLISHED", 0, None, 0.0, 0, 0, 0.0, 0, 0, 0, 0.0)


@dataclass(frozen=True, slots=True)
class Repair:
    """The visits a volunteer leaves, and what becomes of them."""

    plan: PlanRecord
    """As it was when the repair was worked out (its revision)."""
    lost: tuple[VisitRecord, ...]
    added: tuple[NewVisit, ...]
    """Each replacing one of the lost visits (`replaces`), or a visit someone was still waiting for."""
    reasons: dict[int, str]
    """Lost visit id -> why nobody could take it (a catalogue key), for those not replaced."""

    @property
    def replaced(self) -> dict[int, NewVisit]:
        return {row.replaces: row for row in self.added if row.replaces is not None}


class Repairs:
    def __init__(self, visits: VisitRepository, planning: PlanningService, rules: RouteRules) -> None:
        self._visits = visits
        self._planning = planning
        self._rules = rules

    async def without(self, plan: PlanRecord, volunteer: int, slot_ids: Collection[str]) -> Repair:
        """The week repaired for `volunteer` leaving the half-days `slot_ids`: their visits in them are lost
        and planned again, every other visit stays as published."""
        week = await self._planning.week(plan.year, plan.iso_week)
        kept = [
            v
            for v in await self._visits.visits(plan.id)
            if v.status not in (VisitStatus.DECLINED, VisitStatus.REPLACED)
        ]
        lost = tuple(v for v in kept if v.slot_id in slot_ids and volunteer in v.pair)
        published = Plan(
            tuple(
                Outing(
                    g[0].slot_id,
                    pair_of(str(g[0].first_volunteer), str(g[0].second_volunteer)),
                    tuple(str(v.person_id) for v in g),
                )
                for g in group_outings(kept)
            ),
            (),
            _PUBLISHED,
        )
        week = _without(week, {(str(v), s) for v, s in await self._visits.declines(plan.id)})
        try:
            change = Unavailable(str(volunteer), frozenset(slot_ids))
            repaired = await asyncio.to_thread(repair, week, published, change)
        except (ValueError, KeyError) as exc:
            # Someone of the published week is no longer in the stored one (paused, file ended): the visits
            # stay unplaced and the coordinator sees them in the notice.
            log.warning("visits.repair_failed plan=%s reason=%s", plan.id, exc)
            return Repair(plan, lost, (), {v.id: "plan.reason.no_volunteer_free" for v in lost})
        before = {(o.slot_id, o.pair, p) for o in published.outings for p in o.person_ids}
        new: dict[tuple[str, tuple[str, str]], list[str]] = defaultdict(list)
        for changed in repaired.plan.outings:
            for person in changed.person_ids:
                if (changed.slot_id, changed.pair, person) not in before:
                    new[(changed.slot_id, changed.pair)].append(person)
        slots = {s.id: s for s in repaired.week.slots}
        points = {p.id: p.location for p in repaired.week.persons}
        homes = {int(v.id): v.home for v in repaired.week.volunteers if v.home is not None}
        lost_ids = {v.id for v in lost}
        added: list[NewVisit] = []
        for (slot, pair_ids), persons in new.items():
            pair = (int(pair_ids[0]), int(pair_ids[1]))
            stops = [(int(p), points[p]) for p in persons]
            replaces = _replaced(lost, slot, [p for p, _ in stops], {row.replaces for row in added})
            existing = [v for v in kept if v.slot_id == slot and v.pair == tuple(sorted(pair)) and v.id not in lost_ids]
            if existing:
                last = existing[-1]
                routed = append_stops(slots[slot], (points[str(last.person_id)], last.departure), stops, self._rules)
                outing = RoutedOuting(
                    slot, last.day, pair, Point(last.meet_lat, last.meet_lon), last.meet_host, routed, ()
                )
                added += visit_rows(outing, first_position=last.position + 1, replaces=replaces)
            else:
                outing = await asyncio.to_thread(route_outing, slots[slot], pair, stops, homes, self._rules)
                added += visit_rows(outing, replaces=replaces)
        unplanned = {int(u.person_id): f"plan.reason.{u.reason.value}" for u in repaired.plan.unplanned}
        taken = {row.replaces for row in added}
        reasons = {v.id: unplanned.get(v.person_id, "plan.reason.volunteers_busy") for v in lost if v.id not in taken}
        return Repair(plan, lost, tuple(added), reasons)

    async def new_outing(
        self, plan_id: int, slot_id: str, pair: tuple[int, int], person: tuple[int, Point], replaces: int | None
    ) -> list[NewVisit]:
        """One visit for a pair not yet out in that slot, routed as at planning. The caller chose a pair whose
        meeting point is within walking reach of the door; should a home have moved since, the pair meets at
        the door rather than lose a visit both said yes to (with a hub, homes play no part)."""
        plan = await self._visits.plan(plan_id)
        assert plan is not None
        week = await self._planning.week(plan.year, plan.iso_week)
        slot = next(s for s in week.slots if s.id == slot_id)
        homes = {int(v.id): v.home for v in week.volunteers if v.home is not None}
        routed = await asyncio.to_thread(route_outing, slot, pair, [person], homes, self._rules)
        if not routed.stops:
            routed = await asyncio.to_thread(route_outing, slot, pair, [person], {}, self._rules)
        return visit_rows(routed, replaces={person[0]: replaces} if replaces is not None else None)


def _replaced(
    lost: Iterable[VisitRecord], slot_id: str, persons: Iterable[int], taken: set[int | None]
) -> dict[int, int]:
    """Per person newly visited, the lost visit of theirs it replaces: the one of the same half-day first."""
    found: dict[int, int] = {}
    for person in persons:
        theirs = sorted(
            (v for v in lost if v.person_id == person and v.id not in taken), key=lambda v: v.slot_id != slot_id
        )
        if theirs:
            found[person] = theirs[0].id
            taken.add(theirs[0].id)
    return found


def _without(week: Week, declined: set[tuple[str, str]]) -> Week:
    """The week as the "can't go" answers left it: those volunteers are no longer free in those slots."""

    def amended(volunteer: Volunteer) -> Volunteer:
        gone = {slot for who, slot in declined if who == volunteer.id}
        return dataclasses.replace(volunteer, slot_ids=volunteer.slot_ids - gone) if gone else volunteer

    return dataclasses.replace(week, volunteers=tuple(amended(v) for v in week.volunteers))
