"""Each reason a visit can be left out for, on a week built to show it."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from bot.matching import Kind, Parameters, Person, Reason, Volunteer, Week, greedy_plan, plan_week
from tests.test_matching_support import ALL_SLOTS, near_centre, walk

MONDAY_MORNING = ALL_SLOTS[0]


def volunteer(id_: str, kind: Kind = Kind.BENEVOLE, experienced: bool = True, **changes: Any) -> Volunteer:
    default = Volunteer(id_, kind, experienced, frozenset({MONDAY_MORNING.id}), 3, near_centre(0, 0))
    return dataclasses.replace(default, **changes)


def week_of(volunteers: list[Volunteer], persons: list[Person]) -> Week:
    return Week(
        slots=(MONDAY_MORNING,),
        volunteers=tuple(volunteers),
        persons=tuple(persons),
        walking=walk,
        parameters=Parameters(time_limit_s=2.0, max_walk_minutes=30.0),
    )


def person(id_: str, north_m: int = 100, east_m: int = 0) -> Person:
    return Person(id_, near_centre(north_m, east_m))


CASES = {
    Reason.NO_VOLUNTEER_FREE: week_of([volunteer("a"), volunteer("b", slot_ids=frozenset())], [person("p")]),
    Reason.NO_EXPERIENCED_PARTNER: week_of(
        [volunteer("a", Kind.SERVICE_CIVIQUE, False), volunteer("b", experienced=False)], [person("p")]
    ),
    Reason.TOO_FAR: week_of([volunteer("a"), volunteer("b")], [person("p", north_m=3_000)]),
    Reason.CAPACITY_EXHAUSTED: week_of(
        [volunteer("a"), volunteer("b", capacity=1)], [person("p"), person("q", east_m=50)]
    ),
    # One pair, two persons too far apart for one outing (walk between them over the limit).
    Reason.VOLUNTEERS_BUSY: week_of(
        [volunteer("a"), volunteer("b")], [person("p", north_m=1_000), person("q", north_m=-1_000)]
    ),
}


@pytest.mark.parametrize("reason", list(CASES))
def test_reason(reason: Reason) -> None:
    for plan in (plan_week(CASES[reason]), greedy_plan(CASES[reason])):
        assert [u.reason for u in plan.unplanned] == [reason]
