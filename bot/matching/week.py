"""What the weekly planner is given: the week's slots, volunteers, persons followed, recent pairs, weights.

Plain frozen values, no database, no Telegram, no clock: the services layer builds a `Week` from storage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from bot.domain.places import Point
from bot.routing.walking import WalkingModel

WalkingFn = Callable[[Point, Point], float]
"""Walking minutes from one point to another."""


class Kind(StrEnum):
    BENEVOLE = "benevole"
    SERVICE_CIVIQUE = "service_civique"
    AGENT_MUNICIPAL = "agent_municipal"


class Gender(StrEnum):
    FEMALE = "f"
    MALE = "m"


@dataclass(frozen=True, slots=True)
class DateRange:
    """Days from `first` to `last`, both included."""

    first: date
    last: date

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True, slots=True)
class Slot:
    id: str
    day: date
    start: time
    end: time

    @property
    def minutes(self) -> float:
        return (datetime.combine(self.day, self.end) - datetime.combine(self.day, self.start)).total_seconds() / 60


@dataclass(frozen=True, slots=True)
class Volunteer:
    id: str
    kind: Kind
    experienced: bool
    slot_ids: frozenset[str]
    capacity: int
    """Most visits this volunteer accepts this week."""
    home: Point | None = None
    absences: tuple[DateRange, ...] = ()
    languages: frozenset[str] = frozenset({"fr"})
    gender: Gender | None = None


def may_pair(a: Volunteer, b: Volunteer) -> bool:
    """Never two service civique members, and one only beside an experienced partner."""
    if a.id == b.id or (a.kind is Kind.SERVICE_CIVIQUE and b.kind is Kind.SERVICE_CIVIQUE):
        return False
    if a.kind is Kind.SERVICE_CIVIQUE:
        return b.experienced
    if b.kind is Kind.SERVICE_CIVIQUE:
        return a.experienced
    return True


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    location: Point
    visits_due: int = 1
    preferred_slot_ids: frozenset[str] = frozenset()
    """Empty: any slot suits."""
    languages: frozenset[str] = frozenset({"fr"})
    visitor_gender: Gender | None = None
    known_volunteer_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PastPair:
    first: str
    second: str
    weeks_ago: int


@dataclass(frozen=True, slots=True)
class Weights:
    """Points of the objective (minimised). In minutes of walking, the defaults price a visit left out at
    3,333, a repeated pair at 667, a language no visitor speaks at 20, a visitor of the other gender than
    wished at 6.7, two strangers where the person knows volunteers at 3.3, a slot the person did not
    prefer at 3.3, a point of load above the fair share at 0.07. So the first two are lexicographic in
    practice: a due visit left out costs more than any plan's repeats, a repeat more than the other terms
    of a small week together (the brute-force tests rely on it)."""

    uncovered_visit: int = 1_000_000
    repeated_pair: int = 200_000
    """Per pair-slot whose pair already worked together within the rotation window or earlier this week."""
    walking_minute: int = 300
    """Per minute of `walking_metric`; the terms below are priced in minutes of walking."""
    no_continuity: int = 1_000
    """Per visit to someone who knows some volunteers, made by two strangers."""
    overload_point: int = 20
    """Per percentage point of a volunteer's load/capacity above the week's fair share."""
    language_mismatch: int = 6_000
    gender_mismatch: int = 2_000
    """Per visitor not of the gender the person prefers."""
    unpreferred_slot: int = 1_000


@dataclass(frozen=True, slots=True)
class Parameters:
    time_limit_s: float = 10.0
    """Wall-clock budget of the whole planning, preparation included."""
    num_workers: int = 1
    """Parts of the town re-planned side by side, each by one CP-SAT worker (`planner`). One by default:
    on two cores, busy or idle, a second worker lost more to contention and to parts redone after a clash
    of volunteers than it gained (docs/BENCHMARKS.md)."""
    random_seed: int = 0
    rotation_window_weeks: int = 4
    visit_minutes: float = 45.0
    max_walk_minutes: float = 30.0
    """Longest walk asked of a pair in one slot: from its meeting point to any visit, and in total
    between its visits."""
    log_search: bool = False
    """CP-SAT's search log, line by line, to the `bot.matching.search` logger (never to stdout)."""
    dump_models_to: str | None = None
    """A folder where the CP-SAT model of each part of the first pass is written as text protobuf
    (`part-007.pb.txt`), for study offline with CP-SAT's own tools; nothing is written without it."""


@dataclass(frozen=True)
class Week:
    slots: tuple[Slot, ...]
    volunteers: tuple[Volunteer, ...]
    persons: tuple[Person, ...]
    history: tuple[PastPair, ...] = ()
    declined: frozenset[tuple[str, str, str]] = frozenset()
    """(volunteer id, slot id, person id): visits a volunteer declined."""
    walking: WalkingModel | WalkingFn = field(default_factory=WalkingModel)
    """A `WalkingModel` is measured on a flat projection of the town (`distance`), a callable as given."""
    weights: Weights = Weights()
    parameters: Parameters = Parameters()

    def __post_init__(self) -> None:
        slot_ids = _unique("slot", (s.id for s in self.slots))
        _unique("volunteer", (v.id for v in self.volunteers))
        _unique("person", (p.id for p in self.persons))
        p = self.parameters
        if p.time_limit_s <= 0 or p.num_workers < 1 or p.rotation_window_weeks < 0:
            raise ValueError("time limit and workers must be positive, the rotation window not negative")
        if p.visit_minutes <= 0 or p.max_walk_minutes < 0:
            raise ValueError("visit duration must be positive, walking limit not negative")
        for slot in self.slots:
            if slot.minutes < p.visit_minutes:
                raise ValueError(f"slot {slot.id} is shorter than one visit")
        for v in self.volunteers:
            if v.capacity < 0 or not v.slot_ids <= slot_ids:
                raise ValueError(f"volunteer {v.id}: negative capacity or unknown slot")
        for person in self.persons:
            if person.visits_due < 0 or not person.preferred_slot_ids <= slot_ids:
                raise ValueError(f"person {person.id}: negative visits due or unknown slot")


def _unique(what: str, ids: Iterable[str]) -> frozenset[str]:
    seen: set[str] = set()
    for id_ in ids:
        if id_ in seen:
            raise ValueError(f"duplicate {what} id {id_}")
        seen.add(id_)
    return frozenset(seen)
