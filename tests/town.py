"""A town to plan a week in, written into the database as the bot would have stored it: approved volunteers
with their kind, experience, capacity, half-days and home, and the persons followed, with an address."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.app import running
from bot.config import Settings
from bot.runtime.inbox import InboxApplication
from bot.storage.database import Database
from tests.catalogue import says
from tests.stored_data import LOCK_WAIT_S
from tests.telegram_users import FakeUser
from tests.test_visits import WEEK, at, fixed_clock


@dataclass(frozen=True, slots=True)
class Member:
    """A volunteer of the team."""

    id: int
    name: str
    slots: tuple[str, ...]
    kind: str = "benevole"
    experienced: bool = True
    capacity: int = 2
    home: tuple[float, float] | None = None
    paused: bool = False
    absent_on: str | None = None  # an ISO day


@dataclass(frozen=True, slots=True)
class Resident:
    """A person followed."""

    name: str
    address: str
    point: tuple[float, float]
    visits_per_month: int = 4


async def add_members(db: Database, members: Sequence[Member]) -> None:
    """Through the bot's own connection: while the bot runs, a write from another connection would wait for the
    bot's transaction with the event loop blocked, and the bot needs that loop to finish it."""
    async with db.transaction() as tx:
        for m in members:
            home_street = None
            if m.home is not None:
                home_street = await tx.execute(
                    "INSERT INTO streets (key, name, insee_code, postcode, neighbourhood, lat, lon) "
                    "VALUES (?, ?, '47001', '47000', 'Centre', ?, ?)",
                    (f"home-of-{m.id}", f"Rue de {m.name}", *m.home),
                )
            await tx.execute("INSERT INTO users (telegram_id, first_name) VALUES (?, ?)", (m.id, m.name))
            await tx.execute(
                "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
                "VALUES (?, ?, 'approved', 'x')",
                (m.id, m.kind),
            )
            await tx.execute(
                "INSERT INTO volunteer_profiles (telegram_id, experienced, capacity, paused, home_street_id) "
                "VALUES (?, ?, ?, ?, ?)",
                (m.id, int(m.experienced), m.capacity, int(m.paused), home_street),
            )
            await tx.execute_many("INSERT INTO volunteer_slots VALUES (?, ?)", [(m.id, slot) for slot in m.slots])
            if m.absent_on:
                await tx.execute(
                    "INSERT INTO volunteer_absences (telegram_id, first_day, last_day) VALUES (?, ?, ?)",
                    (m.id, m.absent_on, m.absent_on),
                )


def add_residents(conn: sqlite3.Connection, residents: Sequence[Resident]) -> list[int]:
    return [
        int(
            conn.execute(
                "INSERT INTO persons (name, address, lat, lon, visits_per_month, created_by) VALUES (?, ?, ?, ?, ?, 1)",
                (r.name, r.address, *r.point, r.visits_per_month),
            ).lastrowid
            or 0
        )
        for r in residents
    ]


async def seed_town(db_path: Path, members: Sequence[Member], residents: Sequence[Resident]) -> list[int]:
    """The town in a fresh database; returns the persons' ids."""
    db = Database(db_path)
    await db.open()
    await add_members(db, members)
    await db.close()
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        return add_residents(conn, residents)


@asynccontextmanager
async def drafted(settings: Settings, coordinator: FakeUser) -> AsyncIterator[InboxApplication]:
    """The bot running on Friday 1 March 2030, and the coordinator's draft of the week after, on screen."""
    async with running(settings, poll_timeout=1) as bot:
        fixed_clock(bot, at(1, 10))
        coordinator.send(f"/plan {WEEK}")
        await coordinator.expect(says("plan.preview_header", week=10, year=2030, status=says("plan.status.draft")))
        yield bot
