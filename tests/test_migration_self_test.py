"""Migration 0030 (the self-test channel, endings of follow-ups, satisfaction) lands after 0040-0051 on the
databases of main: it rebuilds the reports table without losing a row, a column, an index or a trigger, and
the database ends exactly as a new one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage import database
from bot.storage.database import Database, _migrations
from tests.stored_data import LOCK_WAIT_S
from tests.test_migrations import ledger, schema

SELF_TEST_MIGRATION = 30
HISTORY = """
INSERT INTO users (telegram_id, first_name) VALUES (7, 'Odile');
INSERT INTO erasures (id, kind, reason) VALUES (1, 'user', 'asked');
INSERT INTO persons (id, name, address, status, ended_reason, created_by, created_at, last_contact_at) VALUES
    (1, 'Madame Durand', '1 rue Haute', 'ended', 'moved', 900, '2025-01-10T09:00:00.000Z',
     '2026-03-05T09:00:00.000Z'),
    (2, 'Monsieur Petit', '2 rue Basse', 'ended', 'not_needed', 900, '2025-02-10T09:00:00.000Z',
     '2026-04-01T09:00:00.000Z'),
    (3, 'Madame Grand', '3 rue Neuve', 'active', NULL, 900, '2025-03-10T09:00:00.000Z', NULL);
INSERT INTO reports (id, reference, channel, reporter_id, anonymous, contact_ok, urgency, person_id, created_at,
                     reporter_erasure, anonymised_at) VALUES
    (1, 'S-2026-0001', 'phone', NULL, 0, 0, 'soon', 1, '2026-02-01T10:00:00.000Z', 1, NULL),
    (2, 'S-2026-0002', 'telegram', 7, 0, 1, 'later', NULL, '2026-02-02T10:00:00.000Z', NULL,
     '2026-08-01T10:00:00.000Z');
INSERT INTO report_events (report_id, kind) VALUES (1, 'created');
INSERT INTO report_reads (report_id) VALUES (2);
INSERT INTO audit_log (at, actor, action, subject) VALUES ('2026-03-01T09:00:00.000Z', 900, 'person.ended', 'person:1');
"""


async def _open(path: Path) -> None:
    db = Database(path)
    await db.open()
    await db.close()


async def database_of_main(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As main leaves it: every other migration applied by the runner, then some history."""
    with monkeypatch.context() as patched:
        others = [(v, s) for v, s in _migrations() if v != SELF_TEST_MIGRATION]
        patched.setattr(database, "_migrations", lambda: others)
        await _open(path)
    with sqlite3.connect(path, timeout=LOCK_WAIT_S) as conn:
        conn.executescript(HISTORY)


async def test_a_database_of_main_gets_0030_keeps_its_reports_and_ends_as_a_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "main.sqlite3"
    await database_of_main(path, monkeypatch)
    assert SELF_TEST_MIGRATION not in ledger(path)

    await _open(path)
    fresh = tmp_path / "fresh.sqlite3"
    await _open(fresh)

    assert ledger(path) == [version for version, _script in _migrations()]
    assert schema(path) == schema(fresh)
    with sqlite3.connect(path, timeout=LOCK_WAIT_S) as conn:
        assert conn.execute(
            "SELECT reference, channel, reporter_id, person_id, reporter_erasure, anonymised_at, created_at "
            "FROM reports ORDER BY id"
        ).fetchall() == [
            ("S-2026-0001", "phone", None, 1, 1, None, "2026-02-01T10:00:00.000Z"),
            ("S-2026-0002", "telegram", 7, None, None, "2026-08-01T10:00:00.000Z", "2026-02-02T10:00:00.000Z"),
        ]
        assert conn.execute("SELECT report_id, kind FROM report_events").fetchall() == [(1, "created")]
        assert conn.execute("SELECT report_id FROM report_reads").fetchall() == [(2,)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # A file ended before: the day the audit log saw it, else its last change.
        assert conn.execute("SELECT person_id, ended_at FROM person_endings ORDER BY person_id").fetchall() == [
            (1, "2026-03-01T09:00:00.000Z"),
            (2, "2026-04-01T09:00:00.000Z"),
        ]


async def test_after_0030_the_self_test_channel_is_accepted_and_the_rebuilt_table_keeps_its_trigger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "main.sqlite3"
    await database_of_main(path, monkeypatch)
    db = Database(path)
    await db.open()
    try:
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO reports (reference, channel, anonymous, contact_ok, urgency) "
                "VALUES ('S-2026-0003', 'self_test', 0, 1, 'soon')"
            )
            # 0021's trigger, dropped with the old table, counts a report attached to a file as a contact.
            await tx.execute("UPDATE reports SET person_id = 3 WHERE reference = 'S-2026-0003'")
        contact = await db.fetch_one("SELECT last_contact_at IS NOT NULL FROM persons WHERE id = 3")
        assert contact is not None and contact[0] == 1
        # Foreign keys are on again once migrated.
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO report_events (report_id, kind) VALUES (999, 'orphan')")
    finally:
        await db.close()


async def test_an_ending_is_dated_until_followed_again_and_asking_satisfaction_is_a_contact(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    db = Database(path)
    await db.open()
    try:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO persons (id, name, address, created_by) VALUES (1, 'Jo', '1 rue', 9)")
            await tx.execute("UPDATE persons SET status = 'ended', ended_reason = 'left_isolation' WHERE id = 1")
        ended = await db.fetch_all("SELECT person_id FROM person_endings")
        assert [tuple(row) for row in ended] == [(1,)]
        async with db.transaction() as tx:
            await tx.execute("UPDATE persons SET status = 'active', ended_reason = NULL WHERE id = 1")
        assert await db.fetch_all("SELECT person_id FROM person_endings") == []
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO persons (id, name, address, created_by) VALUES (2, 'Lou', '2 rue', 9)")
            await tx.execute(
                "INSERT INTO satisfaction_answers (person_id, level, asked_on) VALUES (2, 3, '2026-05-04')"
            )
        contact = await db.fetch_one("SELECT last_contact_at IS NOT NULL FROM persons WHERE id = 2")
        assert contact is not None and contact[0] == 1
    finally:
        await db.close()
