"""`lien-bot backup`: a consistent copy of the database, even while the bot runs (SQLite online backup);
`backup --verify [FILE]`: is a copy intact, and does the key open it; `restore FILE`: put a copy back, with the
erasures made since it was taken applied again, the database it replaces kept as a backup."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from bot.cli.database import existing_database
from bot.config import Settings
from bot.i18n import Translations, Translator, plain
from bot.runtime.notifier import OutboxNotifier
from bot.services.container import build_services
from bot.services.privacy import RestoredCopy
from bot.storage.backup import BackupCheck, backups_in, check_backup, rotate_backups, write_backup
from bot.storage.database import Database, DatabaseUnreadable, check_file
from bot.storage.files import private_file, private_folder
from bot.storage.outbox import OutboxRepository
from bot.storage.sealing import existing_sealer, unlock

RESTORING = ".restoring"
REPLACED = ".replaced-"


def _say(text: str) -> None:
    print(plain(text))


def backup(settings: Settings, _: Translator) -> int:
    db_path = existing_database(settings)
    # A copy of a damaged file would only look like a backup.
    check_file(db_path)
    folder, now = settings.backup.folder_for(db_path), datetime.now(UTC)
    try:
        path = write_backup(db_path, folder, now)
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnreadable(db_path, exc) from None
    rotate_backups(folder, settings.backup.keep, settings.backup.max_age_days, now)
    _say(_("backup.written", path=str(path), key=str(settings.privacy.key_path(db_path))))
    return 0


def verify(settings: Settings, chosen: Path | None, _: Translator) -> int:
    """0 when the copy (the newest one by default) is intact and the key opens it, 1 when not."""
    db_path = settings.storage.db_path
    if chosen is None:
        folder = settings.backup.folder_for(db_path)
        found = backups_in(folder)
        if not found:
            _say(_("backup.none", folder=str(folder)))
            return 2
        chosen = found[-1]
    check = _checked(settings, chosen, _)
    if isinstance(check, int):
        return check
    _say(_("backup.verified", path=str(chosen), taken_at=check.taken_at or _("backup.taken_unknown")))
    return 0


def _checked(settings: Settings, path: Path, _: Translator) -> BackupCheck | int:
    """The copy's check when it may be restored; else the exit code, the reason said."""
    if not path.is_file():
        _say(_("cli.no_file", path=str(path)))
        return 2
    db_path = settings.storage.db_path
    check = check_backup(path, existing_sealer(settings.privacy.data_key, settings.privacy.key_path(db_path)))
    if not check.intact:
        _say(_("backup.damaged", path=str(path), problem=check.problem))
        return 1
    if not check.key_opens:
        _say(_("backup.wrong_key", path=str(path), key=str(settings.privacy.key_path(db_path))))
        return 1
    return check


def restore(settings: Settings, source: Path, _: Translator) -> int:
    """The copy is checked, copied beside the database, given the erasures journaled since it was taken, then
    swapped in at once; the database it replaces goes to the backup folder first. Run with the bot stopped."""
    db_path = settings.storage.db_path
    check = _checked(settings, source, _)
    if isinstance(check, int):
        return check
    candidate = db_path.with_name(db_path.name + RESTORING)
    _discard(candidate)
    _copy(source, candidate)
    if check.taken_at is None:
        _say(_("restore.taken_unknown"))
    # Unknown: every erasure in the journal is applied again (an erasure is never undone by a restore).
    settled = asyncio.run(_settle(settings, candidate, check.taken_at or ""))
    kept = _set_aside(settings, db_path, datetime.now(UTC))
    # A log left beside the database belongs to the one replaced: SQLite would replay it into the copy.
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    os.replace(candidate, db_path)
    _say(
        _(
            "restore.done",
            path=str(source),
            taken_at=settled.taken_at or _("backup.taken_unknown"),
            users=settled.users_erased,
            persons=settled.persons_erased,
        )
    )
    if kept is not None:
        _say(_("restore.replaced", path=str(kept)))
    return 0


def _copy(source: Path, target: Path) -> None:
    private_file(target)
    read_only = f"{source.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(read_only, uri=True)) as read, closing(sqlite3.connect(target)) as write:
        read.backup(write)


def _discard(database: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)


async def _settle(settings: Settings, candidate: Path, taken_at: str) -> RestoredCopy:
    db = Database(candidate)
    await db.open()
    try:
        # The live database's key, wherever the copy is.
        await unlock(db, settings.privacy.data_key, settings.privacy.key_path(settings.storage.db_path))
        translations = Translations(settings.i18n.default_language)
        svc = build_services(settings, db, translations, OutboxNotifier(OutboxRepository(db)))
        settled = await svc.privacy.settle_restored(taken_at)
        assert settled is not None
        return settled
    finally:
        await db.close()


def _set_aside(settings: Settings, db_path: Path, now: datetime) -> Path | None:
    """A backup of the database being replaced; a database SQLite cannot read is moved aside as it is."""
    if not db_path.is_file():
        return None
    folder = settings.backup.folder_for(db_path)
    try:
        return write_backup(db_path, folder, now)
    except sqlite3.DatabaseError:
        private_folder(folder)
        moved = folder / f"{db_path.name}{REPLACED}{now:%Y%m%d-%H%M%S}"
        for suffix in ("", "-wal", "-shm"):
            part = db_path.with_name(db_path.name + suffix)
            if part.exists():
                shutil.move(part, moved.with_name(moved.name + suffix))
        return moved
