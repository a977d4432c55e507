"""One CP-SAT model: which of the offered options to take, on top of what is already planned.

The program is `option_program`'s, plus two terms needing extra variables (repeats of a pair within the
week, fair load). The objective is the change of `costs.objective`, term by term, so that a part's value
reads directly as a change of the plan's cost.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ortools.sat.python import cp_model

from bot.matching.candidates import Option
from bot.matching.context import WeekContext
from bot.matching.costs import overload
from bot.matching.ledger import Ledger
from bot.matching.option_program import option_program

Var = cp_model.IntVar
search_log = logging.getLogger("bot.matching.search")


@dataclass(frozen=True, slots=True)
class PartOutcome:
    status: str
    start: int
    """Change of the objective that `start` would make."""
    delta: int
    """Change of the objective made by the options taken."""


class PartModel:
    """Built against the ledger as it stands; solving does not touch the ledger, so that parts sharing no
    volunteer can be solved at once on separate threads (CP-SAT releases the interpreter lock)."""

    def __init__(self, ctx: WeekContext, ledger: Ledger, options: Sequence[Option], start: Sequence[Option]):
        """`start`, some of the options that can all be taken together, is where the search begins (from
        nothing, the first solutions leave many visits out and the solver spends its time regaining
        coverage instead of improving the plan), and what is kept if the solver finds nothing in time."""
        self.options = list(options)
        self.start = list(start)
        self.chosen = self.start
        self.volunteers = frozenset(m for o in self.options for m in o.pair)
        self._ctx = ctx
        self._model = model = cp_model.CpModel()
        self._taken = taken = [model.new_bool_var(f"option {i}") for i in range(len(self.options))]
        program = option_program(ctx, ledger, self.options)
        for group in program.at_most_one:
            model.add_at_most_one(taken[i] for i in group)
        for terms, most in program.at_most:
            model.add(sum(c * taken[i] for c, i in terms) <= most)
        begin = set(start)
        hint: dict[Var, int] = {var: int(o in begin) for o, var in zip(self.options, taken, strict=True)}
        cost = [(c, taken[i]) for i, c in enumerate(program.coefficients)]
        cost += _repeats(model, ctx, program.first_outings, taken, hint)
        constant = _fair_load(model, ctx, ledger, program.loads, taken, cost, hint)
        model.minimize(sum(c * v for c, v in cost) + constant)
        for var, value in hint.items():
            model.add_hint(var, value)
        self._start_value = sum(c * hint[v] for c, v in cost) + constant

    def export(self, path: Path) -> bool:
        """Write the model to `path`, as text protobuf when its name ends in .txt (CP-SAT's rule)."""
        return bool(self._model.export_to_file(str(path)))

    def take(self, ledger: Ledger) -> None:
        """Write the chosen options into the ledger (the start, until a solve finds better)."""
        for option in self.chosen:
            for person_id in option.person_ids:
                ledger.add(option.slot_id, option.pair, person_id)

    def solve(self, time_limit_s: float) -> PartOutcome:
        """Sets `chosen`, the options to take."""
        if not self.options:
            return PartOutcome("OPTIMAL", 0, 0)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, time_limit_s)
        # One worker per model: measured on these small models, the LP-guided worker alone proves
        # optimality sooner than a two-worker portfolio, and the planner runs parts side by side instead.
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = self._ctx.parameters.random_seed
        # Presolve costs more than the search on these models and, measured on the generator's weeks,
        # leaves a linear relaxation so weak that the bound stays 20 % off; without it, within 0.01 %.
        solver.parameters.cp_model_presolve = False
        if self._ctx.parameters.log_search:
            solver.parameters.log_search_progress = True
            solver.parameters.log_to_stdout = False
            solver.log_callback = search_log.info
        status = solver.solve(self._model)
        value = self._start_value
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.chosen = [o for o, v in zip(self.options, self._taken, strict=True) if solver.boolean_value(v)]
            value = round(solver.objective_value)
        return PartOutcome(solver.status_name(status), self._start_value, value)


def _repeats(
    model: cp_model.CpModel,
    ctx: WeekContext,
    first_outings: Sequence[Sequence[int]],
    taken: Sequence[Var],
    hint: dict[Var, int],
) -> list[tuple[int, Var]]:
    """Every option but one of such a group repeats the pair. Extends the hint: a complete hint is taken
    as the first solution, a partial one must be repaired first."""
    cost: list[tuple[int, Var]] = []
    for group in first_outings:
        extra = model.new_int_var(0, len(group) - 1, f"again {group[0]}")
        model.add(sum(taken[i] for i in group) - 1 <= extra)
        cost.append((ctx.weights.repeated_pair, extra))
        hint[extra] = max(0, sum(hint[taken[i]] for i in group) - 1)
    return cost


def _fair_load(
    model: cp_model.CpModel,
    ctx: WeekContext,
    ledger: Ledger,
    loads: Mapping[str, Sequence[tuple[int, int]]],
    taken: Sequence[Var],
    cost: list[tuple[int, Var]],
    hint: dict[Var, int],
) -> int:
    """Appends the `costs.overload` terms of the volunteers concerned; returns the constant that removes
    what they already carried, so that the objective is a change."""
    weight = ctx.weights.overload_point
    constant = 0
    for volunteer_id, terms in loads.items():
        capacity = ctx.volunteers[volunteer_id].capacity
        before = ledger.load[volunteer_id]
        visits = sum(n * taken[i] for n, i in terms)
        over = model.new_int_var(0, 100, f"over {volunteer_id}")
        model.add(capacity * over >= 100 * (before + visits) - ctx.fair_percent * capacity)
        cost.append((weight, over))
        constant -= weight * overload(ctx, volunteer_id, before)
        hint[over] = overload(ctx, volunteer_id, before + sum(n * hint[taken[i]] for n, i in terms))
    return constant
