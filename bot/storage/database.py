"""One SQLite file shared by the whole bot, behind one aiosqlite connection.

Every statement goes through one asyncio lock, so a transaction opened by one update can never interleave
with another's statements on the shared connection; writes use BEGIN IMMEDIATE so a second process (the
command line running `plan` or `backup` beside the bot) waits on the busy timeout instead of failing later.

A transaction is the unit of a use case: the task that holds one reads and writes through every repository
inside it, and a repository's own transaction opened there joins it (as a savepoint). That is how a state
change and the notices it owes reach the file together or not at all (the transactional outbox).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from bot.domain.errors import OperatorError
from bot.storage.files import private_file
from bot.storage.invitation_codes import hash_code

log = logging.getLogger(__name__)
Params = Sequence[Any] | dict[str, Any]
BUSY_TIMEOUT_MS = 10_000
# The migrations that existed before the ledger; a database of then knows only these.
LEGACY_MIGRATIONS = (1, 2, 3, 10, 20, 21)
# Reads every page's structure (not the indexes' content): seconds for a town's database, and it finds a
# truncated file or random bytes before anything else reads them.
QUICK_CHECK = "PRAGMA quick_check(1)"
# Errors that say nothing about the file itself: another process holds it, or the disk is full.
PASSING_ERRORS = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL")


class DatabaseUnreadable(OperatorError):
    """The file is not a database, or a damaged one: the operator restores a backup (README)."""

    def __init__(self, path: Path, error: sqlite3.DatabaseError) -> None:
        super().__init__("database.unreadable", path=path.resolve(), reason=str(error))


def check_file(path: Path) -> None:
    """Raise DatabaseUnreadable unless `path` is a sound database (read-only: it creates nothing)."""
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            found = conn.execute(QUICK_CHECK).fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnreadable(path, exc) from None
    if found is not None and found[0] != "ok":
        raise DatabaseUnreadable(path, sqlite3.DatabaseError(str(found[0])))


def stamp(moment: datetime) -> str:
    """A moment as the database writes them (UTC, milliseconds), so that text comparison orders them."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Database:
    def __init__(self, path: Path, before_migrating: Callable[[], object] | None = None) -> None:
        """`before_migrating` runs (in a thread) before migrations are applied to a database that has data:
        the upgrade's backup."""
        self.path = path
        self._before_migrating = before_migrating
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        # The task inside a transaction, and how deep its savepoints go: its statements skip the lock it holds.
        self._holder: asyncio.Task[Any] | None = None
        self._depth = 0

    async def open(self) -> None:
        # Created owner-only before SQLite opens it: its log and shared-memory files take the same mode.
        private_file(self.path)
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        self._conn = conn
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            await self._check_integrity()
            await conn.execute("PRAGMA journal_mode=WAL")
            # FULL makes each commit durable before we acknowledge anything to a user.
            await conn.execute("PRAGMA synchronous=FULL")
            await conn.execute("PRAGMA foreign_keys=ON")
            # What is deleted (an erased person, a purged update) is overwritten in the file, not just unlinked,
            # so that neither the file nor its backups keep it.
            await conn.execute("PRAGMA secure_delete=ON")
            # Before the migrations: one hashes the invitation codes an older version kept in clear.
            await conn.create_function("code_hash", 1, hash_code, deterministic=True)
            await self._migrate()
        except sqlite3.DatabaseError as exc:
            # Closed here, or the connection's thread would keep the process alive after the error.
            await self.close()
            if exc.sqlite_errorname in PASSING_ERRORS:
                raise
            raise DatabaseUnreadable(self.path, exc) from None
        except BaseException:
            await self.close()
            raise

    async def _check_integrity(self) -> None:
        """A damaged file is refused at once, naming it, rather than failing on some later read."""
        async with self.conn.execute(QUICK_CHECK) as cursor:
            row = await cursor.fetchone()
        if row is not None and row[0] != "ok":
            raise sqlite3.DatabaseError(str(row[0]))

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    def _holds(self) -> bool:
        return self._holder is not None and self._holder is asyncio.current_task()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Everything inside is committed together or not at all. Opened again by the task already inside a
        transaction, it is a savepoint of that one: undone alone on error, committed with the outer one."""
        if self._holds():
            async with self._savepoint() as tx:
                yield tx
            return
        async with self._lock:
            try:
                # Inside the try: a task cancelled while BEGIN is under way (the outbox worker at shutdown)
                # must not leave a transaction open for the next writer. aiosqlite runs statements in order,
                # so the ROLLBACK below comes after the BEGIN even then; without a BEGIN it fails, harmlessly.
                await self.conn.execute("BEGIN IMMEDIATE")
                self._holder = asyncio.current_task()
                yield Transaction(self.conn)
            except BaseException:
                with contextlib.suppress(sqlite3.OperationalError):
                    await self.conn.execute("ROLLBACK")
                raise
            finally:
                self._holder = None
            await self.conn.execute("COMMIT")

    @asynccontextmanager
    async def _savepoint(self) -> AsyncIterator[Transaction]:
        self._depth += 1
        name = f"nested_{self._depth}"
        try:
            await self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield Transaction(self.conn)
            except BaseException:
                await self.conn.execute(f"ROLLBACK TO {name}")
                await self.conn.execute(f"RELEASE {name}")
                raise
            await self.conn.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """The connection for one statement: at once inside this task's transaction, else after the lock."""
        if self._holds():
            yield
            return
        async with self._lock:
            yield

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        async with self._turn(), self.conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self._turn(), self.conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def register_function(self, name: str, function: Callable[[str | None], str | None]) -> None:
        """A one-argument SQL function, available to every later statement on this connection."""
        async with self._lock:
            await self.conn.create_function(name, 1, function)

    async def checkpoint(self) -> None:
        """Move the write-ahead log into the database file and empty it, so erased data leaves the log too."""
        async with self._lock:
            await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def schema_version(self) -> int:
        row = await self.fetch_one("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        """Apply every numbered migration not yet in the ledger, each in its own transaction.

        Numbers are handed out to parallel branches, so a lower one can land after a higher one: the ledger
        records each migration applied instead of trusting the highest number."""
        async with self._lock:
            await self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"
            )
            async with self.conn.execute("SELECT version FROM schema_migrations") as cursor:
                applied = {int(row[0]) for row in await cursor.fetchall()}
        highest = await self.schema_version()
        if not applied and highest:
            # A database from before the ledger: user_version was the highest migration applied.
            applied = {version for version in LEGACY_MIGRATIONS if version <= highest}
            async with self._lock:
                await self.conn.executemany(
                    "INSERT OR IGNORE INTO schema_migrations (version) VALUES (?)", [(v,) for v in sorted(applied)]
                )
        pending = [(version, script) for version, script in _migrations() if version not in applied]
        if pending and applied and self._before_migrating is not None:
            log.warning("database.upgrading path=%s migrations=%s", self.path, [v for v, _ in pending])
            await asyncio.to_thread(self._before_migrating)
        for version, script in pending:
            highest = max(version, highest)
            async with self._lock:
                # A migration may rebuild a table that others reference (SQLite cannot change a CHECK in place):
                # foreign keys are off while it runs, as SQLite's documented procedure says, then checked.
                await self.conn.execute("PRAGMA foreign_keys=OFF")
                try:
                    # executescript would commit on its own; wrapping the statements keeps a migration atomic.
                    await self.conn.executescript(
                        f"BEGIN IMMEDIATE;\n{script}\n"
                        f"INSERT INTO schema_migrations (version) VALUES ({version});\n"
                        f"PRAGMA user_version={highest};\nCOMMIT;"
                    )
                except BaseException:
                    if self.conn.in_transaction:
                        await self.conn.execute("ROLLBACK")
                    raise
                finally:
                    await self.conn.execute("PRAGMA foreign_keys=ON")
                async with self.conn.execute("PRAGMA foreign_key_check") as cursor:
                    broken = list(await cursor.fetchall())
            if broken:
                raise RuntimeError(f"migration {version:04d} left {len(broken)} broken foreign keys")


class Transaction:
    """The statements of one open transaction; only usable inside `Database.transaction()`."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement; returns the last inserted row id (0 when none)."""
        async with self._conn.execute(sql, params) as cursor:
            return cursor.lastrowid or 0

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def changes(self) -> int:
        async with self._conn.execute("SELECT changes()") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        async with self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())


def _migrations() -> list[tuple[int, str]]:
    """Numbered SQL files in bot/storage/migrations, applied in order, each once."""
    folder = resources.files("bot.storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)
