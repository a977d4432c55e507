"""Backups with SQLite's online backup API: a consistent copy of a live WAL database (a plain file copy could
catch the file between a write and its log), written under a temporary name and renamed, the oldest beyond
the configured number removed. A backup holds sealed data; the key file is kept apart (README)."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

PREFIX = "lien-"
SUFFIX = ".sqlite3"


def write_backup(db_path: Path, folder: Path, keep: int, now: datetime) -> Path:
    """Copy the database into `folder` as lien-YYYYmmdd-HHMMSS.sqlite3 and keep the `keep` newest copies."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIX}"
    partial = final.with_name(final.name + ".partial")
    partial.unlink(missing_ok=True)
    # Created owner-only before SQLite opens it: the copy holds personal data.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    with closing(sqlite3.connect(db_path)) as source, closing(sqlite3.connect(partial)) as target:
        source.backup(target)
        # One self-contained file to copy back, without a log beside it.
        target.execute("PRAGMA journal_mode=DELETE")
    os.replace(partial, final)
    for old in backups_in(folder)[:-keep]:
        old.unlink()
    return final


def backups_in(folder: Path) -> list[Path]:
    """The backups in `folder`, oldest first (their names sort by date)."""
    return sorted(path for path in folder.glob(f"{PREFIX}*{SUFFIX}") if path.is_file())
