"""Another account of the machine reads nothing the bot writes: the database and its log, the key, the erasure
journal, backups and exports are owner-only whatever the umask, and files an older version left readable are
tightened at start, with one line in the log."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import running, services_of
from bot.config import Settings
from bot.storage.database import Database
from bot.storage.sealing import unlock
from tests.catalogue import says
from tests.command_line import command
from tests.fake_bot_api import FakeBotApi
from tests.stored_data import LOCK_WAIT_S
from tests.telegram_users import FakeUser


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask of most shells and services: files readable by everyone unless the bot says otherwise."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def relocated(settings: Settings, data: Path) -> Settings:
    """The database and the backups in folders that do not exist yet."""
    return settings.model_copy(
        update={
            "storage": settings.storage.model_copy(update={"db_path": data / "lien.sqlite3"}),
            "backup": settings.backup.model_copy(update={"folder": data / "copies" / "daily"}),
        }
    )


async def test_every_file_the_bot_writes_is_owner_only_under_the_usual_umask(
    usual_umask: None, settings: Settings, fake_api: FakeBotApi, tmp_path: Path
) -> None:
    data = tmp_path / "var" / "lien"
    settings = relocated(settings, data)
    db_path = settings.storage.db_path
    async with running(settings, poll_timeout=1) as bot:
        odile = FakeUser(fake_api, 4101, "Odile", "fr")
        odile.send("/start")
        await odile.expect(says("start.welcome"))
        assert db_path.with_name("lien.sqlite3-wal").exists() and db_path.with_name("lien.sqlite3-shm").exists()
        for suffix in ("", "-wal", "-shm"):
            assert mode(db_path.with_name(db_path.name + suffix)) == 0o600, suffix
        odile.send("/forget")
        await odile.expect(says("privacy.forget_confirm"))
        odile.press(says("button.forget_me"))
        await odile.expect(says("privacy.forgotten"))
        backup = await services_of(bot).privacy.back_up(datetime.now(UTC))
    assert mode(db_path.with_suffix(".key")) == 0o600
    assert mode(db_path.with_suffix(".erasures")) == 0o600
    assert mode(backup) == 0o600
    for folder in (tmp_path / "var", data, data / "copies", data / "copies" / "daily"):
        assert mode(folder) == 0o700, folder

    out = tmp_path / "exports" / "2026"
    done = command(db_path, "export", "--out", str(out), "--with-names")
    assert done.returncode == 0, done.stderr
    assert [mode(path) for path in sorted(out.iterdir())] == [0o600] * 5
    assert mode(out) == 0o700 and mode(out.parent) == 0o700


async def test_files_left_readable_by_an_older_version_are_tightened_at_start_with_one_log_line(
    usual_umask: None, settings: Settings, fake_api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    db_path = settings.storage.db_path
    db = Database(db_path)
    await db.open()
    await unlock(db, settings.privacy.data_key, settings.privacy.key_path(db.path))
    await db.close()
    folder = settings.backup.folder_for(db_path)
    folder.mkdir()
    old_backup = folder / "lien-20260301-033000.sqlite3"
    with sqlite3.connect(old_backup, timeout=LOCK_WAIT_S) as conn:
        conn.execute("CREATE TABLE t (x)")
    key = db_path.with_suffix(".key")
    for path in (db_path, key, old_backup):
        path.chmod(0o644)
    folder.chmod(0o755)

    with caplog.at_level(logging.INFO):
        async with running(settings, poll_timeout=1):
            pass
    assert [mode(path) for path in (db_path, key, old_backup)] == [0o600] * 3
    assert mode(folder) == 0o700
    lines = [record.getMessage() for record in caplog.records if "files.tightened" in record.getMessage()]
    assert len(lines) == 1, lines
    assert "count=4" in lines[0] and str(key) in lines[0]
