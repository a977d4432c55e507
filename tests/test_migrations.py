"""Migrations are applied once each, by number, including one numbered lower than a migration that landed
before it (numbers are handed out to parallel branches); a database from before the ledger keeps its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.storage.database import LEGACY_MIGRATIONS, Database, _migrations
from tests.stored_data import LOCK_WAIT_S


def ledger(path: Path) -> list[int]:
    with sqlite3.connect(path, timeout=LOCK_WAIT_S) as conn:
        return [int(row[0]) for row in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]


async def test_a_new_database_gets_every_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    for _ in range(2):
        db = Database(path)
        await db.open()
        await db.close()
    assert ledger(path) == [version for version, _script in _migrations()]


async def test_a_database_from_before_the_ledger_gets_the_lower_numbered_migration_and_keeps_the_rest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path, timeout=LOCK_WAIT_S) as conn:
        # As the bot left it before the ledger: the migrations of then applied, user_version at the highest.
        for version, script in _migrations():
            if version in LEGACY_MIGRATIONS:
                conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {max(LEGACY_MIGRATIONS)}")
        conn.execute(
            "INSERT INTO reports (reference, channel, reporter_id, anonymous, contact_ok, urgency, status) "
            "VALUES ('S-2026-0001', 'telegram', 7, 1, 0, 'soon', 'new')"
        )
    before = schema(path)

    db = Database(path)
    await db.open()
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO report_reads (report_id) VALUES (1)")  # 0004's table is there
    await db.close()

    assert ledger(path) == [version for version, _script in _migrations()]
    after = schema(path)
    fresh = tmp_path / "fresh.sqlite3"
    db = Database(fresh)
    await db.open()
    await db.close()
    # The old database ends exactly as a new one, 0004's tables included; nothing was applied twice.
    assert after == schema(fresh)
    assert {"report_reads", "reports_person", "schema_migrations"} <= {name for name in after if name not in before}
    with sqlite3.connect(path, timeout=LOCK_WAIT_S) as conn:
        assert conn.execute("SELECT reference, status FROM reports").fetchall() == [("S-2026-0001", "new")]
        assert conn.execute("PRAGMA user_version").fetchone() == (max(v for v, _ in _migrations()),)


def schema(path: Path) -> dict[str, str]:
    with sqlite3.connect(path, timeout=LOCK_WAIT_S) as conn:
        return {
            str(name): str(sql)
            for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")
        }
