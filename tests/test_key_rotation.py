"""`rotate-key`: everything sealed is sealed again with a new key; the old key opens nothing afterwards, is
kept apart for the backups it sealed, and an interrupted rotation leaves every value readable."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.config import PrivacySettings
from bot.storage.database import Database
from bot.storage.inbox import InboxRepository
from bot.storage.sealing import DataKeyError, unlock
from tests.catalogue import says

CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
UPDATES = [(1, '{"note": "Mme Durand ne sort plus"}'), (2, '{"phone": "06 12 34 56 78"}')]


async def sealed_database(db_path: Path) -> None:
    db = Database(db_path)
    await db.open()
    try:
        await unlock(db, "", db_path.with_suffix(".key").resolve())
        await InboxRepository(db).store(UPDATES)
    finally:
        await db.close()


async def read_with(db_path: Path, privacy: PrivacySettings) -> list[tuple[int, str]]:
    db = Database(db_path)
    await db.open()
    try:
        await unlock(db, privacy.data_key, privacy.key_path(db_path))
        return await InboxRepository(db).pending()
    finally:
        await db.close()


async def rotate_key(db_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "rotate-key"],
        cwd=db_path.parent,
        env={**CLEAN_ENV, "BOT_DB_PATH": str(db_path), "BOT_DEFAULT_LANGUAGE": "en", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def stored_tokens(db_path: Path) -> list[str]:
    with sqlite3.connect(db_path) as conn:
        return [str(row[0]) for row in conn.execute("SELECT payload FROM inbox ORDER BY update_id")]


async def test_rotation_seals_everything_with_a_new_key_and_retires_the_old_one(tmp_path: Path) -> None:
    db_path = tmp_path / "lien.sqlite3"
    key_file = tmp_path / "lien.key"
    await sealed_database(db_path)
    old_key = key_file.read_bytes().strip()
    before = stored_tokens(db_path)

    result = await rotate_key(db_path)

    assert result.returncode == 0, result.stderr
    new_key = key_file.read_bytes().strip()
    assert new_key != old_key and len(key_file.read_bytes().split()) == 1
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert says("cli.rotate.done", key=str(key_file)).found_in(result.stdout, "en")
    (retired,) = await asyncio.to_thread(lambda: list(tmp_path.glob("lien.key.retired-*")))
    assert retired.read_bytes().strip() == old_key and retired.stat().st_mode & 0o777 == 0o600
    assert all(a != b for a, b in zip(before, stored_tokens(db_path), strict=True))
    assert await read_with(db_path, PrivacySettings()) == UPDATES
    with pytest.raises(DataKeyError):
        await read_with(db_path, PrivacySettings(data_key=old_key.decode()))


async def test_an_interrupted_rotation_leaves_everything_readable_and_finishes_when_run_again(tmp_path: Path) -> None:
    db_path = tmp_path / "lien.sqlite3"
    key_file = tmp_path / "lien.key"
    await sealed_database(db_path)
    old_key = key_file.read_bytes().strip()
    # Stopped after writing the new key beside the old one, before re-sealing anything.
    new_key = Fernet.generate_key()
    key_file.write_bytes(new_key + b"\n" + old_key + b"\n")

    assert await read_with(db_path, PrivacySettings()) == UPDATES

    result = await rotate_key(db_path)
    assert result.returncode == 0, result.stderr
    assert key_file.read_bytes().split() == [new_key]
    assert await read_with(db_path, PrivacySettings()) == UPDATES


async def test_a_key_given_in_a_variable_is_not_rotated_behind_the_operators_back(tmp_path: Path) -> None:
    db_path = tmp_path / "lien.sqlite3"
    await sealed_database(db_path)
    key = (tmp_path / "lien.key").read_text().strip()
    result = await rotate_key(db_path, BOT_DATA_KEY=key)
    assert result.returncode == 2 and key not in result.stderr
    assert says("data_key.rotate_from_variable").found_in(result.stderr, "en")
