"""The objective, term by term: the CP-SAT model takes its coefficients from here and every plan, greedy
or ours, is scored here, so that the solver's objective and bound compare with the plans' figures."""

from __future__ import annotations

from collections.abc import Sequence

from bot.matching.context import WeekContext
from bot.matching.ledger import Ledger
from bot.matching.plan import Pair
from bot.matching.walking_metric import route


def visit_cost(ctx: WeekContext, slot_id: str, pair: Pair, person_id: str) -> int:
    """What one visit costs apart from walking: strangers, language, gender, slot."""
    w = ctx.weights
    person = ctx.persons[person_id]
    first, second = ctx.volunteers[pair[0]], ctx.volunteers[pair[1]]
    cost = 0
    known = ctx.known[person_id]
    if known and pair[0] not in known and pair[1] not in known:
        cost += w.no_continuity
    if person.languages.isdisjoint(first.languages) and person.languages.isdisjoint(second.languages):
        cost += w.language_mismatch
    if person.visitor_gender is not None:
        cost += w.gender_mismatch * (
            (first.gender is not person.visitor_gender) + (second.gender is not person.visitor_gender)
        )
    if person.preferred_slot_ids and slot_id not in person.preferred_slot_ids:
        cost += w.unpreferred_slot
    return cost


def walking_cost(ctx: WeekContext, pair: Pair, person_ids: Sequence[str]) -> int:
    minutes, _ = route(ctx, pair, [ctx.persons[p].location for p in person_ids])
    return round(ctx.weights.walking_minute * minutes)


def repeats(ctx: WeekContext, pair: Pair, uses: int) -> int:
    """Pair-slots of a pair used `uses` times this week that repeat an earlier pairing."""
    return uses if pair in ctx.recent_pairs else max(0, uses - 1)


def overload(ctx: WeekContext, volunteer_id: str, load: int) -> int:
    """Percentage points of load/capacity above the fair share (ceiling, to stay in integers)."""
    capacity = ctx.volunteers[volunteer_id].capacity
    if capacity == 0:
        return 0
    return max(0, -(-100 * load // capacity) - ctx.fair_percent)


def objective(ctx: WeekContext, ledger: Ledger) -> int:
    w = ctx.weights
    visits = sum(visit_cost(ctx, s, pair, p) for (s, pair), ps in ledger.visits.items() for p in ps)
    walking = sum(walking_cost(ctx, pair, ps) for (_, pair), ps in ledger.visits.items())
    rotation = w.repeated_pair * sum(repeats(ctx, pair, uses) for pair, uses in ledger.pair_uses.items())
    load = w.overload_point * sum(overload(ctx, v, n) for v, n in ledger.load.items())
    missing = w.uncovered_visit * sum(ledger.remaining(p) for p in ctx.persons)
    return visits + walking + rotation + load + missing
