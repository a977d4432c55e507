"""Backups are consistent copies of a live WAL database, owner-only, rotated to the configured number."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from bot.storage.backup import backups_in, rotate_backups, write_backup
from tests.stored_data import LOCK_WAIT_S


def test_backups_of_a_database_being_written_are_sound_and_only_the_newest_are_kept(tmp_path: Path) -> None:
    db_path = tmp_path / "lien.sqlite3"
    writer = sqlite3.connect(db_path, isolation_level=None, timeout=LOCK_WAIT_S)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (x INTEGER)")
    folder = tmp_path / "backups"
    written = []
    with closing(writer):
        for day in (1, 2, 3):
            writer.execute("INSERT INTO t VALUES (?)", (day,))  # still in the log, not yet in the file
            now = datetime(2026, 3, day, 3, 30, tzinfo=UTC)
            written.append(write_backup(db_path, folder, now))
            rotate_backups(folder, keep=2, max_age_days=30, now=now)
    assert backups_in(folder) == written[1:]
    assert [path.name for path in written] == [f"lien-2026030{day}-033000.sqlite3" for day in (1, 2, 3)]
    for day, path in zip((2, 3), written[1:], strict=True):
        assert path.stat().st_mode & 0o777 == 0o600
        with closing(sqlite3.connect(path, timeout=LOCK_WAIT_S)) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert copy.execute("PRAGMA journal_mode").fetchall() == [("delete",)]
            assert copy.execute("SELECT MAX(x) FROM t").fetchall() == [(day,)]
