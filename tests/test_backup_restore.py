"""Backups and erasure: a copy killed midway leaves nothing behind, copies go by number and by age, a copy can
be checked, and restoring one never brings back someone erased since it was taken: the erasure journal,
kept beside the database, applies them again before the bot serves anyone."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet

from bot.app import running, services_of
from bot.config import Settings
from bot.storage.backup import backups_in, write_backup
from tests.catalogue import says, shows
from tests.command_line import command
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi
from tests.stored_data import LOCK_WAIT_S, raw_bytes
from tests.telegram_users import FakeUser
from tests.test_privacy import open_a_file, report_with_note


def tiny_database(path: Path) -> Path:
    with closing(sqlite3.connect(path, timeout=LOCK_WAIT_S)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
    return path


def test_a_backup_killed_midway_leaves_no_partial_copy_behind(tmp_path: Path) -> None:
    db_path = tiny_database(tmp_path / "lien.sqlite3")
    folder = tmp_path / "backups"
    folder.mkdir()
    killed = folder / "lien-20260301-033000.sqlite3.partial"
    killed.write_bytes(b"half a copy, with names in it")
    write_backup(db_path, folder, datetime(2026, 3, 2, 3, 30, tzinfo=UTC))
    assert sorted(path.name for path in folder.iterdir()) == ["lien-20260302-033000.sqlite3"]


async def test_the_bot_removes_partial_copies_at_start(settings: Settings, fake_api: FakeBotApi) -> None:
    folder = settings.backup.folder_for(settings.storage.db_path)
    folder.mkdir()
    (folder / "lien-20260301-033000.sqlite3.partial").write_bytes(b"half a copy")
    async with running(settings, poll_timeout=1):
        assert list(folder.iterdir()) == []


def test_backups_go_by_number_and_by_age(tmp_path: Path) -> None:
    db_path = tiny_database(tmp_path / "lien.sqlite3")
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime.now(UTC)
    recent = [f"lien-{now - timedelta(days=days):%Y%m%d-%H%M%S}.sqlite3" for days in (3, 2)]
    for name in ("lien-20220101-033000.sqlite3", *recent):
        shutil.copy(db_path, folder / name)
    (folder / "notes.txt").write_text("the operator's own file")

    def back_up(keep: int) -> list[str]:
        config = tmp_path / "config.toml"
        config.write_text(f'[backup]\nfolder = "{folder}"\nkeep = {keep}\nmax_age_days = 14\n')
        done = command(db_path, "backup", config=config)
        assert done.returncode == 0, done.stderr
        return [path.name for path in backups_in(folder)]

    # Within the number kept, the 2022 copy goes all the same: it is older than 14 days.
    assert back_up(keep=5)[:2] == recent and len(back_up(keep=5)) >= 3
    assert "lien-2022" not in " ".join(back_up(keep=5))
    # And beyond the number, the oldest go.
    assert back_up(keep=2)[0] not in recent
    assert (folder / "notes.txt").exists()


async def test_an_erasure_survives_the_restore_of_an_older_backup_and_the_bot_serves_after(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    gisele = FakeUser(fake_api, 4_242_421, "Gisèle", "fr")
    async with running(settings, poll_timeout=1) as bot:
        reference = await report_with_note(FakeUser(fake_api, 5201, "Hélène", "fr"))
        await open_a_file(coordinator, reference, "Madame Ortolan")
        gisele.send("/start")
        await gisele.expect(says("start.welcome"))
        older = await services_of(bot).privacy.back_up(datetime(2026, 3, 1, 3, 30, tzinfo=UTC))

        coordinator.press_data("pv:erase:1")
        await coordinator.expect(says("privacy.erase_person_confirm", name="Madame Ortolan"))
        coordinator.press(says("button.erase_file_for_good"))
        await coordinator.expect(says("privacy.person_erased"))
        gisele.send("/forget")
        await gisele.expect(says("privacy.forget_confirm"))
        gisele.press(says("button.forget_me"))
        await gisele.expect(says("privacy.forgotten"))
    journal = db_path.with_suffix(".erasures").read_text()
    assert "Ortolan" not in journal and "Gisèle" not in journal and str(gisele.id) not in journal

    restored = command(db_path, "restore", str(older))
    assert restored.returncode == 0, restored.stderr
    assert "comptes : 1, fiches : 1" in restored.stdout
    assert rows(db_path, "SELECT COUNT(*) FROM persons") == [(0,)]
    assert rows(db_path, f"SELECT COUNT(*) FROM users WHERE telegram_id = {gisele.id}") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM backup_origin") == [(0,)]
    assert b"Ortolan" not in raw_bytes(db_path)
    # What it replaced is a backup of its own, the erasures in it.
    replaced = [path for path in backups_in(db_path.parent / "backups") if path != older]
    assert len(replaced) == 1 and b"Ortolan" not in raw_bytes(replaced[0])

    async with running(settings, poll_timeout=1):
        visitor = FakeUser(fake_api, 9201, "Inès", "fr")
        visitor.send("/start")
        await visitor.expect(says("start.welcome"))
        coordinator.send("/persons")
        await coordinator.expect(says("persons.none"))


async def test_a_backup_copied_back_by_hand_gets_the_erasures_before_anyone_is_served(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    async with running(settings, poll_timeout=1) as bot:
        reference = await report_with_note(FakeUser(fake_api, 5202, "Hélène", "fr"))
        await open_a_file(coordinator, reference, "Madame Ortolan")
        older = await services_of(bot).privacy.back_up(datetime(2026, 3, 1, 3, 30, tzinfo=UTC))
        coordinator.press_data("pv:erase_yes:1")
        await coordinator.expect(says("privacy.person_erased"))
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    shutil.copy(older, db_path)
    # Updates in flight when the copy was taken (the typed name that opened the file among them): the bot that
    # was live processed them, and replaying them now would open the erased file again.
    with closing(sqlite3.connect(db_path, timeout=LOCK_WAIT_S)) as conn:
        conn.execute("UPDATE inbox SET processed_at = NULL")
        conn.commit()
    assert rows(db_path, "SELECT name FROM persons") == [("Madame Ortolan",)]
    async with running(settings, poll_timeout=1):
        assert rows(db_path, "SELECT COUNT(*) FROM persons") == [(0,)]
        coordinator.send("/persons")
        await coordinator.expect(says("persons.none"))


async def test_verify_says_whether_a_backup_is_intact_and_opened_by_the_key(
    settings: Settings, fake_api: FakeBotApi, db_path: Path, tmp_path: Path
) -> None:
    async with running(settings, poll_timeout=1) as bot:
        good = await services_of(bot).privacy.back_up(datetime.now(UTC))
    done = command(db_path, "backup", "--verify")
    assert done.returncode == 0, done.stderr
    assert str(good) in done.stdout and "intacte" in done.stdout

    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    done = command(db_path, "backup", "--verify", str(damaged))
    assert done.returncode == 1 and shows(done.stdout, says("backup.damaged"), "fr")

    other_key = tmp_path / "other.key"
    other_key.write_bytes(Fernet.generate_key())
    other_key.chmod(0o600)
    config = tmp_path / "other.toml"
    config.write_text(f'[privacy]\nkey_file = "{other_key}"\n')
    done = command(db_path, "backup", "--verify", str(good), config=config)
    assert done.returncode == 1 and shows(done.stdout, says("backup.wrong_key"), "fr")
    done = command(db_path, "restore", str(damaged))
    assert done.returncode == 1 and shows(done.stdout, says("backup.damaged"), "fr")
    assert "Traceback" not in done.stderr
