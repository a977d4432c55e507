"""The objective, term by term: the CP-SAT model takes its coefficients from here and every plan, greedy
or ours, is scored here, so that the solver's objective and bound compare with the plans' figures."""

from __future__ import annotations

from collections.abc import Sequence

from bot.matching.context import WeekContext
from bot.matching.ledger import Ledger
from bot.matching.plan import ObjectiveTerms, Pair
from bot.matching.walking_metric import route

VisitTerms = tuple[int, int, int, int]
"""What one visit costs apart from walking, weighted: strangers, language, gender, slot (a plain tuple: the
option finder prices hundreds of thousands of visits)."""


def visit_terms(ctx: WeekContext, slot_id: str, pair: Pair, person_id: str) -> VisitTerms:
    w = ctx.weights
    person = ctx.persons[person_id]
    first, second = ctx.volunteers[pair[0]], ctx.volunteers[pair[1]]
    known = ctx.known[person_id]
    strangers = bool(known) and pair[0] not in known and pair[1] not in known
    no_language = person.languages.isdisjoint(first.languages) and person.languages.isdisjoint(second.languages)
    wished = person.visitor_gender
    other_gender = 0 if wished is None else (first.gender is not wished) + (second.gender is not wished)
    other_slot = bool(person.preferred_slot_ids) and slot_id not in person.preferred_slot_ids
    return (
        w.no_continuity * strangers,
        w.language_mismatch * no_language,
        w.gender_mismatch * other_gender,
        w.unpreferred_slot * other_slot,
    )


def visit_cost(ctx: WeekContext, slot_id: str, pair: Pair, person_id: str) -> int:
    return sum(visit_terms(ctx, slot_id, pair, person_id))


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


def objective_terms(ctx: WeekContext, ledger: Ledger) -> ObjectiveTerms:
    w = ctx.weights
    visits = [visit_terms(ctx, s, pair, p) for (s, pair), ps in ledger.visits.items() for p in ps]
    continuity, language, gender, preferred_slot = (sum(v[term] for v in visits) for term in range(4))
    return ObjectiveTerms(
        uncovered=w.uncovered_visit * sum(ledger.remaining(p) for p in ctx.persons),
        rotation=w.repeated_pair * sum(repeats(ctx, pair, uses) for pair, uses in ledger.pair_uses.items()),
        walking=sum(walking_cost(ctx, pair, ps) for (_, pair), ps in ledger.visits.items()),
        continuity=continuity,
        language=language,
        gender=gender,
        preferred_slot=preferred_slot,
        fair_load=w.overload_point * sum(overload(ctx, v, n) for v, n in ledger.load.items()),
    )


def objective(ctx: WeekContext, ledger: Ledger) -> int:
    return objective_terms(ctx, ledger).total()
