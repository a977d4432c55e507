"""Plans of many tiny random weeks keep every hard rule, and what they leave out has its true reason."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from bot.matching import Week, greedy_plan, plan_week
from tests.test_matching_support import Rules, weeks

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(weeks())
def test_plans_keep_the_hard_rules(week: Week) -> None:
    """Nobody in two places at once, both members free, capacities, service civique beside an experienced
    partner, two people a visit, visits that fit their slot and walking limit."""
    rules = Rules(week)
    for plan in (plan_week(week), greedy_plan(week)):
        assert rules.violations(plan) == []


@SETTINGS
@given(weeks())
def test_every_visit_left_out_has_its_true_reason(week: Week) -> None:
    rules = Rules(week)
    for plan in (plan_week(week), greedy_plan(week)):
        for left_out in plan.unplanned:
            assert left_out.reason == rules.reason(plan, left_out.person_id)
            assert not rules.could_still_visit(plan, left_out.person_id)
