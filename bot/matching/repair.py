"""Repairing a published plan after a change, without touching what the change does not concern.

A volunteer declines one visit, or becomes unavailable for some slots or for the week: the visits they were
to make in them are taken out, every other visit stays exactly as published, and only the persons who lost
a visit (and those still waiting for one, since the change may have freed a partner) are planned again,
by the same CP-SAT model the planner uses, started from what the greedy pass would do. Whoever cannot be
visited gets a reason, as in a plan.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from bot.matching.candidates import WIDE, OptionFinder
from bot.matching.context import WeekContext
from bot.matching.cpsat_part import PartModel
from bot.matching.greedy import fill, greedy_options
from bot.matching.ledger import Ledger
from bot.matching.outcome import make_plan
from bot.matching.plan import Plan
from bot.matching.week import Week


@dataclass(frozen=True, slots=True)
class Declined:
    """The volunteer will not make this visit (they may still make others, to this person too)."""

    volunteer_id: str
    slot_id: str
    person_id: str


@dataclass(frozen=True, slots=True)
class Unavailable:
    volunteer_id: str
    slot_ids: frozenset[str] | None = None
    """None: the whole week."""

    def covers(self, slot_id: str) -> bool:
        return self.slot_ids is None or slot_id in self.slot_ids


Change = Declined | Unavailable


@dataclass(frozen=True)
class Repaired:
    week: Week
    """The week with the change in it, to repair from next time."""
    plan: Plan
    replanned: tuple[str, ...]
    """Persons who lost a visit to the change."""


def repair(week: Week, published: Plan, change: Change) -> Repaired:
    started = time.perf_counter()
    amended = _with_change(week, change)
    ctx = WeekContext(amended)
    ledger = Ledger(ctx)
    lost: list[str] = []
    for outing in published.outings:
        touched = change.volunteer_id in outing.pair and (
            change.slot_id == outing.slot_id if isinstance(change, Declined) else change.covers(outing.slot_id)
        )
        for person_id in outing.person_ids:
            if touched and (not isinstance(change, Declined) or person_id == change.person_id):
                lost.append(person_id)
            else:
                ledger.add(outing.slot_id, outing.pair, person_id)
    if isinstance(change, Declined) and change.person_id not in lost:
        raise ValueError(f"{change.volunteer_id} has no visit to {change.person_id} in slot {change.slot_id}")
    waiting = list(dict.fromkeys(lost + [p.id for p in amended.persons if ledger.remaining(p.id) > 0]))
    start = greedy_options(ctx, ledger, waiting)
    options = list(dict.fromkeys([*OptionFinder(ctx).options(ledger, waiting, WIDE), *start]))
    model = PartModel(ctx, ledger, options, start)
    outcome = model.solve(amended.parameters.time_limit_s)
    model.take(ledger)
    fill(ctx, ledger, waiting)
    plan = make_plan(ctx, ledger, outcome.status, None, started)
    return Repaired(amended, plan, tuple(dict.fromkeys(lost)))


def _with_change(week: Week, change: Change) -> Week:
    if change.volunteer_id not in {v.id for v in week.volunteers}:
        raise ValueError(f"unknown volunteer {change.volunteer_id}")
    if isinstance(change, Declined):
        declined = (change.volunteer_id, change.slot_id, change.person_id)
        return dataclasses.replace(week, declined=week.declined | {declined})
    volunteers = tuple(
        dataclasses.replace(v, slot_ids=v.slot_ids - change.slot_ids if change.slot_ids is not None else frozenset())
        if v.id == change.volunteer_id
        else v
        for v in week.volunteers
    )
    return dataclasses.replace(week, volunteers=volunteers)
