"""Repairing a published plan re-plans what the change concerns and keeps every other visit as it was."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.matching import Declined, Plan, Unavailable, Week, plan_week
from bot.matching.repair import repair
from tests.test_matching_support import Rules, weeks


def visits(plan: Plan) -> set[tuple[str, tuple[str, str], str]]:
    return {(o.slot_id, o.pair, p) for o in plan.outings for p in o.person_ids}


# Many tiny random weeks plan no outing at all, and repair only means something once there is one.
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(weeks(), st.data())
def test_repair_changes_only_what_it_must(week: Week, data: st.DataObject) -> None:
    published = plan_week(week)
    assume(published.outings)
    outing = data.draw(st.sampled_from(published.outings))
    volunteer = data.draw(st.sampled_from(outing.pair))
    changes: list[Declined | Unavailable] = [
        Declined(volunteer, outing.slot_id, data.draw(st.sampled_from(outing.person_ids))),
        Unavailable(volunteer, frozenset({outing.slot_id})),
        Unavailable(volunteer, frozenset(data.draw(st.sets(st.sampled_from([s.id for s in week.slots]))))),
        Unavailable(volunteer),
    ]
    change = data.draw(st.sampled_from(changes))
    repaired = repair(week, published, change)

    def concerned(slot_id: str, pair: tuple[str, str], person_id: str) -> bool:
        if isinstance(change, Declined):
            return volunteer in pair and (slot_id, person_id) == (change.slot_id, change.person_id)
        return volunteer in pair and change.covers(slot_id)

    kept = {v for v in visits(published) if not concerned(*v)}
    assert kept <= visits(repaired.plan)
    waiting = set(repaired.replanned) | {u.person_id for u in published.unplanned}
    assert {p for _, _, p in visits(repaired.plan) - kept} <= waiting
    assert not {v for v in visits(repaired.plan) if concerned(*v)}

    rules = Rules(repaired.week)
    assert rules.violations(repaired.plan) == []
    for left_out in repaired.plan.unplanned:
        assert left_out.reason == rules.reason(repaired.plan, left_out.person_id)
        assert not rules.could_still_visit(repaired.plan, left_out.person_id)
