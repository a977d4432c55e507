"""Planning a week: a cheap starting plan, then CP-SAT re-plans it one neighbourhood at a time.

Why decompose: one model of the M week has some 7,000 options, and on two cores CP-SAT takes seconds only
to load it, then does not improve on the starting plan within the time limit; a model of about thirty
neighbouring persons, everything else held fixed, is solved to optimality in a fraction of a second.
Persons are visited by pairs living near them, so a neighbourhood is almost a problem of its own; what it
shares with the rest (volunteers' capacity, pairs already out in a slot) is held fixed while it is
re-planned. Each pass re-plans every part of a cutting of the town, and the next pass cuts it along
other lines, so that borders move (a large neighbourhood search). A part starts from its current plan
and keeps it unless the solver finds better, so the objective never rises and coverage, dominant in it,
never falls below the starting plan's. Parts that share no volunteer are solved side by side, one per
worker. A last exhaustive greedy pass makes every visit left out have a true reason.

`Figures.best_bound` comes from `bound`, computed in the time kept for it at the end; None if it does
not finish in that time, or for a week of more than `BOUND_UP_TO` persons: the whole-week relaxation of
the L week alone would take most of its time limit.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bot.matching.bound import week_bound
from bot.matching.candidates import WIDE, Breadth, OptionFinder, breadth_for, make_option
from bot.matching.clusters import PART_PERSONS, split
from bot.matching.context import WeekContext
from bot.matching.cpsat_part import PartModel, PartOutcome
from bot.matching.figures import walking_minutes
from bot.matching.greedy import fill, insert_nearest_first
from bot.matching.ledger import Ledger
from bot.matching.outcome import make_plan
from bot.matching.plan import Pair, Plan
from bot.matching.week import Week

PART_SECONDS = 0.3
"""Most time one part may take; most are proven optimal well before."""
BOUND_SHARE = 0.3
"""Of the time limit, kept at the end for `bound` until a pass of the search tells how long it will take."""
GLOP_SECONDS_PER_OPTION = 3e-4
"""Measured: 1.4 s for the 6,400 options of the M week, on two cores under a load average of 6."""
BOUND_UP_TO = 1_000
FINISH_SHARE = 0.05
"""Of the time limit, kept for the reasons and figures, and for a part under way when time runs out."""
_TURN = 0.61
"""Radians between the cuttings of successive passes; not a fraction of pi, so no cutting repeats."""


@dataclass(frozen=True, slots=True)
class Progress:
    """Where the search stands after a pass; pass 0 is the starting plan."""

    passes: int
    visits_planned: int
    visits_due: int
    walking_minutes: float
    seconds: float


def plan_week(week: Week, progress: Callable[[Progress], None] | None = None) -> Plan:
    """`progress`, when given, hears of the starting plan and of every pass (a large town plans for minutes)."""
    started = time.perf_counter()
    limit = week.parameters.time_limit_s
    finish = started + (1 - FINISH_SHARE) * limit
    ctx = WeekContext(week)
    due = [p.id for p in week.persons if p.visits_due > 0]
    search = Search(ctx, Ledger(ctx), OptionFinder(ctx), breadth_for(ctx))
    fresh_first(ctx, search.ledger, due)

    def report(passes: int) -> None:
        if progress is not None:
            ledger = search.ledger
            planned = sum(len(person_ids) for person_ids in ledger.visits.values())
            due_visits = sum(p.visits_due for p in week.persons)
            elapsed = time.perf_counter() - started
            progress(Progress(passes, planned, due_visits, walking_minutes(ctx, ledger), elapsed))

    report(0)
    search.finder.prepare(due, search.breadth)
    workers = week.parameters.num_workers
    bounded = len(due) <= BOUND_UP_TO
    status = "TIME_LIMIT"
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for turn in itertools.count():
            search_deadline = finish - (search.bound_time(len(due), BOUND_SHARE * limit) if bounded else 0.0)
            if time.perf_counter() >= search_deadline:
                break
            parts = _far_apart_first(split(ctx, due, PART_PERSONS, turn * _TURN), workers)
            dump_to = Path(week.parameters.dump_models_to) if turn == 0 and week.parameters.dump_models_to else None
            outcomes = search.one_pass(parts, pool, workers, search_deadline, dump_to)
            report(turn + 1)
            if len(outcomes) == len(parts) and all(o.status == "OPTIMAL" and o.delta == o.start for o in outcomes):
                status = "CONVERGED"
                break
    fill(ctx, search.ledger, due)
    bound = week_bound(ctx, search.finder, search.breadth, search.ledger, finish) if bounded else None
    return make_plan(ctx, search.ledger, status, bound, started)


@dataclass
class Pace:
    """Of the last pass: time spent finding options, for how many persons, how many options found."""

    seconds: float = 0.0
    persons: int = 0
    options: int = 0


@dataclass(frozen=True)
class Search:
    ctx: WeekContext
    ledger: Ledger
    finder: OptionFinder
    breadth: Breadth
    pace: Pace = field(default_factory=Pace)

    def bound_time(self, persons: int, before_any_pass: float) -> float:
        """What `bound` will take, with a margin: finding every person's options at the search's pace,
        then GLOP."""
        if not self.pace.persons:
            return before_any_pass
        per_person = (self.pace.seconds + self.pace.options * GLOP_SECONDS_PER_OPTION) / self.pace.persons
        # At least two thirds of the first guess: the pace of one pass is a noisy measure on a busy machine.
        return max(2 * per_person * persons, 2 * before_any_pass / 3)

    def reopen(self, person_ids: Sequence[str]) -> PartModel:
        """Take these persons' visits out and build the model that plans them again, starting from them."""
        ctx, ledger = self.ctx, self.ledger
        # Whoever is still waiting for a visit gets the wide search: their nearest pairs are busy.
        waiting = [p for p in person_ids if ledger.remaining(p) > 0]
        released = ledger.release(person_ids)
        start = [make_option(ctx, ledger, slot_id, pair, taken) for (slot_id, pair), taken in released]
        began = time.perf_counter()
        found = self.finder.options(ledger, person_ids, self.breadth)
        found += [o for p in waiting for o in self.finder.singles(ledger, p, self.breadth.widened(WIDE))]
        self.pace.seconds += time.perf_counter() - began
        self.pace.persons += len(person_ids)
        self.pace.options += len(found)
        return PartModel(ctx, ledger, list(dict.fromkeys([*found, *start])), start)

    def one_pass(
        self,
        parts: Sequence[Sequence[str]],
        pool: ThreadPoolExecutor,
        workers: int,
        deadline: float,
        dump_to: Path | None = None,
    ) -> list[PartOutcome]:
        """Re-plan every part, up to `workers` at a time among those sharing no volunteer; each part's model
        is written to the folder `dump_to` when given."""
        self.pace.seconds, self.pace.persons, self.pace.options = 0.0, 0, 0
        outcomes: list[PartOutcome] = []
        batch: list[PartModel] = []

        def flush() -> None:
            limit = min(PART_SECONDS, deadline - time.perf_counter())
            outcomes.extend(pool.map(lambda model: model.solve(limit), batch))
            for model in batch:
                model.take(self.ledger)
            batch.clear()

        for number, part in enumerate(parts):
            if time.perf_counter() >= deadline:
                break
            model = self.reopen(part)
            if any(model.volunteers & other.volunteers for other in batch):
                model.take(self.ledger)  # nothing solved yet: puts the part back as it was
                flush()
                model = self.reopen(part)
            if dump_to is not None:
                model.export(dump_to / f"part-{number:03d}.pb.txt")
            batch.append(model)
            if len(batch) == workers:
                flush()
        flush()
        return outcomes


def fresh_first(ctx: WeekContext, ledger: Ledger, person_ids: Sequence[str]) -> None:
    """The starting plan: the greedy pass, nearest first, forming only pairs that repeat no pairing of the
    recent weeks or of this week; then the plain greedy pass for whoever is left. It is cheap and its walk
    is the baseline's; the search then trades walk against the other terms."""

    def fresh(pair: Pair) -> bool:
        return pair not in ctx.recent_pairs and ledger.pair_uses[pair] == 0

    for person_id in person_ids:
        while ledger.remaining(person_id) > 0 and insert_nearest_first(ctx, ledger, person_id, fresh):
            pass
    fill(ctx, ledger, person_ids)


def _far_apart_first(parts: list[list[str]], workers: int) -> list[list[str]]:
    """Interleave the halves of the cutting (`split` lists parts half after half), so that parts taken
    together lie far apart and rarely share a volunteer."""
    stride = max(1, -(-len(parts) // workers))
    return [parts[i] for offset in range(stride) for i in range(offset, len(parts), stride)]
