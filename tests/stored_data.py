"""The database as someone holding the file would see it: raw bytes, and every value of every table (sealed
values opened with the key file, as the bot would)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

from cryptography.fernet import Fernet

from bot.storage.sealing import TOKEN_PREFIX

# How long a test's own connection waits for the bot's write to end: the bot's transactions are short, but a
# loaded machine can stretch one past sqlite3's default of 5 s, and "database is locked" would then fail the
# test for nothing the bot did wrong.
LOCK_WAIT_S = 30.0


def raw_bytes(db_path: Path) -> bytes:
    """The database file and its write-ahead log, after a checkpoint, as bytes."""
    with closing(sqlite3.connect(db_path, timeout=LOCK_WAIT_S)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = db_path.with_name(db_path.name + "-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def every_value(db_path: Path, key_file: Path) -> Iterator[tuple[str, str, object]]:
    """(table, column, value) for every cell of every table, sealed values unsealed."""
    fernet = Fernet(key_file.read_bytes().strip())
    with closing(sqlite3.connect(db_path, timeout=LOCK_WAIT_S)) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM {table}")
            columns = [d[0] for d in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str) and value.startswith(TOKEN_PREFIX):
                        value = fernet.decrypt(value.encode()).decode()
                    yield table, column, value
