from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.app import running
from bot.config import Settings, load_settings
from bot.runtime.inbox import InboxApplication
from tests.bot_process import BotProcess
from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.telegram_users import FakeUser

COORDINATOR_ID = 900_001


@pytest.fixture
def fake_api() -> Iterator[FakeBotApi]:
    api = FakeBotApi().start()
    yield api
    api.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lien.sqlite3"


@pytest.fixture
def settings(fake_api: FakeBotApi, db_path: Path) -> Settings:
    loaded = load_settings(
        environ={
            "BOT_TOKEN": TOKEN,
            "BOT_API_BASE_URL": fake_api.base_url,
            "BOT_DB_PATH": str(db_path),
            "BOT_COORDINATORS": str(COORDINATOR_ID),
            # Tests never use the network: the imported streets answer addresses.
            "BOT_GEOCODING_ONLINE": "false",
        }
    )
    # The fake API has no ceiling, global or per chat; Telegram's pacing would only slow the suite down (the
    # flood-control test restores it).
    unpaced = {"max_messages_per_second": 10_000, "per_chat_interval_s": 0.0}
    return loaded.model_copy(update={"telegram": loaded.telegram.model_copy(update=unpaced)})


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[InboxApplication]:
    async with running(settings, poll_timeout=1) as application:
        yield application


class Clock:
    """The town's today, set by the test: the bot reads it for check-ins, consents and report numbers."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


@pytest.fixture
def clock() -> Clock:
    return Clock(date(2026, 3, 2))


@pytest.fixture
async def clocked_bot(settings: Settings, clock: Clock) -> AsyncIterator[InboxApplication]:
    """The bot with the town's today given by `clock`."""
    async with running(settings, poll_timeout=1, today=clock) as application:
        yield application


@pytest.fixture
def coordinator(fake_api: FakeBotApi) -> FakeUser:
    return FakeUser(fake_api, COORDINATOR_ID, "Claire", "fr")


def rows(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of a query, typed as loosely as SQLite returns them."""
    with sqlite3.connect(db_path) as conn:
        return list(conn.execute(sql).fetchall())


@pytest.fixture
async def process(fake_api: FakeBotApi, db_path: Path, tmp_path: Path) -> AsyncIterator[BotProcess]:
    """The bot as a real process on the test's database, to SIGKILL and start again; stopped at the end."""
    bot = BotProcess(
        fake_api,
        tmp_path,
        BOT_DB_PATH=str(db_path),
        BOT_COORDINATORS=str(COORDINATOR_ID),
        BOT_GEOCODING_ONLINE="false",
    )
    yield bot
    fake_api.release()
    if bot.proc is not None:
        bot.stop()
