"""Typed rows at the storage boundary: what repositories return."""

from __future__ import annotations

from bot.domain.records import Record
from bot.domain.volunteers import Gender, VolunteerKind, VolunteerStatus


class UserRecord(Record):
    telegram_id: int
    first_name: str
    language: str | None
    telegram_language: str | None = None
    gender: Gender | None = None


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
