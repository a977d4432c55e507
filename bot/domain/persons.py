"""Persons followed: where their follow-up stands, their file as read above storage, and the choices it offers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import field_validator

from bot.domain.records import Record, json_list

VISIT_FREQUENCIES = (1, 2, 4, 8)
VISITOR_GENDERS = ("any", "female", "male")
CONSENT_WAYS = ("oral", "written", "phone")
# "left_isolation" is the outcome the town's plan is judged on (see bot/services/indicators.py).
END_REASONS = ("left_isolation", "moved", "care_home", "deceased", "not_needed", "refused", "other")
# How satisfied the person says they are with the visits, when asked: 4 very ... 1 not at all.
SATISFACTION_LEVELS = (4, 3, 2, 1)


class PersonStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class PersonRecord(Record):
    id: int
    name: str
    address: str
    street_id: int | None
    lat: float | None
    lon: float | None
    phone: str | None
    needs: tuple[str, ...]
    visits_per_month: int
    slots: tuple[str, ...]
    languages: tuple[str, ...]
    visitor_gender: str
    consent_at: str | None
    consent_how: str | None
    bereavement_on: str | None
    status: PersonStatus
    ended_reason: str | None

    _lists = field_validator("needs", "slots", "languages", mode="before")(json_list)


@dataclass(frozen=True, slots=True)
class PlaceOfPerson:
    address: str
    street_id: int | None
    lat: float | None
    lon: float | None
