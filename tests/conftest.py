from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Generator, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.app import running
from bot.config import Settings, load_settings
from bot.runtime.inbox import InboxApplication
from tests.bot_process import BotProcess
from tests.fake_bot_api import TOKEN, FakeBotApi, Flag, Refusal
from tests.known_defects import TelegramRefused
from tests.stored_data import LOCK_WAIT_S
from tests.telegram_users import FakeUser

COORDINATOR_ID = 900_001


EXPECTS_REFUSALS = "telegram_refusals"
"""The marker of a test that makes Telegram refuse a call (or shows text escaped twice) on purpose."""


def _expects_refusals(item: pytest.Item) -> bool:
    return item.get_closest_marker(EXPECTS_REFUSALS) is not None or "refusals" in getattr(item, "fixturenames", ())


_JUDGED = pytest.StashKey[tuple[int, int]]()
"""How many refusals and flags the test's call was judged on; the fixture's teardown judges the rest."""


def _unexpected(item: pytest.Item) -> list[Refusal | Flag]:
    api = getattr(item, "funcargs", {}).get("fake_api")
    if not isinstance(api, FakeBotApi) or _expects_refusals(item):
        return []
    refused, flagged = item.stash.get(_JUDGED, (0, 0))
    item.stash[_JUDGED] = (len(api.refusals), len(api.flags))
    return [*api.refusals[refused:], *api.flags[flagged:]]


def _described(problems: list[Refusal | Flag]) -> str:
    return "Telegram would refuse or misshow what the bot sent:\n" + "\n".join(f"  {p}" for p in problems)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """A test fails on any refusal or double escaping it caused, in its own call (so an expected failure
    marker covers it), with what Telegram answered. A test that failed after a refusal failed because of
    it (the bot's answer never came); after text escaped twice only, it failed for its own reason."""
    __tracebackhide__ = True
    try:
        result = yield
    except Exception as exc:
        problems = _unexpected(item)
        if any(isinstance(p, Refusal) for p in problems):
            raise TelegramRefused(_described(problems)) from exc
        if problems:
            exc.add_note(_described(problems))
        raise
    problems = _unexpected(item)
    if problems:
        raise TelegramRefused(_described(problems))
    return result


@pytest.fixture
def fake_api(request: pytest.FixtureRequest) -> Iterator[FakeBotApi]:
    api = FakeBotApi().start()
    yield api
    api.stop()
    # What the bot sent while it stopped, after the test's own call was judged, counts too.
    late = _unexpected(request.node)
    if late and request.node.get_closest_marker("xfail") is None:
        raise TelegramRefused(_described(late))


@pytest.fixture
def refusals(fake_api: FakeBotApi) -> FakeBotApi:
    """Asking for this declares that the test makes Telegram refuse on purpose; it gives the fake to look at."""
    return fake_api


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lien.sqlite3"


def settings_for(fake_api: FakeBotApi, db_path: Path, config: Path | None = None) -> Settings:
    """The town's settings (the shipped example, or `config`), pointed at the fake Bot API and the test's database."""
    loaded = load_settings(
        config,
        environ={
            "BOT_TOKEN": TOKEN,
            "BOT_API_BASE_URL": fake_api.base_url,
            "BOT_DB_PATH": str(db_path),
            "BOT_COORDINATORS": str(COORDINATOR_ID),
            # Tests never use the network: the imported streets answer addresses.
            "BOT_GEOCODING_ONLINE": "false",
        },
    )
    # The fake API has no ceiling, global or per chat; Telegram's pacing would only slow the suite down (the
    # flood-control test restores it).
    unpaced = {"max_messages_per_second": 10_000, "per_chat_interval_s": 0.0}
    return loaded.model_copy(update={"telegram": loaded.telegram.model_copy(update=unpaced)})


@pytest.fixture
def settings(fake_api: FakeBotApi, db_path: Path) -> Settings:
    return settings_for(fake_api, db_path)


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
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
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
