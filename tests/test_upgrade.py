"""An upgrade's migrations run at start, after a backup of the database as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.cli.database import open_settings_database
from bot.config import Settings, load_settings
from bot.storage import database


def town(db_path: Path) -> Settings:
    return load_settings(environ={"BOT_DB_PATH": str(db_path)})


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


async def test_a_pending_migration_is_applied_after_a_backup_of_the_database_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "lien.sqlite3"
    db = await open_settings_database(town(db_path))
    await db.close()
    assert not (tmp_path / "backups").exists()  # a new database has nothing to keep

    shipped = database._migrations()
    monkeypatch.setattr(database, "_migrations", lambda: [*shipped, (9999, "CREATE TABLE next_release (x TEXT);")])
    db = await open_settings_database(town(db_path))
    await db.close()

    (backup,) = (tmp_path / "backups").glob("lien-*.sqlite3")
    assert "next_release" in tables(db_path) and "next_release" not in tables(backup)
    assert "schema_migrations" in tables(backup)

    db = await open_settings_database(town(db_path))  # nothing pending: no second backup
    await db.close()
    assert len(list((tmp_path / "backups").glob("lien-*.sqlite3"))) == 1
