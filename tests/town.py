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
    capacity: int = 4
    home: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Resident:
    """A person followed."""

    name: str
    address: str
    point: tuple[float, float]
    visits_per_month: int = 4


async def migrate(db_path: Path) -> None:
    db = Database(db_path)
    await db.open()
    await db.close()


def add_members(conn: sqlite3.Connection, members: Sequence[Member]) -> None:
    for member in members:
        home_street = None
        if member.home is not None:
            home_street = conn.execute(
                "INSERT INTO streets (key, name, insee_code, postcode, neighbourhood, lat, lon) "
                "VALUES (?, ?, '47001', '47000', 'Centre', ?, ?)",
                (f"home-of-{member.id}", f"Rue de {member.name}", *member.home),
            ).lastrowid
        conn.execute("INSERT INTO users (telegram_id, first_name) VALUES (?, ?)", (member.id, member.name))
        conn.execute(
            "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) VALUES (?, ?, 'approved', 'x')",
            (member.id, member.kind),
        )
        conn.execute(
            "INSERT INTO volunteer_profiles (telegram_id, experienced, capacity, home_street_id) VALUES (?, ?, ?, ?)",
            (member.id, int(member.experienced), member.capacity, home_street),
        )
        conn.executemany("INSERT INTO volunteer_slots VALUES (?, ?)", [(member.id, slot) for slot in member.slots])


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
    await migrate(db_path)
    with sqlite3.connect(db_path) as conn:
        add_members(conn, members)
        return add_residents(conn, residents)


@asynccontextmanager
async def drafted(settings: Settings, coordinator: FakeUser) -> AsyncIterator[InboxApplication]:
    """The bot running on Friday 1 March 2030, and the coordinator's draft of the week after, on screen."""
    async with running(settings, poll_timeout=1) as bot:
        fixed_clock(bot, at(1, 10))
        coordinator.send(f"/plan {WEEK}")
        await coordinator.expect("Semaine 10 de 2030", "brouillon")
        yield bot
