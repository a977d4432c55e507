"""Tiny random weeks, and checks of plans written apart from the planner's own rules.

No tests here: the other `test_matching_*` modules import these.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from hypothesis import strategies as st

from bot.domain.places import Point
from bot.matching import (
    DateRange,
    Figures,
    Gender,
    Kind,
    Outing,
    Parameters,
    PastPair,
    Person,
    Plan,
    Reason,
    Unplanned,
    Volunteer,
    Week,
    default_slots,
)

CENTRE = Point(44.2033, 0.6163)
ALL_SLOTS = default_slots()


def walk(a: Point, b: Point) -> float:
    """Minutes at 60 m/min along the grid of streets: exact arithmetic both sides of the checks."""
    return (abs(a.lat - b.lat) * 111_000 + abs(a.lon - b.lon) * 80_000) / 60


def near_centre(north_m: int, east_m: int) -> Point:
    return Point(CENTRE.lat + north_m / 111_000, CENTRE.lon + east_m / 80_000)


offsets = st.integers(-1500, 1500)


@st.composite
def weeks(
    draw: st.DrawFn,
    max_slots: int = 3,
    max_volunteers: int = 6,
    max_persons: int = 5,
    max_due: int = 2,
    crowded: bool = False,
) -> Week:
    """Crowded: every volunteer free in every slot, living near, most pairs recent; where rotation bites."""
    slots = tuple(draw(st.lists(st.sampled_from(ALL_SLOTS), min_size=1, max_size=max_slots, unique=True)))
    slot_ids = [s.id for s in slots]
    volunteers = []
    for i in range(draw(st.integers(2, max_volunteers))):
        kind = draw(st.sampled_from(Kind))
        absences: tuple[DateRange, ...] = ()
        if draw(st.booleans()) and draw(st.booleans()):
            day = draw(st.sampled_from(slots)).day
            absences = (DateRange(day, day + timedelta(days=draw(st.integers(0, 1)))),)
        volunteers.append(
            Volunteer(
                id=f"v{i}",
                kind=kind,
                experienced=draw(st.booleans()),
                slot_ids=frozenset(
                    slot_ids
                    if crowded
                    else draw(st.lists(st.sampled_from(slot_ids), max_size=len(slot_ids), unique=True))
                ),
                capacity=draw(st.integers(1 if crowded else 0, 4)),
                home=None if draw(st.integers(0, 9)) == 0 else near_centre(draw(offsets), draw(offsets)),
                absences=absences,
                languages=frozenset(draw(st.sampled_from([{"fr"}, {"fr", "ar"}, {"es"}]))),
                gender=draw(st.sampled_from([Gender.FEMALE, Gender.MALE, None])),
            )
        )
    ids = [v.id for v in volunteers]
    persons = tuple(
        Person(
            id=f"p{i}",
            location=near_centre(draw(offsets), draw(offsets)),
            visits_due=draw(st.integers(0, max_due)),
            preferred_slot_ids=frozenset(draw(st.lists(st.sampled_from(slot_ids), max_size=2, unique=True))),
            languages=frozenset(draw(st.sampled_from([{"fr"}, {"ar"}]))),
            visitor_gender=draw(st.sampled_from([None, Gender.FEMALE])),
            known_volunteer_ids=frozenset(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))),
        )
        for i in range(draw(st.integers(1, max_persons)))
    )
    history = tuple(
        PastPair(a, b, draw(st.integers(1, 6)))
        for a, b in itertools.combinations(ids, 2)
        if draw(st.integers(0, 2)) < (2 if crowded else 1)
    )
    return Week(
        slots=slots,
        volunteers=tuple(volunteers),
        persons=persons,
        history=history,
        walking=walk,
        parameters=Parameters(time_limit_s=2.0, max_walk_minutes=draw(st.sampled_from([10.0, 20.0, 30.0]))),
    )


class Rules:
    """The hard rules, as the specification states them."""

    def __init__(self, week: Week) -> None:
        self.week = week
        self.slots = {s.id: s for s in week.slots}
        self.volunteers = {v.id: v for v in week.volunteers}
        self.persons = {p.id: p for p in week.persons}
        self.limit = week.parameters.max_walk_minutes

    def free(self, volunteer_id: str, slot_id: str, person_id: str) -> bool:
        v = self.volunteers[volunteer_id]
        absent = any(r.first <= self.slots[slot_id].day <= r.last for r in v.absences)
        return slot_id in v.slot_ids and not absent and (volunteer_id, slot_id, person_id) not in self.week.declined

    def may_pair(self, a: str, b: str) -> bool:
        va, vb = self.volunteers[a], self.volunteers[b]
        civic = [v for v in (va, vb) if v.kind is Kind.SERVICE_CIVIQUE]
        if len(civic) == 2:
            return False
        if civic:
            other = vb if civic[0] is va else va
            return other.experienced
        return True

    def approach(self, pair: tuple[str, str], person_id: str) -> float:
        homes = [self.volunteers[m].home for m in pair if self.volunteers[m].home is not None]
        where = self.persons[person_id].location
        return min((walk(h, where) for h in homes if h is not None), default=self.limit / 2)

    def fits(self, slot_id: str, person_ids: list[str]) -> bool:
        points = [self.persons[p].location for p in person_ids]
        k = len(points)
        hop = max((max(walk(a, b), walk(b, a)) for a, b in itertools.combinations(points, 2)), default=0.0)
        visit, length = self.week.parameters.visit_minutes, self.slots[slot_id].minutes
        return k * visit + (k - 1) * hop <= length + 1e-6 and (k - 1) * hop <= self.limit + 1e-6

    def violations(self, plan: Plan) -> list[str]:
        found = []
        out: Counter[tuple[str, str]] = Counter()
        load: Counter[str] = Counter()
        visits: dict[str, list[str]] = {p: [] for p in self.persons}
        for o in plan.outings:
            a, b = o.pair
            if a == b or not self.may_pair(a, b):
                found.append(f"{o.pair} may not go together")
            if not o.person_ids or not self.fits(o.slot_id, list(o.person_ids)):
                found.append(f"{o.pair} in {o.slot_id}: visits do not fit")
            for m in o.pair:
                out[(m, o.slot_id)] += 1
                load[m] += len(o.person_ids)
            for p in o.person_ids:
                visits[p].append(o.slot_id)
                if not all(self.free(m, o.slot_id, p) for m in o.pair):
                    found.append(f"{o.pair} not free for {p} in {o.slot_id}")
                if self.approach(o.pair, p) > self.limit + 1e-6:
                    found.append(f"{o.pair} too far from {p}")
        found += [f"{v} twice in {s}" for (v, s), n in out.items() if n > 1]
        found += [f"{v} over capacity" for v, n in load.items() if n > self.volunteers[v].capacity]
        missing = {u.person_id: u.missing for u in plan.unplanned}
        for p, slots in visits.items():
            due = self.persons[p].visits_due
            if len(set(slots)) != len(slots) or len(slots) > due:
                found.append(f"{p}: {slots} for {due} due")
            if missing.get(p, 0) != due - len(slots):
                found.append(f"{p}: {missing.get(p, 0)} said missing, {due - len(slots)} are")
        return found

    def reason(self, plan: Plan, person_id: str) -> Reason:
        """The filters of `Reason`, over every pair of every slot the person is not visited in."""
        taken = {o.slot_id for o in plan.outings if person_id in o.person_ids}
        pairs = [
            (s, a, b)
            for s in self.slots
            if s not in taken
            for a, b in itertools.combinations(sorted(self.volunteers), 2)
        ]
        load = Counter(m for o in plan.outings for m in o.pair for _ in o.person_ids)
        steps: list[tuple[Reason, Callable[[str, str, str], bool]]] = [
            (
                Reason.NO_VOLUNTEER_FREE,
                lambda s, a, b: self.free(a, s, person_id) and self.free(b, s, person_id),
            ),
            (Reason.NO_EXPERIENCED_PARTNER, lambda s, a, b: self.may_pair(a, b)),
            (Reason.TOO_FAR, lambda s, a, b: self.approach((a, b), person_id) <= self.limit + 1e-6),
            (
                Reason.CAPACITY_EXHAUSTED,
                lambda s, a, b: all(load[m] < self.volunteers[m].capacity for m in (a, b)),
            ),
        ]
        for reason, keep in steps:
            pairs = [c for c in pairs if keep(*c)]
            if not pairs:
                return reason
        return Reason.VOLUNTEERS_BUSY

    def could_still_visit(self, plan: Plan, person_id: str) -> bool:
        """Whether some pair, as the plan stands, could make one more visit to the person."""
        taken = {o.slot_id for o in plan.outings if person_id in o.person_ids}
        load = Counter(m for o in plan.outings for m in o.pair for _ in o.person_ids)
        out = {(m, o.slot_id): o for o in plan.outings for m in o.pair}
        for s in self.slots:
            if s in taken:
                continue
            for a, b in itertools.combinations(sorted(self.volunteers), 2):
                if not (self.free(a, s, person_id) and self.free(b, s, person_id) and self.may_pair(a, b)):
                    continue
                if self.approach((a, b), person_id) > self.limit + 1e-6:
                    continue
                if any(load[m] >= self.volunteers[m].capacity for m in (a, b)):
                    continue
                current = out.get((a, s)), out.get((b, s))
                if current == (None, None):
                    return True
                same = current[0] is not None and current[0] is current[1]
                if same and current[0] is not None and self.fits(s, [*current[0].person_ids, person_id]):
                    return True
        return False

    def repeats(self, plan: Plan) -> int:
        window = self.week.parameters.rotation_window_weeks
        recent = {tuple(sorted((h.first, h.second))) for h in self.week.history if h.weeks_ago <= window}
        uses = Counter(tuple(sorted(o.pair)) for o in plan.outings)
        return sum(n if pair in recent else n - 1 for pair, n in uses.items())


def as_plan(week: Week, outings: list[Outing]) -> Plan:
    """A plan made by hand, with what it leaves out (the reasons are not looked at)."""
    made = Counter(p for o in outings for p in o.person_ids)
    unplanned = tuple(
        Unplanned(p.id, p.visits_due - made[p.id], Reason.VOLUNTEERS_BUSY)
        for p in week.persons
        if p.visits_due > made[p.id]
    )
    figures = Figures("HAND", 0, None, 0.0, 0, sum(made.values()), 0.0, 0, 0, 0, 0.0)
    return Plan(tuple(outings), unplanned, figures)
