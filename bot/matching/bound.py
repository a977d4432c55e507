"""A lower bound on the week's objective: the linear relaxation of one program over the whole week.

The planner never solves the week as one CP-SAT model (see `planner`), and a part's bound holds only with
the rest of the week as it was then. The whole week's program, with every due visit released, offers each
person the options of the neighbourhood search plus the plan's own pair-slots; GLOP solves its linear
relaxation in one to three seconds for the M week, where CP-SAT takes longer than that to load it.
The two terms that need extra variables (repeats within the week of a pair not seen before, fair load)
are left out: they are never negative, so the result stays a lower bound. It bounds the plans made of
these options, not every plan the candidate filter left out.
"""

from __future__ import annotations

import time

from ortools.linear_solver import pywraplp

from bot.matching.candidates import Breadth, Option, OptionFinder, make_option
from bot.matching.clusters import PART_PERSONS, split
from bot.matching.context import WeekContext
from bot.matching.costs import objective
from bot.matching.ledger import Ledger
from bot.matching.option_program import option_program


def week_bound(ctx: WeekContext, finder: OptionFinder, breadth: Breadth, ledger: Ledger, deadline: float) -> int | None:
    """None if it cannot be had by the deadline (a `time.perf_counter()` reading)."""
    draft = ledger.copy()
    released = draft.release(ctx.persons)
    planned = [make_option(ctx, draft, slot_id, pair, taken) for (slot_id, pair), taken in released]
    found: list[Option] = []
    # Part by part, as the search offered them, checking the clock between parts.
    for part in split(ctx, [p for p in ctx.persons if draft.remaining(p) > 0], PART_PERSONS):
        if time.perf_counter() >= deadline:
            return None
        found += finder.options(draft, part, breadth)
    options = list(dict.fromkeys([*found, *planned]))
    program = option_program(ctx, draft, options)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    taken = [solver.NumVar(0.0, 1.0, "") for _ in options]
    rows = [([(1, i) for i in group], 1) for group in program.at_most_one] + program.at_most
    for terms, most in rows:
        row = solver.Constraint(-solver.infinity(), most)
        for c, i in terms:
            row.SetCoefficient(taken[i], c)
    goal = solver.Objective()
    for c, x in zip(program.coefficients, taken, strict=True):
        goal.SetCoefficient(x, c)
    goal.SetMinimization()
    left = deadline - time.perf_counter()
    if left <= 0:
        return None
    solver.SetTimeLimit(max(1, round(1000 * left)))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    # Rounded down: the program's optimum is at least its relaxation's, and integral.
    return objective(ctx, draft) + int(solver.Objective().Value() // 1)
