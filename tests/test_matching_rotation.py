"""No pair repeats within the rotation window whenever a plan covering as many visits avoids it:
checked against every plan of tiny weeks."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings, target

from bot.matching import Outing, Week, greedy_plan, plan_week
from tests.test_matching_support import Rules, as_plan, weeks


def best_by_brute_force(week: Week, rules: Rules) -> tuple[int, int]:
    """Most visits any valid plan makes, and fewest repeats among the plans making that many."""
    pairs = list(itertools.combinations(sorted(rules.volunteers), 2))
    choices = [
        [None, *((s.id, pair) for s in week.slots for pair in pairs)] if p.visits_due else [None] for p in week.persons
    ]
    best = (0, 0)
    for assignment in itertools.product(*choices):
        grouped: dict[tuple[str, tuple[str, str]], list[str]] = {}
        for person, place in zip(week.persons, assignment, strict=True):
            if place is not None:
                grouped.setdefault(place, []).append(person.id)
        plan = as_plan(week, [Outing(s, pair, tuple(ps)) for (s, pair), ps in grouped.items()])
        if not rules.violations(plan):
            score = (plan.figures.visits_planned, -rules.repeats(plan))
            best = max(best, score)
    return best[0], -best[1]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weeks(max_slots=2, max_volunteers=4, max_persons=3, max_due=1, crowded=True))
def test_no_pair_repeats_when_it_can_be_avoided(week: Week) -> None:
    rules = Rules(week)
    best = best_by_brute_force(week, rules)
    # Steers the search to weeks where a coordinator by hand would repeat pairs that need not be.
    baseline = greedy_plan(week)
    target(float(baseline.figures.visits_planned == best[0] and rules.repeats(baseline) - best[1]))
    plan = plan_week(week)
    assert (plan.figures.visits_planned, rules.repeats(plan)) == best
