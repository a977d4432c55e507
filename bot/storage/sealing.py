"""Free text and phone numbers are sealed at rest with a key kept outside the database, so that a copy of the
database file (or of a backup) shows no note, no answer and no phone number.

Sealing is Fernet from the `cryptography` library (AES-128-CBC with HMAC-SHA256, a fresh IV for each value).
The key file holds one key a line: the first seals, every one opens (Fernet's MultiFernet). It holds two only
while `rotate-key` re-seals everything with a new key, so an interrupted rotation leaves nothing unreadable.
Repositories seal and unseal in their SQL, through two functions registered on the connection once the key is
known: `seal(text)` and `unseal(token)`. Before that they do not exist, so nothing can be written in clear by
mistake: a statement that needs them fails instead.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.domain.errors import OperatorError
from bot.storage.database import Database
from bot.storage.files import private_folder

log = logging.getLogger(__name__)

# Every column whose values are sealed; a new one is added here and in its repository's SQL.
SEALED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("reports", "who"),
    ("reports", "note"),
    ("report_events", "detail"),
    ("persons", "phone"),
    ("volunteer_invitations", "phone"),
    ("import_uploads", "content"),
    ("inbox", "payload"),
    ("outbox", "notice"),
    ("ptb_state", "value"),
)
# Every Fernet token starts so (version byte 0x80 and the high bytes of its timestamp, base64-encoded).
TOKEN_PREFIX = "gAAAAA"
_CHECK_TEXT = "lien: the data key opens this database"


class DataKeyError(OperatorError):
    """The key is missing, malformed or not the one the data was sealed with."""


class Sealer:
    def __init__(self, keys: Sequence[bytes]) -> None:
        """`keys`: the one that seals first, then any older ones still accepted for opening."""
        try:
            self._fernet = MultiFernet([Fernet(key) for key in keys])
        except ValueError:
            raise DataKeyError("data_key.malformed") from None

    def seal(self, text: str | None) -> str | None:
        return None if text is None else self._fernet.encrypt(text.encode()).decode()

    def unseal(self, token: str | None) -> str | None:
        return None if token is None else self._fernet.decrypt(token.encode()).decode()

    def reseal(self, token: str | None) -> str | None:
        """The same value sealed again with the first key, whichever key sealed it."""
        return None if token is None else self._fernet.rotate(token.encode()).decode()

    def opens(self, token: str) -> bool:
        try:
            return self.unseal(token) == _CHECK_TEXT
        except InvalidToken:
            return False


def _read_keys(path: Path) -> list[bytes] | None:
    try:
        keys = path.read_bytes().split()
    except FileNotFoundError:
        return None
    if path.stat().st_mode & 0o077:
        log.warning("data_key.readable_by_others path=%s: run chmod 600 on it", path)
    return keys


def _write_keys(path: Path, keys: Sequence[bytes], *, replace: bool) -> None:
    """Owner-only from its first byte; written aside and renamed, so a crash leaves the old file or the new."""
    private_folder(path.parent)
    target = path.with_name(path.name + ".writing") if replace else path
    if replace:
        target.unlink(missing_ok=True)
    # O_EXCL: never overwrite a key that appeared meanwhile; 0600: readable by the bot's user only.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(b"".join(key + b"\n" for key in keys))
        handle.flush()
        os.fsync(handle.fileno())
    if replace:
        os.replace(target, path)


def _create_key(path: Path) -> bytes:
    key = Fernet.generate_key()
    _write_keys(path, [key], replace=False)
    log.warning(
        "data_key.created path=%s: notes and phone numbers are sealed with this key; back it up apart from "
        "the database backups, without it they cannot be read",
        path,
    )
    return key


def existing_sealer(data_key: str, path: Path) -> Sealer:
    """The configured key (`data_key`, else the key file at `path`), which must exist already: for reading
    copies (a backup, a restore), never a new key."""
    keys = [data_key.encode()] if data_key else _read_keys(path)
    if not keys:
        raise DataKeyError("data_key.missing_file", path=path)
    return Sealer(keys)


async def unlock(db: Database, data_key: str, path: Path) -> Sealer:
    """The sealer of this database: the configured key (`data_key`), else the ones in the key file at `path`
    (absolute), or a new key file for a database that has none yet.

    Refuses (DataKeyError) when the database holds sealed data and the key is missing or another one."""
    where = "BOT_DATA_KEY" if data_key else str(path)
    check = await db.fetch_one("SELECT token FROM data_key_check WHERE id = 1")
    keys = [data_key.encode()] if data_key else _read_keys(path)
    if not keys:
        if check is not None:
            raise DataKeyError("data_key.missing", database=db.path.resolve(), path=path)
        keys = [_create_key(path)]
    if len(keys) > 1:
        log.warning("data_key.rotation_unfinished path=%s: run rotate-key again to finish it", path)
    sealer = Sealer(keys)
    if check is None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO data_key_check (id, token) VALUES (1, ?)", (sealer.seal(_CHECK_TEXT),))
    elif not sealer.opens(str(check[0])):
        raise DataKeyError("data_key.wrong", where=where, database=db.path.resolve())
    await db.register_function("seal", sealer.seal)
    await db.register_function("unseal", sealer.unseal)
    await _seal_clear_values(db)
    return sealer


async def _seal_clear_values(db: Database) -> None:
    """Seal what a version without sealing wrote in clear; a no-op once done."""
    async with db.transaction() as tx:
        for table, column in SEALED_COLUMNS:
            await tx.execute(
                f"UPDATE {table} SET {column} = seal({column}) "
                f"WHERE {column} IS NOT NULL AND {column} NOT LIKE '{TOKEN_PREFIX}%'"
            )


@dataclass(frozen=True, slots=True)
class Rotation:
    key_file: Path
    retired_file: Path
    values: int


async def rotate(db: Database, data_key: str, path: Path, now: datetime) -> Rotation:
    """Seal every value again with a new key, in one transaction; the old key stays in the key file until
    then, and is kept in a file of its own after, for the backups it sealed. Run again after an
    interruption, it finishes with the new key it had written."""
    if data_key:
        raise DataKeyError("data_key.rotate_from_variable")
    await unlock(db, data_key, path)
    keys = _read_keys(path) or []
    if len(keys) == 1:
        keys = [Fernet.generate_key(), *keys]
        _write_keys(path, keys, replace=True)
    rotating = Sealer(keys)
    await db.register_function("reseal", rotating.reseal)
    values = 0
    async with db.transaction() as tx:
        for table, column in (*SEALED_COLUMNS, ("data_key_check", "token")):
            await tx.execute(f"UPDATE {table} SET {column} = reseal({column}) WHERE {column} IS NOT NULL")
            values += await tx.changes()
    # Old sealed values must not linger in the write-ahead log once the old key is gone from beside it.
    await db.checkpoint()
    retired = path.with_name(f"{path.name}.retired-{now:%Y%m%d-%H%M%S}")
    _write_keys(retired, keys[1:], replace=False)
    _write_keys(path, keys[:1], replace=True)
    log.warning("data_key.rotated path=%s retired=%s values=%s", path, retired, values)
    return Rotation(path, retired, values)
