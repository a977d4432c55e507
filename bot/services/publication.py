"""The coordinator's week: a draft planned and routed, its preview, its publication to the pairs, and the
week's visits as /week shows them.

Publishing is one transaction: the week turns published and every pair's outing is queued with it, or
nothing is. A press replayed after a crash finds the week published and reports it as the first did.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from bot.domain.visits import PlanStatus
from bot.matching.plan import Outing
from bot.matching.week import Week
from bot.services.notifications import Atomic
from bot.services.outings import RoutedOuting, RouteRules, group_outings, route_outing, visit_rows
from bot.services.planning import PlanningService
from bot.services.visit_calendar import VisitCalendar
from bot.services.visit_sender import VisitSender
from bot.storage.visits import PlanRecord, VisitRecord, VisitRepository


@dataclass(frozen=True, slots=True)
class PreviewOuting:
    slot_id: str
    day: date
    start: time
    pair: tuple[str, str]
    stops: tuple[tuple[str, time], ...]  # person's name (the coordinator's view), arrival
    walk_min: float
    first_visit_id: int


@dataclass(frozen=True, slots=True)
class Preview:
    plan: PlanRecord
    outings: tuple[PreviewOuting, ...]
    left_out: tuple[tuple[str, int, str], ...]  # person's name, visits missing, reason key


@dataclass(frozen=True, slots=True)
class WeekRow:
    visit: VisitRecord
    person: str
    pair: tuple[str, str]


class PublicationService:
    def __init__(
        self,
        visits: VisitRepository,
        planning: PlanningService,
        sender: VisitSender,
        calendar: VisitCalendar,
        rules: RouteRules,
        atomic: Atomic,
    ) -> None:
        self._visits = visits
        self._planning = planning
        self._sender = sender
        self._calendar = calendar
        self._rules = rules
        self._atomic = atomic

    async def make_draft(self, year: int, iso_week: int, actor: int) -> int | None:
        """Plan the week and route every pair's outing; None when the week is already published."""
        existing = await self._visits.plan_of_week(year, iso_week)
        if existing is not None and existing.status is PlanStatus.PUBLISHED:
            return None
        planned = await self._planning.plan(year, iso_week)
        routed = await asyncio.to_thread(self._route_plan, planned.week, planned.plan.outings)
        rows = [row for outing in routed for row in visit_rows(outing)]
        unplanned = [(int(u.person_id), u.missing, f"plan.reason.{u.reason.value}") for u in planned.plan.unplanned]
        unplanned += [
            (person, 1, f"plan.route_reason.{reason}") for outing in routed for person, reason in outing.unplaced
        ]
        figures = {
            "due": float(planned.plan.figures.visits_due),
            "planned": float(len(rows)),
            "walking": round(sum(stop.walk_min for outing in routed for stop in outing.stops), 1),
            "seconds": round(planned.plan.figures.solve_seconds, 1),
        }
        return await self._visits.save_draft(year, iso_week, actor, rows, unplanned, figures)

    def _route_plan(self, week: Week, outings: Iterable[Outing]) -> list[RoutedOuting]:
        slots = {slot.id: slot for slot in week.slots}
        persons = {p.id: p.location for p in week.persons}
        homes = {int(v.id): v.home for v in week.volunteers if v.home is not None}
        return [
            route_outing(
                slots[o.slot_id],
                (int(o.pair[0]), int(o.pair[1])),
                [(int(p), persons[p]) for p in o.person_ids],
                homes,
                self._rules,
            )
            for o in outings
        ]

    async def preview(self, plan_id: int) -> Preview | None:
        plan = await self._visits.plan(plan_id)
        if plan is None:
            return None
        visits = await self._visits.visits(plan_id, active_only=True)
        names = await self._visits.person_names([v.person_id for v in visits] + [u[0] for u in plan.unplanned])
        members = await self._sender.first_names(m for v in visits for m in v.pair)
        outings = tuple(
            PreviewOuting(
                group[0].slot_id,
                group[0].day,
                self._calendar.meeting_time(group[0]),
                (members[group[0].first_volunteer], members[group[0].second_volunteer]),
                tuple((names.get(v.person_id, "?"), v.arrival) for v in group),
                sum(v.walk_min for v in group),
                group[0].id,
            )
            for group in group_outings(visits)
        )
        left_out = tuple((names.get(person, "?"), missing, reason) for person, missing, reason in plan.unplanned)
        return Preview(plan, outings, left_out)

    async def publish(self, plan_id: int, actor: int) -> int | None:
        """Publish a draft and tell every pair, in one transaction; how many visits the week holds. None when
        there is no such plan (re-run meanwhile); 0, and nothing published, for a draft without a visit. A
        published week is reported as it is: the press replayed after a crash finds its notices queued with it."""
        async with self._atomic():
            plan = await self._visits.plan(plan_id)
            if plan is None:
                return None
            visits = await self._visits.visits(plan_id, active_only=True)
            if plan.status is PlanStatus.DRAFT and visits:
                await self._visits.publish(plan_id, actor)
                for outing in group_outings(visits):
                    await self._sender.outing(outing)
            return len(visits)

    async def plan_of(self, plan_id: int) -> PlanRecord | None:
        return await self._visits.plan(plan_id)

    async def week_rows(self, year: int, iso_week: int) -> tuple[PlanRecord | None, list[WeekRow]]:
        plan = await self._visits.plan_of_week(year, iso_week)
        if plan is None:
            return None, []
        visits = await self._visits.visits(plan.id)
        names = await self._visits.person_names([v.person_id for v in visits])
        members = await self._sender.first_names(m for v in visits for m in v.pair)
        rows = [
            WeekRow(v, names.get(v.person_id, "?"), (members[v.first_volunteer], members[v.second_volunteer]))
            for v in visits
        ]
        return plan, rows
