"""Volunteers: their kind, where their application stands, and the profile the planner weighs."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from bot.domain.grammar import GrammaticalGender
from bot.domain.records import Record


class VolunteerKind(StrEnum):
    BENEVOLE = "benevole"
    SERVICE_CIVIQUE = "service_civique"
    AGENT_MUNICIPAL = "agent_municipal"


class VolunteerStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    # Taken out by a coordinator: for a while (reinstated later), or for good.
    SUSPENDED = "suspended"
    REMOVED = "removed"


class Gender(StrEnum):
    FEMALE = "f"
    MALE = "m"

    @property
    def grammar(self) -> GrammaticalGender:
        return GrammaticalGender.FEMININE if self is Gender.FEMALE else GrammaticalGender.MASCULINE


class Absence(Record):
    id: int
    first_day: date
    last_day: date


class VolunteerProfile(Record):
    """An approved volunteer's weekly grid and what the planner weighs, configured defaults applied."""

    telegram_id: int
    first_name: str
    kind: VolunteerKind
    slot_ids: frozenset[str]
    capacity: int
    home_street_id: int | None
    home_street_name: str | None
    home_lat: float | None
    home_lon: float | None
    languages: frozenset[str]
    gender: Gender | None
    paused: bool
    experienced: bool
    absences: tuple[Absence, ...]
