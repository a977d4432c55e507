"""The pair's answers to a published outing: Confirm, or "Can't go" and the repair of the week for that
volunteer only; and a volunteer leaving the team for good (erased, removed), who leaves every outing ahead.

Whoever withdraws is out of the repair: it never gives them a visit in a half-day they left, and one leaving
for good is counted on in none of the half-days still ahead. Each withdrawal is written in one transaction
with everything it owes: the answer, the visits handed over, the coordinators' and the partner's notices, the
outings of whoever takes over. A press replayed after a crash finds it done and is answered as the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.visits import Answer, PlanStatus, VisitStatus
from bot.services.notifications import Atomic
from bot.services.outings import group_outings
from bot.services.repairs import Repair, Repairs
from bot.services.roles import RoleService
from bot.services.visit_calendar import VisitCalendar
from bot.services.visit_notices import Handover, handover_notices
from bot.services.visit_sender import VisitSender
from bot.storage.visits import PlanRecord, VisitRecord, VisitRepository

# A repair is worked out outside the database's lock (the solver takes seconds); should the week change
# meanwhile (another answer, an open call filled), it is worked out again, at most this many times.
ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class DeclineResult:
    declined: int  # visits the volunteer was taken off
    replaced: int  # of which another pair takes over


class AnswerService:
    def __init__(
        self,
        visits: VisitRepository,
        repairs: Repairs,
        sender: VisitSender,
        roles: RoleService,
        calendar: VisitCalendar,
        atomic: Atomic,
    ) -> None:
        self._visits = visits
        self._repairs = repairs
        self._sender = sender
        self._roles = roles
        self._calendar = calendar
        self._atomic = atomic

    async def confirm(self, visit_id: int, volunteer: int) -> list[VisitRecord] | None:
        """The volunteer confirms their outing; None when it is not theirs or no longer going ahead."""
        outing = await self._member_outing(visit_id, volunteer)
        if outing is None:
            return None
        await self._visits.answer([v.id for v in outing], volunteer, Answer.CONFIRMED)
        return outing

    async def decline(self, visit_id: int, volunteer: int) -> DeclineResult | None:
        """The volunteer cannot make their outing: the week is repaired for them only, the coordinators and
        the partner are told, and whoever takes over gets the outing as at publication. None when the outing
        is not theirs or no longer going ahead."""
        outing = await self._member_outing(visit_id, volunteer)
        if outing is None:
            return DeclineResult(0, 0) if await self._declined_before(visit_id, volunteer) else None
        repair = await self._leave(await self._plan(outing[0].plan_id), volunteer, frozenset({outing[0].slot_id}))
        return DeclineResult(len(repair.lost), len(repair.replaced))

    async def withdraw_for_good(self, volunteer: int) -> int:
        """The volunteer leaves the team (erased, removed, suspended): they leave every outing not yet begun,
        each week repaired once without them in any half-day still ahead, so that nobody plans them again;
        partners and coordinators are told, whoever takes over gets the outing. Call it while they are still
        stored, before they are removed. Returns how many outings they left."""
        left = 0
        for plan in await self._plans_ahead(volunteer):
            slots = self._calendar.slots_ahead(plan.year, plan.iso_week)
            left += len(group_outings((await self._leave(plan, volunteer, slots)).lost))
        return left

    # --- writing a withdrawal -------------------------------------------------------------------------------
    async def _leave(self, plan: PlanRecord, volunteer: int, slot_ids: frozenset[str]) -> Repair:
        """Work out the repair, then write it with everything it owes in one transaction, unless the week
        changed meanwhile; should it keep changing, the volunteer leaves without a repair (the coordinators
        can still launch an open call for each visit)."""
        attempts = 1
        while True:
            worked_out = await self._repairs.without(plan, volunteer, slot_ids) if attempts < ATTEMPTS else None
            async with self._atomic():
                current = await self._plan(plan.id)
                repair = worked_out or Repair(current, await self._visits_in(current, volunteer, slot_ids), (), {})
                if repair.plan.revision == current.revision:
                    await self._hand_over(volunteer, repair)
                    return repair
            plan, attempts = current, attempts + 1

    async def _hand_over(self, volunteer: int, repair: Repair) -> None:
        """Within the transaction: the answer, the lost visits out, the repair's in, and every notice."""
        lost = repair.lost
        await self._visits.answer([v.id for v in lost], volunteer, Answer.DECLINED)
        replaced = repair.replaced
        dropped = {v.id: VisitStatus.REPLACED if v.id in replaced else VisitStatus.DECLINED for v in lost}
        new_ids = set(await self._visits.replace(repair.plan.id, dropped, repair.added))
        members = {m for v in lost for m in v.pair} | {m for row in replaced.values() for m in row.pair}
        names = await self._sender.first_names(members)
        persons = await self._visits.person_names([v.person_id for v in lost])
        for outing in group_outings(lost):
            handover = Handover(volunteer, outing, self._calendar.start(outing[0]), replaced, repair.reasons)
            await self._sender.send(handover_notices(handover, names, persons, self._roles.coordinators))
        for outing in group_outings(await self._visits.visits(repair.plan.id, active_only=True)):
            if any(v.id in new_ids for v in outing):
                await self._sender.outing(outing)

    # --- reading ------------------------------------------------------------------------------------------
    async def _member_outing(self, visit_id: int, volunteer: int) -> list[VisitRecord] | None:
        outing = await self._visits.outing(visit_id)
        if not outing or volunteer not in outing[0].pair or outing[0].answer_of(volunteer) is Answer.DECLINED:
            return None
        plan = await self._visits.plan(outing[0].plan_id)
        if plan is None or plan.status is not PlanStatus.PUBLISHED:
            return None
        if self._calendar.start(outing[0]) <= self._calendar.now():
            return None
        return outing

    async def _declined_before(self, visit_id: int, volunteer: int) -> bool:
        visit = await self._visits.get(visit_id)
        return visit is not None and visit.answer_of(volunteer) is Answer.DECLINED

    async def _plan(self, plan_id: int) -> PlanRecord:
        plan = await self._visits.plan(plan_id)
        assert plan is not None  # a published week is never deleted
        return plan

    async def _visits_in(self, plan: PlanRecord, volunteer: int, slot_ids: frozenset[str]) -> tuple[VisitRecord, ...]:
        visits = await self._visits.visits(plan.id, active_only=True)
        return tuple(v for v in visits if volunteer in v.pair and v.slot_id in slot_ids)

    async def _plans_ahead(self, volunteer: int) -> list[PlanRecord]:
        """The published weeks where the volunteer still has an outing to come."""
        now = self._calendar.now()
        ahead = await self._visits.published_from(now.date())
        ids = {v.plan_id for v in ahead if volunteer in v.pair and self._calendar.start(v) > now}
        return [await self._plan(plan_id) for plan_id in sorted(ids)]
