"""Migrations are applied once each, by number, including one numbered lower than a migration that landed
before it (numbers are handed out to parallel branches); a database from before the ledger keeps its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.storage.database import LEGACY_MIGRATIONS, Database, _migrations


def ledger(path: Path) -> list[int]:
    with sqlite3.connect(path) as conn:
        return [int(row[0]) for row in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]


async def test_a_new_database_gets_every_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    for _ in range(2):
        db = Database(path)
        await db.open()
        await db.close()
    assert ledger(path) == [version for version, _script in _migrations()]


async def test_a_database_from_before_the_ledger_gets_the_lower_numbered_migration_and_keeps_its_reports(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        # As the bot left it before: the migrations of then applied, user_version at the highest.
        for version, script in _migrations():
            if version in LEGACY_MIGRATIONS:
                conn.executescript(script)
        conn.execute("PRAGMA user_version = 10")
        conn.execute("INSERT INTO report_counters VALUES (2026, 1)")
        conn.execute(
            "INSERT INTO reports (reference, channel, reporter_id, anonymous, contact_ok, urgency, status) "
            "VALUES ('S-2026-0001', 'telegram', 7, 1, 0, 'soon', 'followed')"
        )
        conn.execute("INSERT INTO report_events (report_id, actor, kind) VALUES (1, 7, 'created')")

    db = Database(path)
    await db.open()
    async with db.transaction() as tx:
        await tx.execute("UPDATE reports SET status = 'triaged' WHERE id = 1")  # allowed from 0004 on
    await db.close()

    assert ledger(path) == [version for version, _script in _migrations()]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT reference, reporter_id, status FROM reports").fetchall() == [
            ("S-2026-0001", 7, "triaged")
        ]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA user_version").fetchone() == (10,)
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            conn.execute("INSERT INTO report_events (report_id, kind) VALUES (99, 'x')")
        except sqlite3.IntegrityError:
            pass
        else:
            raise AssertionError("report_events must still reference reports")
