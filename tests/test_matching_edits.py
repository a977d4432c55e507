"""A coordinator's edits of a draft offer exactly the swaps and moves that keep every hard rule, checked
against the rules as the specification states them (`Rules`), by trying every volunteer and every pair."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.matching import Outing, Plan, Week, greedy_plan
from bot.matching.edits import DraftEdits, StaleDraft
from bot.matching.plan import pair_of
from tests.test_matching_support import Rules, weeks


def swapped(plan: Plan, edited: Outing, leaving: str, coming: str) -> Plan:
    staying = edited.pair[1] if edited.pair[0] == leaving else edited.pair[0]
    changed = dataclasses.replace(edited, pair=pair_of(staying, coming))
    return dataclasses.replace(plan, outings=tuple(changed if o == edited else o for o in plan.outings))


def moved(plan: Plan, source: Outing, person_id: str, slot_id: str, pair: tuple[str, str]) -> Plan:
    outings = []
    for outing in plan.outings:
        persons = tuple(p for p in outing.person_ids if outing != source or p != person_id)
        if (outing.slot_id, outing.pair) == (slot_id, pair):
            persons += (person_id,)
        if persons:
            outings.append(dataclasses.replace(outing, person_ids=persons))
    if (slot_id, pair) not in {(o.slot_id, o.pair) for o in plan.outings}:
        outings.append(Outing(slot_id, pair, (person_id,)))
    return dataclasses.replace(plan, outings=tuple(outings))


# Tiny random weeks often plan nothing; those say nothing about edits.
@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.booleans().flatmap(lambda crowded: weeks(max_volunteers=7, max_persons=9, crowded=crowded)), st.data())
def test_the_edits_offered_are_exactly_those_that_keep_every_hard_rule(week: Week, data: st.DataObject) -> None:
    draft = greedy_plan(week)
    assume(draft.outings)
    rules = Rules(week)
    assert rules.violations(draft) == []
    edits = DraftEdits(week, draft.outings)
    source = data.draw(st.sampled_from(draft.outings))
    volunteers = [v.id for v in week.volunteers]

    leaving = data.draw(st.sampled_from(source.pair))
    offered = edits.replacements(source, leaving)
    allowed = [
        v for v in volunteers if v not in source.pair and rules.violations(swapped(draft, source, leaving, v)) == []
    ]
    assert sorted(offered) == sorted(allowed)

    person = data.draw(st.sampled_from(source.person_ids))
    into = {(o.slot_id, o.pair) for o in edits.outings_taking(source, person)}
    elsewhere = {(o.slot_id, o.pair) for o in draft.outings if (o.slot_id, o.pair) != (source.slot_id, source.pair)}
    assert into == {key for key in elsewhere if rules.violations(moved(draft, source, person, *key)) == []}
    taken = {(o.slot_id, m) for o in draft.outings for m in o.pair if o != source or len(o.person_ids) > 1}
    for slot in week.slots:
        new = [
            pair_of(a, b)
            for a, b in itertools.combinations(volunteers, 2)
            if (slot.id, a) not in taken
            and (slot.id, b) not in taken
            and (slot.id, pair_of(a, b)) not in {*elsewhere, (source.slot_id, source.pair)}
            and rules.violations(moved(draft, source, person, slot.id, pair_of(a, b))) == []
        ]
        assert sorted(edits.new_pairs_taking(source, person, slot.id)) == sorted(new), slot.id
    assert edits.slots_for_new_pairs(source, person) == [
        s.id for s in week.slots if edits.new_pairs_taking(source, person, s.id)
    ]


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.filter_too_much])
@given(weeks())
def test_a_draft_the_stored_week_no_longer_allows_is_stale(week: Week) -> None:
    draft = greedy_plan(week)
    assume(draft.outings)
    source = draft.outings[0]
    gone = source.pair[0]
    # The volunteer has since paused: they are no longer in the week.
    now = dataclasses.replace(week, volunteers=tuple(v for v in week.volunteers if v.id != gone))
    with pytest.raises(StaleDraft):
        DraftEdits(now, draft.outings)
