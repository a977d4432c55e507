"""What the indicators and the evaluation export read: facts without names, and, for an export asked with
names, the identities apart (read only then, and audit-logged by the caller)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator

from bot.domain.persons import PersonStatus
from bot.domain.records import Record, json_list
from bot.domain.reports import Channel, ReportStatus, Urgency
from bot.domain.visits import VisitStatus
from bot.domain.volunteers import VolunteerKind, VolunteerStatus
from bot.storage.database import Database


class ReportFact(Record):
    id: int
    reference: str
    channel: Channel
    status: ReportStatus
    urgency: Urgency
    neighbourhood: str | None
    signs: tuple[str, ...]
    person_id: int | None
    created_at: datetime

    _signs = field_validator("signs", mode="before")(json_list)


class PersonFact(Record):
    id: int
    neighbourhood: str | None
    needs: tuple[str, ...]
    visits_per_month: int
    status: PersonStatus
    ended_reason: str | None
    created_at: datetime
    ended_at: datetime | None

    _needs = field_validator("needs", mode="before")(json_list)


class VolunteerFact(Record):
    telegram_id: int
    kind: VolunteerKind
    approved_at: datetime
    paused: bool
    capacity: int | None
    half_days: int


class StreetFact(Record):
    neighbourhood: str
    # When its first caring neighbour still watching it signed up; None: nobody watches it.
    covered_since: datetime | None


class VisitFact(Record):
    """A visit of a published week, as it stands; a visit handed over to another pair counts once, as the
    visit that replaced it."""

    day: date
    status: VisitStatus
    mood: int | None
    first_volunteer: int
    second_volunteer: int


class SatisfactionFact(Record):
    asked_on: date
    level: int


class ReportIdentity(Record):
    reporter_id: int | None
    reporter_name: str | None
    who: str | None
    address: str | None


class PersonIdentity(Record):
    name: str
    address: str
    phone: str | None


class IndicatorRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def reports(self) -> list[ReportFact]:
        rows = await self._db.fetch_all(
            "SELECT id, reference, channel, status, urgency, neighbourhood, signs, person_id, created_at "
            "FROM reports ORDER BY id"
        )
        return [ReportFact.model_validate(dict(row)) for row in rows]

    async def persons(self) -> list[PersonFact]:
        rows = await self._db.fetch_all(
            "SELECT p.id, s.neighbourhood, p.needs, p.visits_per_month, p.status, p.ended_reason, p.created_at, "
            "e.ended_at FROM persons p LEFT JOIN streets s ON s.id = p.street_id "
            "LEFT JOIN person_endings e ON e.person_id = p.id ORDER BY p.id"
        )
        return [PersonFact.model_validate(dict(row)) for row in rows]

    async def volunteers(self) -> list[VolunteerFact]:
        """Approved volunteers, with the day they were approved."""
        rows = await self._db.fetch_all(
            "SELECT v.telegram_id, v.kind, v.decided_at AS approved_at, COALESCE(p.paused, 0) AS paused, "
            "p.capacity, (SELECT COUNT(*) FROM volunteer_slots s WHERE s.telegram_id = v.telegram_id) AS half_days "
            "FROM volunteers v LEFT JOIN volunteer_profiles p USING (telegram_id) "
            "WHERE v.status = ? AND v.decided_at IS NOT NULL ORDER BY v.decided_at, v.telegram_id",
            (VolunteerStatus.APPROVED.value,),
        )
        return [VolunteerFact.model_validate(dict(row)) for row in rows]

    async def streets(self) -> list[StreetFact]:
        rows = await self._db.fetch_all(
            "SELECT s.neighbourhood, MIN(w.since) AS covered_since "
            "FROM streets s LEFT JOIN street_watchers w ON w.street_id = s.id GROUP BY s.id ORDER BY s.id"
        )
        return [StreetFact.model_validate(dict(row)) for row in rows]

    async def visits(self) -> list[VisitFact]:
        rows = await self._db.fetch_all(
            "SELECT v.day, v.status, v.mood, v.first_volunteer, v.second_volunteer FROM visits v "
            "JOIN week_plans w ON w.id = v.plan_id WHERE w.status = 'published' AND v.status != ? "
            "ORDER BY v.day, v.id",
            (VisitStatus.REPLACED.value,),
        )
        return [VisitFact.model_validate(dict(row)) for row in rows]

    async def satisfaction(self) -> list[SatisfactionFact]:
        rows = await self._db.fetch_all("SELECT asked_on, level FROM satisfaction_answers ORDER BY asked_on, id")
        return [SatisfactionFact.model_validate(dict(row)) for row in rows]

    # --- identities, for an export asked with names ---------------------------------------------------------
    async def report_identities(self) -> dict[int, ReportIdentity]:
        rows = await self._db.fetch_all(
            "SELECT r.id, r.reporter_id, u.first_name AS reporter_name, unseal(r.who) AS who, r.address "
            "FROM reports r LEFT JOIN users u ON u.telegram_id = r.reporter_id"
        )
        return {int(row["id"]): ReportIdentity.model_validate(dict(row)) for row in rows}

    async def person_identities(self) -> dict[int, PersonIdentity]:
        rows = await self._db.fetch_all("SELECT id, name, address, unseal(phone) AS phone FROM persons")
        return {int(row["id"]): PersonIdentity.model_validate(dict(row)) for row in rows}

    async def user_names(self) -> dict[int, str]:
        rows = await self._db.fetch_all("SELECT telegram_id, first_name FROM users")
        return {int(row[0]): str(row[1]) for row in rows}
