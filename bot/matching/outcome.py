"""A finished ledger as the plan the coordinator sees."""

from __future__ import annotations

import time

from bot.matching.context import WeekContext
from bot.matching.figures import figures
from bot.matching.ledger import Ledger
from bot.matching.plan import Plan, Unplanned
from bot.matching.reasons import reason


def make_plan(ctx: WeekContext, ledger: Ledger, status: str, best_bound: int | None, started: float) -> Plan:
    """`started` is the `time.perf_counter()` reading when planning began."""
    unplanned = tuple(
        Unplanned(p, ledger.remaining(p), reason(ctx, ledger, p)) for p in ctx.persons if ledger.remaining(p) > 0
    )
    outings = ledger.outings()
    seconds = time.perf_counter() - started
    return Plan(outings, unplanned, figures(ctx, ledger, status, best_bound, seconds))
