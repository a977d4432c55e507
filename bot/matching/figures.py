"""The figures of a plan, computed the same way whoever made it."""

from __future__ import annotations

import statistics

from bot.matching.context import WeekContext
from bot.matching.costs import objective_terms, repeats
from bot.matching.ledger import Ledger
from bot.matching.plan import Figures
from bot.matching.walking_metric import route


def walking_minutes(ctx: WeekContext, ledger: Ledger) -> float:
    return sum(
        route(ctx, pair, [ctx.persons[p].location for p in person_ids])[0]
        for (_, pair), person_ids in ledger.visits.items()
    )


def figures(ctx: WeekContext, ledger: Ledger, status: str, best_bound: int | None, seconds: float) -> Figures:
    walking = walking_minutes(ctx, ledger)
    visits = [(pair, p) for (_, pair), person_ids in ledger.visits.items() for p in person_ids]
    ratios = [
        100 * ledger.load[v.id] / v.capacity for v in ctx.volunteers.values() if v.capacity > 0 and ctx.usable[v.id]
    ]
    terms = objective_terms(ctx, ledger)
    return Figures(
        status=status,
        objective=terms.total(),
        best_bound=best_bound,
        solve_seconds=seconds,
        visits_due=sum(p.visits_due for p in ctx.persons.values()),
        visits_planned=len(visits),
        walking_minutes=walking,
        repeated_pairs=sum(repeats(ctx, pair, uses) for pair, uses in ledger.pair_uses.items()),
        continuity=sum(1 for pair, p in visits if ctx.known[p].intersection(pair)),
        continuity_possible=sum(1 for _, p in visits if ctx.known[p]),
        load_spread=statistics.pstdev(ratios) if ratios else 0.0,
        terms=terms,
    )
