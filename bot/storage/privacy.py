"""What the bot holds about someone, and how it is erased.

An erasure leaves, where a row must stay (a report's figures, an audit entry), only a reference to the
erasure: `erasures.id`, written as `-id` in columns that otherwise hold a Telegram id and as `erasure:id` in
audit subjects. A new table holding a Telegram id, a name or free text about someone adds its rows to
`USER_SECTIONS` and its clean-up to `erase_user` / `erase_person`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.audit import BOT_ACTOR
from bot.storage.database import Database, Transaction

_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
# What replaces a name or a number in the notices and drafts that mention an erased person.
REDACTED = "…"

# Everything about one Telegram user, section by section (`:id` is their Telegram id).
USER_SECTIONS: tuple[tuple[str, str], ...] = (
    (
        "user",
        "SELECT telegram_id, first_name, language, telegram_language, created_at FROM users WHERE telegram_id = :id",
    ),
    ("professional", "SELECT added_at FROM professionals WHERE telegram_id = :id"),
    (
        "volunteer",
        "SELECT kind, status, charter_accepted_at, decided_at, created_at FROM volunteers WHERE telegram_id = :id",
    ),
    (
        "volunteer_profile",
        "SELECT p.capacity, s.name AS home_street, p.gender, p.paused, p.experienced, p.updated_at "
        "FROM volunteer_profiles p LEFT JOIN streets s ON s.id = p.home_street_id WHERE p.telegram_id = :id",
    ),
    (
        "imported_volunteer_record",
        "SELECT first_name, last_name, unseal(phone) AS phone, kind, imported_at, claimed_at "
        "FROM volunteer_invitations WHERE claimed_by = :id",
    ),
    ("weekly_availability", "SELECT slot_id FROM volunteer_slots WHERE telegram_id = :id ORDER BY slot_id"),
    ("languages", "SELECT language FROM volunteer_languages WHERE telegram_id = :id ORDER BY language"),
    (
        "absences",
        "SELECT first_day, last_day, created_at FROM volunteer_absences WHERE telegram_id = :id ORDER BY first_day",
    ),
    (
        "streets_watched",
        "SELECT s.name AS street, s.neighbourhood, w.is_main, w.charter_accepted_at, w.since "
        "FROM street_watchers w JOIN streets s ON s.id = w.street_id WHERE w.telegram_id = :id",
    ),
    (
        "reports",
        "SELECT reference, channel, created_at, status, address, neighbourhood, signs, urgency, "
        "unseal(who) AS who, unseal(note) AS note, anonymous, contact_ok FROM reports "
        "WHERE reporter_id = :id ORDER BY id",
    ),
    (
        "report_history",
        "SELECT r.reference, e.at, e.kind, unseal(e.detail) AS detail FROM report_events e "
        "JOIN reports r ON r.id = e.report_id WHERE e.actor = :id ORDER BY e.id",
    ),
    (
        "visits",
        "SELECT v.day, v.slot_id, v.position, v.arrival, v.status, "
        "IIF(v.first_volunteer = :id, v.first_answer, v.second_answer) AS answer, v.outcome, v.mood, "
        "v.needs_seen, v.worry, v.reported_at FROM visits v "
        "WHERE :id IN (v.first_volunteer, v.second_volunteer) ORDER BY v.day, v.id",
    ),
    (
        "open_calls",
        "SELECT c.day, c.slot_id, i.answer, i.answered_at FROM open_call_invitees i "
        "JOIN open_calls c ON c.id = i.call_id WHERE i.volunteer = :id ORDER BY c.id",
    ),
    ("desk_limits_lifted", "SELECT lifted_at FROM desk_lifts WHERE telegram_id = :id ORDER BY id"),
    (
        "notices",
        "SELECT created_at, sent_at, unseal(notice) AS notice FROM outbox WHERE recipient = :id ORDER BY id",
    ),
    (
        "audit_log",
        "SELECT at, action, subject FROM audit_log WHERE actor = :id OR subject = 'user:' || :id ORDER BY id",
    ),
    (
        "conversation_draft",
        "SELECT unseal(value) AS value FROM ptb_state WHERE kind = 'user_data' AND key = CAST(:id AS TEXT)",
    ),
)


@dataclass(frozen=True, slots=True)
class Mentions:
    """How someone appears in raw updates, notices and drafts: names (free text) and a Telegram id."""

    texts: Sequence[str]
    telegram_id: int | None = None

    @property
    def words(self) -> list[str]:
        # A one-character name ("?" for someone without one) would match everything.
        return [text for text in self.texts if len(text.strip()) >= 2]

    def json_needles(self) -> list[str]:
        """The forms these take inside stored JSON (drafts escape accents, updates and notices do not)."""
        needles = {form for text in self.words for form in (text, json.dumps(text)[1:-1])}
        if self.telegram_id is not None:
            needles |= {f'"id":{self.telegram_id},', f'"id":{self.telegram_id}}}', f":{self.telegram_id}"}
        return sorted(needles)

    def scrub(self, value: Any) -> Any:
        """The JSON value with every mention replaced."""
        if isinstance(value, dict):
            return {key: self.scrub(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value == self.telegram_id:
            return REDACTED
        if isinstance(value, str):
            for text in self.words:
                value = value.replace(text, REDACTED)
            if self.telegram_id is not None:
                value = ":".join(REDACTED if part == str(self.telegram_id) else part for part in value.split(":"))
        return value


class PrivacyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def everything_about(self, telegram_id: int) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for section, sql in USER_SECTIONS:
            rows = await self._db.fetch_all(sql, {"id": telegram_id})
            found[section] = [dict(row) for row in rows]
        return found

    async def first_name(self, telegram_id: int) -> str | None:
        row = await self._db.fetch_one("SELECT first_name FROM users WHERE telegram_id = ?", (telegram_id,))
        return str(row[0]) if row else None

    async def person_name(self, person_id: int) -> str | None:
        row = await self._db.fetch_one("SELECT name FROM persons WHERE id = ?", (person_id,))
        return str(row[0]) if row else None

    async def erase_user(self, telegram_id: int) -> int:
        """Erase a user: their own rows go, reports and entries they made keep the erasure's number instead."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one("SELECT first_name FROM users WHERE telegram_id = ?", (telegram_id,))
            erasure = await tx.execute("INSERT INTO erasures (kind, reason) VALUES ('user', 'asked')")
            p = {"id": telegram_id, "ref": -erasure, "erasure": erasure}
            for statement in (
                "UPDATE reports SET reporter_id = NULL, reporter_erasure = :erasure, anonymous = 1, contact_ok = 0 "
                "WHERE reporter_id = :id",
                "UPDATE reports SET entered_by = NULL WHERE entered_by = :id",
                "UPDATE report_events SET actor = :ref WHERE actor = :id",
                "UPDATE audit_log SET actor = :ref WHERE actor = :id",
                "UPDATE audit_log SET subject = 'erasure:' || :erasure WHERE subject = 'user:' || :id",
                "UPDATE professionals SET added_by = :ref WHERE added_by = :id",
                "UPDATE invitations SET created_by = :ref WHERE created_by = :id",
                "UPDATE invitations SET used_by = :ref WHERE used_by = :id",
                "UPDATE volunteers SET decided_by = :ref WHERE decided_by = :id",
                "UPDATE persons SET created_by = :ref WHERE created_by = :id",
                "DELETE FROM volunteer_invitations WHERE claimed_by = :id",
                "UPDATE volunteer_invitations SET imported_by = :ref WHERE imported_by = :id",
                "DELETE FROM import_uploads WHERE coordinator = :id",
                "DELETE FROM open_call_invitees WHERE volunteer = :id",
                "DELETE FROM desk_lifts WHERE telegram_id = :id",
                "UPDATE desk_lifts SET lifted_by = :ref WHERE lifted_by = :id",
                "UPDATE open_calls SET launched_by = :ref WHERE launched_by = :id",
                # A pair stays ordered (smaller id first) with the erasure's number in place of the id.
                *(
                    f"UPDATE {table} SET "
                    "first_volunteer = MIN(:ref, IIF(first_volunteer = :id, second_volunteer, first_volunteer)), "
                    "second_volunteer = MAX(:ref, IIF(first_volunteer = :id, second_volunteer, first_volunteer)) "
                    "WHERE :id IN (first_volunteer, second_volunteer)"
                    for table in ("open_calls", "visits")
                ),
                "UPDATE visits SET reported_by = :ref WHERE reported_by = :id",
                # A meeting at their home would tell where they live: the pair met at the first door instead.
                "UPDATE visits SET meet_host = NULL, meet_lat = COALESCE((SELECT lat FROM persons p "
                "WHERE p.id = visits.person_id), 0), meet_lon = COALESCE((SELECT lon FROM persons p "
                "WHERE p.id = visits.person_id), 0) WHERE meet_host = :id",
                "DELETE FROM outbox WHERE recipient = :id",
                "DELETE FROM ptb_state WHERE kind = 'user_data' AND key = CAST(:id AS TEXT)",
                "DELETE FROM ptb_state WHERE kind LIKE 'conversation:%' AND key IN "
                "('[' || :id || ']', '[' || :id || ', ' || :id || ']')",
                # Volunteering, profile and streets watched go with the user (ON DELETE CASCADE).
                "DELETE FROM users WHERE telegram_id = :id",
            ):
                await tx.execute(statement, p)
            names = [str(row[0])] if row is not None else []
            await _forget_mentions(tx, Mentions(names, telegram_id))
            await tx.execute(
                "INSERT INTO audit_log (actor, action, subject) VALUES (?, 'user.erased', ?)",
                (-erasure, f"erasure:{erasure}"),
            )
        return erasure

    async def backup_origin(self) -> str | None:
        """When the copy this database was restored from was taken; None for a database never restored."""
        row = await self._db.fetch_one("SELECT taken_at FROM backup_origin WHERE id = 1")
        return str(row[0]) if row else None

    async def skip_pending_updates(self) -> int:
        """Updates a restored copy holds as not yet processed: the bot that was live then processed them, and
        replaying them now could make again what was erased since (a typed name opening a file)."""
        async with self._db.transaction() as tx:
            await tx.execute(f"UPDATE inbox SET processed_at = {_NOW} WHERE processed_at IS NULL")
            return await tx.changes()

    async def settled_restore(self) -> None:
        """The restored copy is now the live database."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM backup_origin")

    async def erase_person(self, person_id: int, actor: int, reason: str) -> int | None:
        """Erase a person's file; their reports keep only their figures. None when there is no such file."""
        async with self._db.transaction() as tx:
            return await _erase_person(tx, person_id, actor, reason)

    # --- retention ----------------------------------------------------------------------------------------
    async def persons_without_contact_since(self, cutoff: str) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT id FROM persons WHERE COALESCE(last_contact_at, created_at) < ? ORDER BY id", (cutoff,)
        )
        return [int(row[0]) for row in rows]

    async def erase_person_for_retention(self, person_id: int) -> bool:
        async with self._db.transaction() as tx:
            return await _erase_person(tx, person_id, BOT_ACTOR, "retention") is not None

    async def anonymise_unfiled_reports(self, cutoff: str, now: str) -> int:
        """Reports that never led to a file and have not moved since `cutoff` keep only their figures."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE reports SET reporter_id = NULL, entered_by = NULL, anonymous = 1, contact_ok = 0, "
                "address = NULL, street_id = NULL, lat = NULL, lon = NULL, who = NULL, note = NULL, "
                "anonymised_at = :now "
                "WHERE person_id IS NULL AND anonymised_at IS NULL AND updated_at < :cutoff",
                {"now": now, "cutoff": cutoff},
            )
            count = await tx.changes()
            await tx.execute(
                "UPDATE report_events SET actor = NULL, detail = NULL "
                "WHERE report_id IN (SELECT id FROM reports WHERE anonymised_at = ?)",
                (now,),
            )
        return count

    async def delete_audit_before(self, cutoff: str) -> int:
        return await self._delete("DELETE FROM audit_log WHERE at < ?", cutoff)

    async def delete_processed_updates_before(self, cutoff: str) -> int:
        return await self._delete("DELETE FROM inbox WHERE processed_at IS NOT NULL AND processed_at < ?", cutoff)

    async def delete_finished_notices_before(self, cutoff: str) -> int:
        return await self._delete(
            "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < :cutoff) "
            "OR (failed_reason IS NOT NULL AND created_at < :cutoff)",
            {"cutoff": cutoff},
        )

    async def drop_waiting_uploads_before(self, cutoff: str) -> int:
        return await self._delete(
            "UPDATE import_uploads SET content = NULL, outcome = 'dropped' "
            "WHERE content IS NOT NULL AND created_at < ?",
            cutoff,
        )

    async def _delete(self, sql: str, params: str | dict[str, str]) -> int:
        async with self._db.transaction() as tx:
            await tx.execute(sql, (params,) if isinstance(params, str) else params)
            return await tx.changes()


async def _erase_person(tx: Transaction, person_id: int, actor: int, reason: str) -> int | None:
    row = await tx.fetch_one("SELECT name, address, unseal(phone) FROM persons WHERE id = ?", (person_id,))
    if row is None:
        return None
    erasure = await tx.execute("INSERT INTO erasures (kind, reason) VALUES ('person', ?)", (reason,))
    await tx.execute(
        "UPDATE reports SET person_id = NULL, person_erasure = ?, address = NULL, street_id = NULL, lat = NULL, "
        "lon = NULL, who = NULL, note = NULL WHERE person_id = ?",
        (erasure, person_id),
    )
    await tx.execute(
        "UPDATE report_events SET detail = NULL WHERE report_id IN (SELECT id FROM reports WHERE person_erasure = ?)",
        (erasure,),
    )
    await tx.execute(
        "UPDATE audit_log SET subject = 'erasure:' || ? WHERE subject = 'person:' || ?", (erasure, person_id)
    )
    # Check-ins go with the file (ON DELETE CASCADE).
    await tx.execute("DELETE FROM persons WHERE id = ?", (person_id,))
    await _forget_mentions(tx, Mentions([str(value) for value in row if value]))
    await tx.execute(
        "INSERT INTO audit_log (actor, action, subject) VALUES (?, 'person.erased', ?)", (actor, f"erasure:{erasure}")
    )
    return erasure


async def _forget_mentions(tx: Transaction, mentions: Mentions) -> None:
    """Raw updates, notices and drafts mentioning someone erased: updates are emptied (and count as done, so a
    redelivery is skipped), notices and drafts keep their shape with the mentions replaced."""
    for needle in mentions.json_needles():
        # Updates the user sent themselves go, processed or not; other updates that merely mention them
        # (a message quoted in a button press) go once processed, so that nothing waiting is lost.
        own = needle.startswith('"id":')
        await tx.execute(
            f"UPDATE inbox SET payload = seal('{{}}'), processed_at = COALESCE(processed_at, {_NOW}) "
            "WHERE instr(unseal(payload), :needle) > 0 AND (:own OR processed_at IS NOT NULL)",
            {"needle": needle, "own": own},
        )
        for table, key, column in (("outbox", "id", "notice"), ("ptb_state", "rowid", "value")):
            rows = await tx.fetch_all(
                f"SELECT {key}, unseal({column}) FROM {table} WHERE instr(unseal({column}), ?) > 0", (needle,)
            )
            for row_key, value in rows:
                scrubbed = json.dumps(mentions.scrub(json.loads(value)), ensure_ascii=False)
                await tx.execute(f"UPDATE {table} SET {column} = seal(?) WHERE {key} = ?", (scrubbed, row_key))
        if mentions.telegram_id is not None:
            rows = await tx.fetch_all("SELECT id, dedup_key FROM outbox WHERE instr(dedup_key, ?) > 0", (needle,))
            for notice_id, dedup_key in rows:
                await tx.execute(
                    "UPDATE outbox SET dedup_key = ? WHERE id = ?", (mentions.scrub(str(dedup_key)), notice_id)
                )
