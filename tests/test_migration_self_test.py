"""Migration 0030 rebuilds the reports table to accept the self-test channel: nothing is lost on the way."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.database import Database

MIGRATIONS = Path(__file__).resolve().parent.parent / "bot" / "storage" / "migrations"


def _database_before_0030(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        for script in sorted(MIGRATIONS.glob("*.sql")):
            if int(script.name[:4]) < 30:
                conn.executescript(script.read_text(encoding="utf-8"))
                conn.execute(f"PRAGMA user_version = {int(script.name[:4])}")
        conn.executescript(
            """
            INSERT INTO persons (id, name, address, status, ended_reason, created_by) VALUES
                (1, 'Madame Durand', '1 rue Haute', 'ended', NULL, 1);
            INSERT INTO reports (id, reference, channel, anonymous, contact_ok, urgency, person_id, created_at)
                VALUES (1, 'S-2026-0001', 'phone', 0, 0, 'soon', 1, '2026-02-01T10:00:00.000Z');
            INSERT INTO report_events (report_id, kind) VALUES (1, 'created');
            INSERT INTO audit_log (at, actor, action, subject) VALUES
                ('2026-03-01T09:00:00.000Z', 1, 'person.ended', 'person:1');
            """
        )


async def test_reports_and_their_history_survive_and_the_self_test_channel_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_before_0030(path)
    db = Database(path)
    await db.open()
    try:
        assert await db.schema_version() >= 30
        assert [
            tuple(r) for r in await db.fetch_all("SELECT reference, channel, person_id, created_at FROM reports")
        ] == [("S-2026-0001", "phone", 1, "2026-02-01T10:00:00.000Z")]
        assert [tuple(r) for r in await db.fetch_all("PRAGMA foreign_key_check")] == []
        ended = await db.fetch_one("SELECT ended_at FROM persons WHERE id = 1")
        assert ended is not None and ended[0] == "2026-03-01T09:00:00.000Z"
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO reports (reference, channel, anonymous, contact_ok, urgency) "
                "VALUES ('S-2026-0002', 'self_test', 0, 1, 'soon')"
            )
        # Foreign keys are on again once migrated.
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO report_events (report_id, kind) VALUES (999, 'orphan')")
    finally:
        await db.close()
