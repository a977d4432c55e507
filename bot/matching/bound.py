"""A lower bound on the week's objective: the linear relaxation of one program over the whole week.

The planner never solves the week as one CP-SAT model (see `planner`), and a part's bound holds only with
the rest of the week as it was then. The whole week's program, with every due visit released, offers each
person the options of the neighbourhood search plus the plan's own pair-slots; GLOP solves its linear
relaxation in about a second for the M week, where CP-SAT takes longer than the time limit to load it.
The two terms that need extra variables (repeats within the week of a pair not seen before, fair load)
are left out: they are never negative, so the result stays a lower bound. It bounds the plans made of
these options, not every plan the candidate filter left out.
"""

from __future__ import annotations

from ortools.linear_solver import pywraplp

from bot.matching.candidates import NARROW, OptionFinder, make_option
from bot.matching.context import WeekContext
from bot.matching.costs import objective
from bot.matching.ledger import Ledger
from bot.matching.option_program import option_program


def week_bound(ctx: WeekContext, finder: OptionFinder, ledger: Ledger, time_limit_s: float) -> int | None:
    """None if GLOP does not finish in time."""
    draft = ledger.copy()
    released = draft.release(ctx.persons)
    due = [p for p in ctx.persons if draft.remaining(p) > 0]
    planned = [make_option(ctx, draft, slot_id, pair, taken) for (slot_id, pair), taken in released]
    options = list(dict.fromkeys([*finder.options(draft, due, NARROW), *planned]))
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
    solver.SetTimeLimit(max(1, round(1000 * time_limit_s)))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    # Rounded down: the program's optimum is at least its relaxation's, and integral.
    return objective(ctx, draft) + int(solver.Objective().Value() // 1)
