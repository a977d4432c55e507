"""Week plans and their visits: the draft a coordinator adjusts, the published week, each volunteer's answer,
and what became of each visit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from pydantic import field_validator

from bot.domain.persons import AddressForm
from bot.domain.records import Record, json_list
from bot.domain.visits import Answer, Outcome, PlanStatus, VisitStatus
from bot.storage.database import Database, Transaction

# Visits still going ahead: shown to the pair, reminded, open to an answer.
ACTIVE = (VisitStatus.PROPOSED.value, VisitStatus.CONFIRMED.value)


class PlanRecord(Record):
    id: int
    year: int
    iso_week: int
    status: PlanStatus
    unplanned: tuple[tuple[int, int, str], ...]
    figures: dict[str, float]
    revision: int
    """Counts every change of the plan's visits."""

    @field_validator("unplanned", "figures", mode="before")
    @classmethod
    def _json(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value


class VisitRecord(Record):
    id: int
    plan_id: int
    person_id: int
    slot_id: str
    day: date
    first_volunteer: int
    second_volunteer: int
    position: int
    arrival: time
    departure: time
    walk_min: float
    meet_lat: float
    meet_lon: float
    meet_host: int | None
    status: VisitStatus
    first_answer: Answer
    second_answer: Answer
    replaces: int | None
    outcome: Outcome | None
    mood: int | None
    needs_seen: tuple[str, ...]
    worry: bool
    note: str | None
    reported_by: int | None

    _lists = field_validator("needs_seen", mode="before")(json_list)

    @property
    def pair(self) -> tuple[int, int]:
        return (self.first_volunteer, self.second_volunteer)

    @property
    def outing_key(self) -> tuple[int, str, int, int]:
        return (self.plan_id, self.slot_id, self.first_volunteer, self.second_volunteer)

    def answer_of(self, volunteer: int) -> Answer | None:
        if volunteer == self.first_volunteer:
            return self.first_answer
        if volunteer == self.second_volunteer:
            return self.second_answer
        return None

    def partner_of(self, volunteer: int) -> int:
        return self.second_volunteer if volunteer == self.first_volunteer else self.first_volunteer


class StopRecord(Record):
    """What a visiting pair is shown of a person: nothing else of the file is read for them."""

    visit_id: int
    position: int
    arrival: time
    name: str
    address: str
    access_notes: str | None
    lat: float
    lon: float
    address_as: AddressForm | None = None


@dataclass(frozen=True, slots=True)
class NewVisit:
    person_id: int
    slot_id: str
    day: date
    pair: tuple[int, int]
    position: int
    arrival: time
    departure: time
    walk_min: float
    meet: tuple[float, float]
    meet_host: int | None
    replaces: int | None = None


_COLUMNS = (
    "id, plan_id, person_id, slot_id, day, first_volunteer, second_volunteer, position, arrival, departure, "
    "walk_min, meet_lat, meet_lon, meet_host, status, first_answer, second_answer, replaces, outcome, mood, "
    "needs_seen, worry, unseal(note) AS note, reported_by"
)
_PLAN_COLUMNS = "id, year, iso_week, status, unplanned, figures, revision"
_ORDER = "ORDER BY day, slot_id, first_volunteer, second_volunteer, position"


def _hhmm(moment: time) -> str:
    """A time of day as the visits table keeps it (HH:MM, so that text comparison orders them)."""
    return moment.strftime("%H:%M")


def _visit(row: Any) -> VisitRecord:
    return VisitRecord.model_validate(dict(row))


async def insert_visits(tx: Transaction, plan_id: int, visits: Sequence[NewVisit]) -> list[int]:
    """Within a transaction already open (a draft saved, a repair, an open call filled)."""
    ids = []
    for v in visits:
        first, second = sorted(v.pair)
        ids.append(
            await tx.execute(
                "INSERT INTO visits (plan_id, person_id, slot_id, day, first_volunteer, second_volunteer, position, "
                "arrival, departure, walk_min, meet_lat, meet_lon, meet_host, replaces) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    plan_id,
                    v.person_id,
                    v.slot_id,
                    v.day.isoformat(),
                    first,
                    second,
                    v.position,
                    _hhmm(v.arrival),
                    _hhmm(v.departure),
                    v.walk_min,
                    v.meet[0],
                    v.meet[1],
                    v.meet_host,
                    v.replaces,
                ),
            )
        )
    return ids


class VisitRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def save_draft(
        self,
        year: int,
        iso_week: int,
        actor: int,
        visits: Sequence[NewVisit],
        unplanned: Sequence[tuple[int, int, str]],
        figures: dict[str, float],
    ) -> int | None:
        """Replace the week's draft; None when the week is already published (a draft never overwrites it)."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT id, status FROM week_plans WHERE year = ? AND iso_week = ?", (year, iso_week)
            )
            if row is not None and row[1] == PlanStatus.PUBLISHED.value:
                return None
            if row is not None:
                await tx.execute("DELETE FROM visits WHERE plan_id = ?", (row[0],))
                await tx.execute("DELETE FROM week_plans WHERE id = ?", (row[0],))
            plan_id = await tx.execute(
                "INSERT INTO week_plans (year, iso_week, unplanned, figures, created_by) VALUES (?, ?, ?, ?, ?)",
                (year, iso_week, json.dumps(list(unplanned)), json.dumps(figures), actor),
            )
            await insert_visits(tx, plan_id, visits)
            return plan_id

    async def plan(self, plan_id: int) -> PlanRecord | None:
        row = await self._db.fetch_one(f"SELECT {_PLAN_COLUMNS} FROM week_plans WHERE id = ?", (plan_id,))
        return PlanRecord.model_validate(dict(row)) if row else None

    async def plan_of_week(self, year: int, iso_week: int) -> PlanRecord | None:
        row = await self._db.fetch_one(
            f"SELECT {_PLAN_COLUMNS} FROM week_plans WHERE year = ? AND iso_week = ?", (year, iso_week)
        )
        return PlanRecord.model_validate(dict(row)) if row else None

    async def publish(self, plan_id: int, actor: int) -> bool:
        """Draft to published, once: False when it was not a draft (already published, or gone)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE week_plans SET status = 'published', published_by = ?, "
                "published_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND status = 'draft'",
                (actor, plan_id),
            )
            return await tx.changes() == 1

    async def visits(self, plan_id: int, active_only: bool = False) -> list[VisitRecord]:
        active = f" AND status IN {ACTIVE}" if active_only else ""
        rows = await self._db.fetch_all(f"SELECT {_COLUMNS} FROM visits WHERE plan_id = ?{active} {_ORDER}", (plan_id,))
        return [_visit(row) for row in rows]

    async def get(self, visit_id: int) -> VisitRecord | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM visits WHERE id = ?", (visit_id,))
        return _visit(row) if row else None

    async def outing(self, visit_id: int) -> list[VisitRecord]:
        """The visits still going ahead that the pair of this visit makes in its slot, in walking order."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM visits WHERE (plan_id, slot_id, first_volunteer, second_volunteer) = "
            "(SELECT plan_id, slot_id, first_volunteer, second_volunteer FROM visits WHERE id = ?) "
            f"AND status IN {ACTIVE} {_ORDER}",
            (visit_id,),
        )
        return [_visit(row) for row in rows]

    async def stops(self, visit_ids: Sequence[int]) -> list[StopRecord]:
        marks = ",".join("?" * len(visit_ids))
        rows = await self._db.fetch_all(
            "SELECT v.id AS visit_id, v.position, v.arrival, p.name, p.address, "
            "unseal(p.access_notes) AS access_notes, p.lat, p.lon, p.address_as "
            f"FROM visits v JOIN persons p ON p.id = v.person_id WHERE v.id IN ({marks}) ORDER BY v.position",
            tuple(visit_ids),
        )
        return [StopRecord.model_validate(dict(row)) for row in rows]

    async def answer(self, visit_ids: Sequence[int], volunteer: int, answer: Answer) -> list[VisitRecord]:
        """Record one member's answer on visits still open; both members confirmed make a visit confirmed.
        Returns the visits whose answer changed (none when the press is replayed)."""
        changed = []
        async with self._db.transaction() as tx:
            for visit_id in visit_ids:
                for column in ("first", "second"):
                    await tx.execute(
                        f"UPDATE visits SET {column}_answer = ? WHERE id = ? AND {column}_volunteer = ? "
                        f"AND {column}_answer != ? AND status IN {ACTIVE}",
                        (answer.value, visit_id, volunteer, answer.value),
                    )
                    if await tx.changes():
                        changed.append(visit_id)
                await tx.execute(
                    "UPDATE visits SET status = 'confirmed' WHERE id = ? AND status = 'proposed' "
                    "AND first_answer = 'confirmed' AND second_answer = 'confirmed'",
                    (visit_id,),
                )
            if not changed:
                return []
            marks = ",".join("?" * len(changed))
            rows = await tx.fetch_all(f"SELECT {_COLUMNS} FROM visits WHERE id IN ({marks}) {_ORDER}", changed)
        return [_visit(row) for row in rows]

    async def replace(self, plan_id: int, dropped: dict[int, VisitStatus], added: Sequence[NewVisit]) -> list[int]:
        """After a decline: the visits that changed leave (replaced, or declined when nobody could take
        them) and the repair's new visits come in, in one transaction."""
        async with self._db.transaction() as tx:
            for visit_id, status in dropped.items():
                await tx.execute(
                    f"UPDATE visits SET status = ? WHERE id = ? AND status IN {ACTIVE}", (status.value, visit_id)
                )
            return await insert_visits(tx, plan_id, added)

    async def declines(self, plan_id: int) -> list[tuple[int, str]]:
        """(volunteer, slot) of every "can't go" of the week, to repair from."""
        rows = await self._db.fetch_all(
            "SELECT first_volunteer, slot_id FROM visits WHERE plan_id = ? AND first_answer = 'declined' "
            "UNION SELECT second_volunteer, slot_id FROM visits WHERE plan_id = ? AND second_answer = 'declined'",
            (plan_id, plan_id),
        )
        return [(int(r[0]), str(r[1])) for r in rows]

    async def published_from(self, first_day: date) -> list[VisitRecord]:
        """Visits of published weeks from that day on, still going ahead: what reminders and prompts are about."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM visits WHERE plan_id IN (SELECT id FROM week_plans WHERE status = 'published') "
            f"AND day >= ? AND status IN {ACTIVE} {_ORDER}",
            (first_day.isoformat(),),
        )
        return [_visit(row) for row in rows]

    async def record_outcome(
        self,
        visit_id: int,
        volunteer: int,
        outcome: Outcome,
        mood: int | None,
        needs: Sequence[str],
        worry: bool,
        note: str | None,
    ) -> bool:
        """The first report of a visit by one of its pair counts; a second one (the partner, a replay) not."""
        status = VisitStatus.DONE if outcome is Outcome.DONE else VisitStatus.MISSED
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE visits SET outcome = ?, mood = ?, needs_seen = ?, worry = ?, note = seal(?), reported_by = ?, "
                "reported_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), status = ? "
                f"WHERE id = ? AND outcome IS NULL AND status IN {ACTIVE} AND ? IN (first_volunteer, second_volunteer)",
                (
                    outcome.value,
                    mood,
                    json.dumps(list(needs)),
                    int(worry),
                    note,
                    volunteer,
                    status.value,
                    visit_id,
                    volunteer,
                ),
            )
            return await tx.changes() == 1

    async def mark_unanswered(self, visit_id: int) -> bool:
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE visits SET outcome = 'unanswered', status = 'missed' "
                f"WHERE id = ? AND outcome IS NULL AND status IN {ACTIVE}",
                (visit_id,),
            )
            return await tx.changes() == 1

    async def last_outcomes(self, person_id: int, count: int) -> list[Outcome]:
        rows = await self._db.fetch_all(
            "SELECT outcome FROM visits WHERE person_id = ? AND outcome IS NOT NULL "
            "ORDER BY day DESC, arrival DESC, id DESC LIMIT ?",
            (person_id, count),
        )
        return [Outcome(str(r[0])) for r in rows]

    async def person_names(self, person_ids: Sequence[int]) -> dict[int, str]:
        """For the coordinator's views only."""
        marks = ",".join("?" * len(person_ids))
        rows = await self._db.fetch_all(f"SELECT id, name FROM persons WHERE id IN ({marks})", tuple(person_ids))
        return {int(r[0]): str(r[1]) for r in rows}

    async def visits_done(self) -> dict[int, int]:
        """Per volunteer, visits made: experience comes with them."""
        rows = await self._db.fetch_all(
            "SELECT volunteer, COUNT(*) FROM (SELECT first_volunteer AS volunteer FROM visits WHERE status = 'done' "
            "UNION ALL SELECT second_volunteer FROM visits WHERE status = 'done') GROUP BY volunteer"
        )
        return {int(r[0]): int(r[1]) for r in rows}
