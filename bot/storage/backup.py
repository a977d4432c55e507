"""Backups with SQLite's online backup API: a consistent copy of a live WAL database (a plain file copy could
catch the file between a write and its log), written under a temporary name and renamed. A copy says when it
was taken (`backup_origin`), so that a restore knows which erasures came after it. Copies are rotated by
number and by age, and a copy left half-written by a killed process is removed, so that nothing erased
lingers in a file that rotation would never reach. A backup holds sealed data; the key file is kept apart
(README)."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.storage.database import stamp
from bot.storage.files import private_file, private_folder
from bot.storage.sealing import Sealer

log = logging.getLogger(__name__)

PREFIX = "lien-"
SUFFIX = ".sqlite3"
PARTIAL = ".partial"
_NAME = re.compile(rf"^{re.escape(PREFIX)}(\d{{8}}-\d{{6}}){re.escape(SUFFIX)}$")
_NAME_TIME = "%Y%m%d-%H%M%S"


def write_backup(db_path: Path, folder: Path, now: datetime) -> Path:
    """Copy the database into `folder` as lien-YYYYmmdd-HHMMSS.sqlite3 (UTC), marked as taken at `now`."""
    private_folder(folder)
    remove_partials(folder)
    final = folder / f"{PREFIX}{now.astimezone(UTC):{_NAME_TIME}}{SUFFIX}"
    partial = final.with_name(final.name + PARTIAL)
    # Created owner-only before SQLite opens it: the copy holds personal data.
    private_file(partial)
    with closing(sqlite3.connect(db_path)) as source, closing(sqlite3.connect(partial)) as target:
        source.backup(target)
        # The copy only: the live database never has an origin, which is how a restored copy is recognised.
        if target.execute("SELECT 1 FROM sqlite_master WHERE name = 'backup_origin'").fetchone():
            target.execute("INSERT OR REPLACE INTO backup_origin (id, taken_at) VALUES (1, ?)", (stamp(now),))
            target.commit()
        # One self-contained file to copy back, without a log beside it.
        target.execute("PRAGMA journal_mode=DELETE")
    os.replace(partial, final)
    return final


def rotate_backups(folder: Path, keep: int, max_age_days: int, now: datetime) -> list[Path]:
    """Remove the backups beyond the `keep` newest and those older than `max_age_days`; returns them."""
    found = backups_in(folder)
    oldest_kept = now.astimezone(UTC) - timedelta(days=max_age_days)
    removed = [
        path for index, path in enumerate(found) if index < len(found) - keep or _taken_by_name(path) < oldest_kept
    ]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def remove_partials(folder: Path) -> list[Path]:
    """Copies a killed backup left half-written: they hold names that nothing else would ever remove."""
    if not folder.is_dir():
        return []
    found = sorted(folder.glob(f"{PREFIX}*{SUFFIX}{PARTIAL}"))
    for path in found:
        path.unlink(missing_ok=True)
    if found:
        log.warning("backup.partials_removed count=%s folder=%s", len(found), folder)
    return found


def backups_in(folder: Path) -> list[Path]:
    """The backups in `folder`, oldest first (their names sort by date)."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if _NAME.match(path.name) and path.is_file())


def _taken_by_name(path: Path) -> datetime:
    found = _NAME.match(path.name)
    assert found is not None
    return datetime.strptime(found.group(1), _NAME_TIME).replace(tzinfo=UTC)


def taken_at_by_name(path: Path) -> str | None:
    """When a backup was taken, read from its name (a copy renamed by hand has none)."""
    return stamp(_taken_by_name(path)) if _NAME.match(path.name) else None


@dataclass(frozen=True, slots=True)
class BackupCheck:
    """What `backup --verify` and `restore` find in a copy, read without changing it."""

    intact: bool
    problem: str
    key_opens: bool
    taken_at: str | None


def check_backup(path: Path, sealer: Sealer) -> BackupCheck:
    """SQLite's integrity check, and whether the key opens the sealed data, on a read-only connection."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            result = [str(row[0]) for row in conn.execute("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                return BackupCheck(False, "; ".join(result[:3]), False, None)
            tables = {str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "data_key_check" not in tables:
                return BackupCheck(False, "not a database of this bot", False, None)
            check = conn.execute("SELECT token FROM data_key_check WHERE id = 1").fetchone()
            origin = (
                conn.execute("SELECT taken_at FROM backup_origin WHERE id = 1").fetchone()
                if "backup_origin" in tables
                else None
            )
    except sqlite3.DatabaseError as exc:
        return BackupCheck(False, str(exc), False, None)
    key_opens = check is None or sealer.opens(str(check[0]))
    return BackupCheck(True, "", key_opens, str(origin[0]) if origin else taken_at_by_name(path))
