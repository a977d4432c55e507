"""What the weekly planner returns: for each slot the pairs and whom they visit, what was left out and why,
and the figures by which plans are compared."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

Pair = tuple[str, str]


def pair_of(a: str, b: str) -> Pair:
    """The one spelling of a pair, whatever order its members come in."""
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True, slots=True)
class Outing:
    """A pair in a slot and the persons it visits, in the walking order of `walking_metric`."""

    slot_id: str
    pair: Pair
    person_ids: tuple[str, ...]


class Reason(StrEnum):
    """Why a due visit is left out: the first of these filters that leaves no pair able to make it,
    applied in this order to every slot the person is not yet visited in."""

    NO_VOLUNTEER_FREE = "no_volunteer_free"
    """No slot has two volunteers available, not absent, and willing to visit this person."""
    NO_EXPERIENCED_PARTNER = "no_experienced_partner"
    """Volunteers are free, but no two of them may go together (a service civique member needs an
    experienced partner)."""
    TOO_FAR = "too_far"
    """Every pair that may go lives beyond the walking limit."""
    CAPACITY_EXHAUSTED = "capacity_exhausted"
    """Every pair near enough has a member who already has as many visits as they offered."""
    VOLUNTEERS_BUSY = "volunteers_busy"
    """Every pair left is already out with someone else in that slot, or has no time left in it."""


@dataclass(frozen=True, slots=True)
class Unplanned:
    person_id: str
    missing: int
    reason: Reason


@dataclass(frozen=True, slots=True)
class ObjectiveTerms:
    """The objective term by term, each weighted as in `Weights`: they sum to `Figures.objective`, and show
    what a plan pays for (visits left out, pairs repeated, walking...) and what one plan gains on another."""

    uncovered: int = 0
    """Due visits left out."""
    rotation: int = 0
    """Pair-slots repeating a pairing of the rotation window or of the week."""
    walking: int = 0
    continuity: int = 0
    """Visits to someone who knows some volunteers, made by two strangers."""
    language: int = 0
    """Visits where neither visitor speaks a language of the person."""
    gender: int = 0
    """Visitors not of the gender the person prefers."""
    preferred_slot: int = 0
    """Visits in a slot the person did not prefer."""
    fair_load: int = 0
    """Load above the fair share of each volunteer's capacity."""

    def total(self) -> int:
        return (
            self.uncovered
            + self.rotation
            + self.walking
            + self.continuity
            + self.language
            + self.gender
            + self.preferred_slot
            + self.fair_load
        )


@dataclass(frozen=True, slots=True)
class Figures:
    status: str
    """CONVERGED when no neighbourhood could be improved any more, TIME_LIMIT when time ran out first
    (`planner`); the solver's own status for a repair; GREEDY for the baseline."""
    objective: int
    """The plan's cost under `Weights` (`costs.objective`), whoever made the plan."""
    best_bound: int | None
    """A proven lower bound on `objective` over the options the planner considered (`bound`)."""
    solve_seconds: float
    visits_due: int
    visits_planned: int
    walking_minutes: float
    repeated_pairs: int
    continuity: int
    """Visits made by at least one volunteer the person already knows."""
    continuity_possible: int
    """Visits planned to persons who know at least one volunteer."""
    load_spread: float
    """Standard deviation of load/capacity over volunteers free at least once, in percentage points."""
    terms: ObjectiveTerms = ObjectiveTerms()
    """`objective`, term by term."""


@dataclass(frozen=True)
class Plan:
    outings: tuple[Outing, ...]
    unplanned: tuple[Unplanned, ...]
    figures: Figures
