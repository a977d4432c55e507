"""Open calls: a visit nobody could take, the volunteers asked, their answers in the order they came, and
the pair that took it.

Taking a call is decided in one transaction (`accept`): the Database's lock and BEGIN IMMEDIATE make two
acceptances pressed at the same moment run one after the other, so the second sees what the first did and
a visit is never given twice, nor anyone put in two pairs of one slot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bot.domain.open_calls import Acceptance, CallAnswer, CallStatus
from bot.domain.records import Record
from bot.domain.volunteers import VolunteerKind
from bot.storage.database import Database, Transaction
from bot.storage.visits import NewVisit, insert_visits

_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
_COLUMNS = (
    "id, plan_id, person_id, slot_id, day, replaces, status, first_volunteer, second_volunteer, visit_id, "
    "launched_by, expires_at, settled_at"
)
_INVITEE_COLUMNS = "call_id, volunteer, kind, experienced, capacity, answer, accepted_as"
# Per volunteer of a week's plan: whether they are taken in the slot (out in a pair, or said "can't go"),
# and how many visits count against their capacity.
_COMMITMENTS = (
    "SELECT volunteer, COALESCE(SUM(slot_id = :slot AND (counted OR declined)), 0) AS in_slot, "
    "COALESCE(SUM(counted), 0) AS load FROM volunteer_commitments WHERE plan_id = :plan"
)


def utc(moment: datetime) -> str:
    """The one spelling of a moment in this table, so that text comparison orders moments."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class OpenCallRecord(Record):
    id: int
    plan_id: int
    person_id: int
    slot_id: str
    day: date
    replaces: int | None
    status: CallStatus
    first_volunteer: int | None
    second_volunteer: int | None
    visit_id: int | None
    launched_by: int
    expires_at: str
    settled_at: str | None

    @property
    def pair(self) -> tuple[int, int] | None:
        if self.first_volunteer is None or self.second_volunteer is None:
            return None
        return (self.first_volunteer, self.second_volunteer)

    @property
    def pending(self) -> bool:
        """Still to bring a visit the visits table does not hold yet: open, or filled and not yet stored. Once
        stored, the visit counts for itself (and no longer, should its pair then say "can't go")."""
        return self.status is CallStatus.OPEN or (self.status is CallStatus.FILLED and self.visit_id is None)

    @property
    def expires(self) -> datetime:
        return datetime.strptime(self.expires_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


class InviteeRecord(Record):
    call_id: int
    volunteer: int
    kind: VolunteerKind
    experienced: bool
    capacity: int
    answer: CallAnswer
    accepted_as: int | None


@dataclass(frozen=True, slots=True)
class NewCall:
    plan_id: int
    person_id: int
    slot_id: str
    day: date
    replaces: int | None
    launched_by: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class NewInvitee:
    volunteer: int
    kind: VolunteerKind
    experienced: bool
    capacity: int


@dataclass(frozen=True, slots=True)
class AcceptResult:
    outcome: Acceptance
    call: OpenCallRecord | None = None
    partner: int | None = None


@dataclass(frozen=True, slots=True)
class Commitments:
    """What a week's plan already asks of its volunteers, seen from one slot."""

    in_slot: frozenset[int]
    load: dict[int, int]


def _call(row: Any) -> OpenCallRecord:
    return OpenCallRecord.model_validate(dict(row))


def _invitee(row: Any) -> InviteeRecord:
    return InviteeRecord.model_validate(dict(row))


async def _is_free(tx: Transaction, call: OpenCallRecord, invitee: InviteeRecord) -> bool:
    row = await tx.fetch_one(
        f"{_COMMITMENTS} AND volunteer = :volunteer",
        {"slot": call.slot_id, "plan": call.plan_id, "volunteer": invitee.volunteer},
    )
    in_slot, load = (int(row[1] or 0), int(row[2] or 0)) if row else (0, 0)
    return in_slot == 0 and load < invitee.capacity


class OpenCallRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def commitments(self, plan_id: int, slot_id: str) -> Commitments:
        rows = await self._db.fetch_all(f"{_COMMITMENTS} GROUP BY volunteer", {"slot": slot_id, "plan": plan_id})
        return Commitments(frozenset(int(r[0]) for r in rows if r[1]), {int(r[0]): int(r[2]) for r in rows})

    async def launch(self, call: NewCall, invitees: Sequence[NewInvitee], allowed: int) -> int | None:
        """Store the call and whom it asks; None when `allowed` calls for this person are already pending in
        the week, or one is open for the same slot (a replayed or doubled press)."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT COUNT(*) FROM open_calls WHERE plan_id = ? AND person_id = ? "
                "AND (status = 'open' OR (status = 'filled' AND visit_id IS NULL))",
                (call.plan_id, call.person_id),
            )
            if row is not None and int(row[0]) >= allowed:
                return None
            call_id = await tx.execute(
                "INSERT OR IGNORE INTO open_calls (plan_id, person_id, slot_id, day, replaces, launched_by, "
                "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    call.plan_id,
                    call.person_id,
                    call.slot_id,
                    call.day.isoformat(),
                    call.replaces,
                    call.launched_by,
                    utc(call.expires_at),
                ),
            )
            if not await tx.changes():
                return None
            await tx.execute_many(
                "INSERT INTO open_call_invitees (call_id, volunteer, kind, experienced, capacity) "
                "VALUES (?, ?, ?, ?, ?)",
                [(call_id, i.volunteer, i.kind.value, int(i.experienced), i.capacity) for i in invitees],
            )
            return call_id

    async def get(self, call_id: int) -> OpenCallRecord | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM open_calls WHERE id = ?", (call_id,))
        return _call(row) if row else None

    async def of_plan(self, plan_id: int) -> list[OpenCallRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM open_calls WHERE plan_id = ? ORDER BY day, slot_id, id", (plan_id,)
        )
        return [_call(row) for row in rows]

    async def invitees(self, call_id: int) -> list[InviteeRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_INVITEE_COLUMNS} FROM open_call_invitees WHERE call_id = ? "
            "ORDER BY accepted_as IS NULL, accepted_as, volunteer",
            (call_id,),
        )
        return [_invitee(row) for row in rows]

    async def accept(
        self, call_id: int, volunteer: int, now: datetime, may_go_with: Callable[[InviteeRecord, InviteeRecord], bool]
    ) -> AcceptResult:
        """Record an acceptance and, when an earlier acceptor may go with this one and both are still free,
        fill the call with that pair: the earliest such acceptor, so the first to say yes is the first served."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(f"SELECT {_COLUMNS} FROM open_calls WHERE id = ?", (call_id,))
            mine = await tx.fetch_one(
                f"SELECT {_INVITEE_COLUMNS} FROM open_call_invitees WHERE call_id = ? AND volunteer = ?",
                (call_id, volunteer),
            )
            if row is None or mine is None:
                return AcceptResult(Acceptance.NOT_INVITED)
            call, me = _call(row), _invitee(mine)
            if call.pair is not None and volunteer in call.pair:
                # Their press again (replayed after a restart): the call is theirs, as the first time said.
                return AcceptResult(Acceptance.FILLED, call, next(m for m in call.pair if m != volunteer))
            if call.status is not CallStatus.OPEN or call.expires_at <= utc(now):
                return AcceptResult(Acceptance.CLOSED, call)
            if me.answer is CallAnswer.ACCEPTED:
                return AcceptResult(Acceptance.ALREADY, call)
            if not await _is_free(tx, call, me):
                return AcceptResult(Acceptance.BUSY, call)
            await tx.execute(
                f"UPDATE open_call_invitees SET answer = 'accepted', answered_at = {_NOW}, accepted_as = "
                "(SELECT COALESCE(MAX(accepted_as), 0) + 1 FROM open_call_invitees WHERE call_id = :call) "
                "WHERE call_id = :call AND volunteer = :volunteer",
                {"call": call_id, "volunteer": volunteer},
            )
            earlier = await tx.fetch_all(
                f"SELECT {_INVITEE_COLUMNS} FROM open_call_invitees WHERE call_id = ? AND answer = 'accepted' "
                "AND volunteer != ? ORDER BY accepted_as",
                (call_id, volunteer),
            )
            for held in map(_invitee, earlier):
                if may_go_with(held, me) and await _is_free(tx, call, held):
                    first, second = sorted((held.volunteer, volunteer))
                    await tx.execute(
                        "UPDATE open_calls SET status = 'filled', first_volunteer = ?, second_volunteer = ?, "
                        f"closed_at = {_NOW} WHERE id = ?",
                        (first, second, call_id),
                    )
                    return AcceptResult(Acceptance.FILLED, call, held.volunteer)
            return AcceptResult(Acceptance.HELD, call)

    async def decline(self, call_id: int, volunteer: int) -> bool:
        """ "Not this time", from someone asked who has not accepted, while the call is open."""
        async with self._db.transaction() as tx:
            await tx.execute(
                f"UPDATE open_call_invitees SET answer = 'declined', answered_at = {_NOW} "
                "WHERE call_id = ? AND volunteer = ? AND answer = 'asked' "
                "AND call_id IN (SELECT id FROM open_calls WHERE status = 'open')",
                (call_id, volunteer),
            )
            return await tx.changes() == 1

    async def expire(self, now: datetime) -> int:
        async with self._db.transaction() as tx:
            await tx.execute(
                f"UPDATE open_calls SET status = 'expired', closed_at = {_NOW} "
                "WHERE status = 'open' AND expires_at <= ?",
                (utc(now),),
            )
            return await tx.changes()

    async def unsettled(self) -> list[OpenCallRecord]:
        """Calls filled or ended whose notices are not all queued yet (the bot may have stopped between)."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM open_calls WHERE status != 'open' AND settled_at IS NULL ORDER BY id"
        )
        return [_call(row) for row in rows]

    async def attach_visit(self, call_id: int, visits: Sequence[NewVisit]) -> int | None:
        """Store the filled call's visit, once; returns its id, or None when it was stored already."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT plan_id FROM open_calls WHERE id = ? AND status = 'filled' AND visit_id IS NULL", (call_id,)
            )
            if row is None:
                return None
            ids = await insert_visits(tx, int(row[0]), visits)
            await tx.execute("UPDATE open_calls SET visit_id = ? WHERE id = ?", (ids[0], call_id))
            return ids[0]

    async def settle(self, call_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.execute(f"UPDATE open_calls SET settled_at = {_NOW} WHERE id = ?", (call_id,))

    async def next_expiry(self) -> datetime | None:
        row = await self._db.fetch_one("SELECT MIN(expires_at) FROM open_calls WHERE status = 'open'")
        if row is None or row[0] is None:
            return None
        return datetime.strptime(str(row[0]), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
