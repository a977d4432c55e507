"""Concern reports: stored once per sending update, numbered per year, with their history."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.domain.reports import Ceiling, Channel, DeskLimit, ReportContent, ReportRecord, ReportStatus
from bot.storage.database import Database, Transaction

# Which reports count against each limit: sent by the account itself (not entered for it by a coordinator).
_COUNTED = {
    DeskLimit.REPORTS: "channel = 'telegram' AND urgency != 'danger'",
    DeskLimit.DANGERS: "channel = 'telegram' AND urgency = 'danger'",
    DeskLimit.CONTACT_REQUESTS: "channel = 'self_test'",
}


# The lifecycle's status: a new report that a coordinator read is triaged (stored as a row of report_reads).
_STATUS = (
    "(CASE WHEN status = 'new' AND EXISTS (SELECT 1 FROM report_reads WHERE report_id = reports.id) "
    "THEN 'triaged' ELSE status END)"
)
_COLUMNS = (
    "id, reference, channel, reporter_id, entered_by, anonymous, contact_ok, street_id, address, lat, lon, "
    f"neighbourhood, signs, urgency, unseal(who) AS who, unseal(note) AS note, {_STATUS} AS status, person_id, "
    "no_action_reason, created_at"
)
# Free text is sealed at rest (bot/storage/sealing.py).
_SEALED = frozenset({"who", "note"})
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


def _value(name: str) -> str:
    return f"seal(:{name})" if name in _SEALED else f":{name}"


def _content_params(content: ReportContent) -> dict[str, Any]:
    place = content.place
    return {
        "street_id": place.street_id,
        "address": place.address,
        "lat": place.lat,
        "lon": place.lon,
        "neighbourhood": place.neighbourhood,
        "signs": json.dumps(list(content.signs)),
        "urgency": content.urgency.value,
        "who": content.who,
        "note": content.note,
        "anonymous": int(content.anonymous),
        "contact_ok": int(content.contact_ok),
    }


class ReportRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        content: ReportContent,
        *,
        year: int,
        channel: Channel,
        reporter_id: int | None,
        entered_by: int | None,
        source_update_id: int,
        ceiling: Ceiling | None = None,
    ) -> tuple[ReportRecord, bool] | None:
        """The report of this update, created now (True) or found as created by a previous run (False); None
        when the reporter has reached the `ceiling` (a replayed update still finds its report)."""
        async with self._db.transaction() as tx:
            existing = await tx.fetch_one(
                f"SELECT {_COLUMNS} FROM reports WHERE source_update_id = ?", (source_update_id,)
            )
            if existing is not None:
                return ReportRecord.model_validate(dict(existing)), False
            if (
                ceiling is not None
                and reporter_id is not None
                and await _sent(tx, reporter_id, ceiling) >= ceiling.most
            ):
                return None
            counter = await tx.fetch_one(
                "INSERT INTO report_counters (year, last) VALUES (?, 1) "
                "ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last",
                (year,),
            )
            assert counter is not None
            params = {
                **_content_params(content),
                "reference": f"S-{year}-{int(counter[0]):04d}",
                "source_update_id": source_update_id,
                "channel": channel.value,
                "reporter_id": reporter_id,
                "entered_by": entered_by,
            }
            names = ", ".join(params)
            report_id = await tx.execute(
                f"INSERT INTO reports ({names}) VALUES ({', '.join(_value(n) for n in params)})", params
            )
            await _event(tx, report_id, entered_by or reporter_id, "created", channel.value)
            row = await tx.fetch_one(f"SELECT {_COLUMNS} FROM reports WHERE id = ?", (report_id,))
        assert row is not None
        return ReportRecord.model_validate(dict(row)), True

    async def lift_limits(self, telegram_id: int, actor: int) -> None:
        """From now on, only what the account sends afterwards counts against the desk's limits."""
        async with self._db.transaction() as tx:
            await tx.execute("INSERT INTO desk_lifts (telegram_id, lifted_by) VALUES (?, ?)", (telegram_id, actor))

    async def complete(self, report_id: int, content: ReportContent) -> ReportRecord | None:
        """Add what a reporter told after raising a danger; the danger stays the urgency."""
        params = {**_content_params(content), "id": report_id}
        params.pop("urgency")
        assignments = ", ".join(f"{name} = {_value(name)}" for name in params if name != "id")
        async with self._db.transaction() as tx:
            await tx.execute(f"UPDATE reports SET {assignments}, updated_at = {_NOW} WHERE id = :id", params)
            await _event(tx, report_id, None, "completed", None)
        return await self.get(report_id)

    async def get(self, report_id: int) -> ReportRecord | None:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM reports WHERE id = ?", (report_id,))
        return ReportRecord.model_validate(dict(row)) if row else None

    async def of_reporter(self, reporter_id: int, limit: int = 20) -> list[ReportRecord]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM reports WHERE reporter_id = ? ORDER BY id DESC LIMIT ?", (reporter_id, limit)
        )
        return [ReportRecord.model_validate(dict(row)) for row in rows]

    async def page(
        self, statuses: Sequence[ReportStatus], neighbourhood: str | None, offset: int = 0, limit: int = -1
    ) -> tuple[list[ReportRecord], int]:
        """Reports in these statuses (and neighbourhood), newest first (all of them, or `limit` from `offset`),
        with the total count."""
        where = f"{_STATUS} IN ({', '.join('?' for _ in statuses)})"
        params: list[object] = [s.value for s in statuses]
        if neighbourhood is not None:
            where += " AND neighbourhood = ?"
            params.append(neighbourhood)
        total = await self._db.fetch_one(f"SELECT COUNT(*) FROM reports WHERE {where}", params)
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM reports WHERE {where} ORDER BY id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [ReportRecord.model_validate(dict(row)) for row in rows], int(total[0]) if total else 0

    async def move(
        self,
        report_id: int,
        allowed_from: Sequence[ReportStatus],
        to: ReportStatus,
        actor: int,
        *,
        person_id: int | None = None,
        reason: str | None = None,
    ) -> bool:
        """Change the status if the report is in one of `allowed_from`; False otherwise (nothing changes)."""
        among = f"{_STATUS} IN ({', '.join('?' for _ in allowed_from)})"
        allowed = tuple(s.value for s in allowed_from)
        async with self._db.transaction() as tx:
            if to == ReportStatus.TRIAGED:
                await tx.execute(
                    f"INSERT OR IGNORE INTO report_reads (report_id) SELECT id FROM reports WHERE id = ? AND {among}",
                    (report_id, *allowed),
                )
            else:
                await tx.execute(
                    f"UPDATE reports SET status = ?, person_id = COALESCE(?, person_id), "
                    f"no_action_reason = COALESCE(?, no_action_reason), updated_at = {_NOW} WHERE id = ? AND {among}",
                    (to.value, person_id, reason, report_id, *allowed),
                )
            if await tx.changes() == 0:
                return False
            await _event(tx, report_id, actor, f"status.{to.value}", reason)
            return True

    async def record_event(self, report_id: int, actor: int | None, kind: str, detail: str | None = None) -> None:
        async with self._db.transaction() as tx:
            await _event(tx, report_id, actor, kind, detail)

    async def of_person(self, person_id: int) -> list[ReportRecord]:
        rows = await self._db.fetch_all(f"SELECT {_COLUMNS} FROM reports WHERE person_id = ? ORDER BY id", (person_id,))
        return [ReportRecord.model_validate(dict(row)) for row in rows]


async def _event(tx: Transaction, report_id: int, actor: int | None, kind: str, detail: str | None) -> None:
    await tx.execute(
        "INSERT INTO report_events (report_id, actor, kind, detail) VALUES (?, ?, ?, seal(?))",
        (report_id, actor, kind, detail),
    )


async def _sent(tx: Transaction, reporter_id: int, ceiling: Ceiling) -> int:
    """How many reports of the ceiling's kind the account sent within its period and since its last lift."""
    row = await tx.fetch_one(
        f"SELECT COUNT(*) FROM reports WHERE reporter_id = :who AND entered_by IS NULL AND {_COUNTED[ceiling.kind]} "
        "AND created_at > MAX(strftime('%Y-%m-%dT%H:%M:%fZ', 'now', :window), "
        "COALESCE((SELECT MAX(lifted_at) FROM desk_lifts WHERE telegram_id = :who), ''))",
        {"who": reporter_id, "window": f"-{ceiling.hours} hours"},
    )
    return int(row[0]) if row else 0
