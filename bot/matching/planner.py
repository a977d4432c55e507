"""Planning a week: a cheap starting plan, then CP-SAT re-plans it one neighbourhood at a time.

Why decompose: one model for the M week has 13,000 options, and on two cores CP-SAT does not improve on
a greedy start within the time limit, while a model of thirty neighbouring persons, everything else held
fixed, is solved to optimality in a fraction of a second. Persons are visited by pairs living near them,
so a neighbourhood is almost a problem of its own; what it shares with the rest (volunteers' capacity,
pairs already out in a slot) is held fixed while it is re-planned. Each pass re-plans every part of a
cutting of the town, and the next pass cuts it along other lines, so that borders move (a large
neighbourhood search). A part starts from its current plan and keeps it unless the solver finds better,
so the objective never rises and coverage, dominant in it, never falls below the starting plan's. Parts
that share no volunteer are solved side by side, one per worker. A last exhaustive greedy pass makes
every visit left out have a true reason.

`Figures.best_bound` comes from `bound`, computed in the time kept for it at the end; None if it does
not finish in that time.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from bot.matching.bound import week_bound
from bot.matching.candidates import NARROW, OptionFinder, make_option
from bot.matching.clusters import split
from bot.matching.context import WeekContext
from bot.matching.cpsat_part import PartModel, PartOutcome
from bot.matching.greedy import fill
from bot.matching.ledger import Ledger
from bot.matching.outcome import make_plan
from bot.matching.plan import Plan
from bot.matching.week import Week

PART_PERSONS = 30
PART_SECONDS = 0.3
"""Most time one part may take; most are proven optimal well before."""
BOUND_SHARE = 0.25
"""Of the time limit, kept at the end for `bound`."""
_TURN = 0.61
"""Radians between the cuttings of successive passes; not a fraction of pi, so no cutting repeats."""


def plan_week(week: Week) -> Plan:
    started = time.perf_counter()
    deadline = started + week.parameters.time_limit_s
    ctx = WeekContext(week)
    ledger = Ledger(ctx)
    due = [p.id for p in week.persons if p.visits_due > 0]
    finder = OptionFinder(ctx)
    cheapest_first(ledger, finder, due)
    fill(ctx, ledger, due)
    workers = week.parameters.num_workers
    search_deadline = deadline - BOUND_SHARE * week.parameters.time_limit_s
    status = "TIME_LIMIT"
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for turn in itertools.count():
            if time.perf_counter() >= search_deadline:
                break
            parts = _far_apart_first(split(ctx, due, PART_PERSONS, turn * _TURN), workers)
            outcomes = _one_pass(ctx, ledger, finder, parts, pool, workers, search_deadline)
            if len(outcomes) == len(parts) and all(
                o.status == "OPTIMAL" and o.delta == o.start for o in outcomes
            ):
                status = "CONVERGED"
                break
    fill(ctx, ledger, due)
    best_bound = week_bound(ctx, finder, ledger, deadline - time.perf_counter())
    return make_plan(ctx, ledger, status, best_bound, started)


def cheapest_first(ledger: Ledger, finder: OptionFinder, person_ids: Sequence[str]) -> None:
    """The starting plan: each person in turn gets their cheapest single visit, counting repeats of pairs;
    joining a pair-slot already planned costs only the detour, so nearby visits gather."""
    for person_id in person_ids:
        while ledger.remaining(person_id) > 0 and (options := finder.singles(ledger, person_id, NARROW)):
            best = options[0]
            ledger.add(best.slot_id, best.pair, person_id)


def reopen(ctx: WeekContext, ledger: Ledger, finder: OptionFinder, person_ids: Sequence[str]) -> PartModel:
    """Take these persons' visits out and build the model that plans them again, starting from them."""
    released = ledger.release(person_ids)
    start = [make_option(ctx, ledger, slot_id, pair, taken) for (slot_id, pair), taken in released]
    return PartModel(
        ctx, ledger, list(dict.fromkeys([*finder.options(ledger, person_ids, NARROW), *start])), start
    )


def _one_pass(
    ctx: WeekContext,
    ledger: Ledger,
    finder: OptionFinder,
    parts: Sequence[Sequence[str]],
    pool: ThreadPoolExecutor,
    workers: int,
    deadline: float,
) -> list[PartOutcome]:
    """Re-plan every part, up to `workers` at a time among those sharing no volunteer."""
    outcomes: list[PartOutcome] = []
    batch: list[PartModel] = []

    def flush() -> None:
        limit = min(PART_SECONDS, deadline - time.perf_counter())
        outcomes.extend(pool.map(lambda model: model.solve(limit), batch))
        for model in batch:
            model.take(ledger)
        batch.clear()

    for part in parts:
        if time.perf_counter() >= deadline:
            break
        model = reopen(ctx, ledger, finder, part)
        if any(model.volunteers & other.volunteers for other in batch):
            model.take(ledger)  # nothing solved yet: puts the part back as it was
            flush()
            model = reopen(ctx, ledger, finder, part)
        batch.append(model)
        if len(batch) == workers:
            flush()
    flush()
    return outcomes


def _far_apart_first(parts: list[list[str]], workers: int) -> list[list[str]]:
    """Interleave the halves of the cutting (`split` lists parts half after half), so that parts taken
    together lie far apart and rarely share a volunteer."""
    stride = max(1, -(-len(parts) // workers))
    return [parts[i] for offset in range(stride) for i in range(offset, len(parts), stride)]
