"""Typed rows at the storage boundary: what repositories return."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


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


class UserRecord(Record):
    telegram_id: int
    first_name: str
    language: str | None


class VolunteerRecord(Record):
    telegram_id: int
    first_name: str
    kind: VolunteerKind
    status: VolunteerStatus
    decided_by: int | None
    applied_at: str


class StreetRow(Record):
    id: int
    name: str
    neighbourhood: str
    lat: float
    lon: float


class HouseNumberRow(Record):
    street_id: int
    number: str
    lat: float
    lon: float


class WatchedStreet(Record):
    street_id: int
    street_name: str
    neighbourhood: str
    is_main: bool


class Gender(StrEnum):
    FEMALE = "f"
    MALE = "m"


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
