"""A town of size M (150 volunteers, 400 persons followed) through the real application against the fake
Bot API, which refuses what Telegram refuses: the coordinator plans, reads the preview, publishes, and every
volunteer gets their outing; every list a coordinator reads renders. One test a screen: a screen that does
not fit yet is an expected failure naming why, until its list is paged."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.app import running, services_of
from bot.config import Settings, load_settings
from bot.runtime.inbox import InboxApplication
from tests.catalogue import Fragment, Says, says, shows
from tests.conftest import COORDINATOR_ID, rows
from tests.fake_bot_api import TOKEN, FakeBotApi, Sent
from tests.known_defects import known_defect
from tests.telegram_users import WAIT_S, FakeUser, eventually
from tests.test_visits import WEEK, at, fixed_clock
from tests.town_m import draft, seed

MONDAY = date(2030, 3, 4)  # of WEEK
YEAR, ISO_WEEK = 2030, 10
# Liveness bounds, not timings: the outbox sends one message a second to each chat, a volunteer gets about
# five (the outing, a pin a stop, the calendar file), and a shared machine may be slow.
DELIVERY_WAIT_S = 300.0
PLANNING_WAIT_S = 300.0

PREVIEW_TOO_LONG = known_defect(
    "the plan preview of the M week is one message of about 4,250 characters even though it shows only 25 of "
    "its 180-odd outings: Telegram refuses it (message is too long), so the coordinator never sees Publish; "
    "it passes once the preview is paged"
)
WEEK_TOO_LONG = known_defect(
    "/week shows up to 80 of the 350-odd visits in one message, about 5,500 characters at this size: Telegram "
    "refuses it; it passes once /week is paged"
)
BOARD_UNREACHABLE = known_defect(
    "the open-calls board is reached from /week (refused at this size, see above) or from the reply to Publish "
    "(behind the refused preview): it passes once /week is paged"
)


def m_settings(settings: Settings) -> Settings:
    # A lower time limit than a town's: the planner still places the whole week, with less polish.
    return settings.model_copy(update={"planning": settings.planning.model_copy(update={"time_limit_s": 3.0})})


@pytest.fixture(scope="module")
def drafted_town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The M town with the week drafted, made once: routing 150-odd outings takes the better part of a
    minute, as it does for a town's coordinator. Each test starts from a copy."""
    path = tmp_path_factory.mktemp("town-m") / "town.sqlite3"
    settings = m_settings(
        load_settings(
            environ={
                "BOT_TOKEN": TOKEN,
                "BOT_DB_PATH": str(path),
                "BOT_COORDINATORS": str(COORDINATOR_ID),
                "BOT_GEOCODING_ONLINE": "false",
            }
        )
    )

    async def make() -> None:
        await seed(path, settings.town, MONDAY)
        await draft(path, settings, YEAR, ISO_WEEK, COORDINATOR_ID)

    asyncio.run(make())
    return path


@pytest.fixture
async def m_bot(settings: Settings, db_path: Path, drafted_town: Path) -> AsyncIterator[InboxApplication]:
    for template, copy in ((drafted_town, db_path), (drafted_town.with_suffix(".key"), db_path.with_suffix(".key"))):
        shutil.copyfile(template, copy)
    async with running(m_settings(settings), poll_timeout=1) as bot:
        fixed_clock(bot, at(1, 10))
        yield bot


async def published(bot: InboxApplication, db_path: Path) -> None:
    """The drafted week published as the coordinator's Publish does (through the service: the preview that
    carries the button is what the first test is about)."""
    [(plan_id,)] = rows(db_path, "SELECT id FROM week_plans")
    assert await services_of(bot).publication.publish(int(str(plan_id)), COORDINATOR_ID)


async def shown(user: FakeUser, api: FakeBotApi, fragment: Fragment, wait_s: float = WAIT_S) -> Sent:
    """The message to the user holding `fragment`; fails at once when Telegram refused what the bot sent
    instead (the message will never come)."""

    def found() -> Sent | None:
        return next((sent for sent in user.new_messages() if user.shown(sent.text, fragment)), None)

    await eventually(lambda: found() is not None or bool(api.refusals), f"{fragment} shown", wait_s)
    message = found()
    assert message is not None, f"Telegram refused the message that would have shown {fragment}"
    return message


def outings_of(db_path: Path) -> Counter[int]:
    """How many outings (a pair in a half-day) each volunteer has in the stored week."""
    with sqlite3.connect(db_path) as conn:
        pairs = conn.execute(
            "SELECT DISTINCT slot_id, first_volunteer, second_volunteer FROM visits WHERE status = 'proposed'"
        ).fetchall()
    return Counter(member for _slot, first, second in pairs for member in (first, second))


@PREVIEW_TOO_LONG
async def test_at_size_m_the_coordinator_previews_the_week_publishes_it_and_every_outing_is_delivered(
    m_bot: InboxApplication, coordinator: FakeUser, fake_api: FakeBotApi, db_path: Path
) -> None:
    coordinator.send(f"/plan {WEEK}")
    preview = await shown(coordinator, fake_api, says("plan.preview", week=10, year=2030), PLANNING_WAIT_S)
    publish = says("plan.publish_button")
    assert any(coordinator.shown(button["text"], publish) for button in preview.buttons())
    coordinator.press(publish)
    await coordinator.expect(says("plan.published"))
    outings = outings_of(db_path)
    assert len(outings) > 100

    def received(member: int) -> int:
        return sum(1 for sent in fake_api.sent_to(member) if sent.method == "sendDocument")

    await eventually(
        lambda: all(received(member) == count for member, count in outings.items()),
        "every volunteer's outings delivered, each with its calendar file",
        DELIVERY_WAIT_S,
    )
    outing = says("visit.outing")
    texts = Counter(s.chat_id for s in fake_api.history if s.method == "sendMessage" and shows(s.text, outing, "fr"))
    assert texts == outings


@WEEK_TOO_LONG
async def test_at_size_m_the_week_reads_in_week(
    m_bot: InboxApplication, coordinator: FakeUser, fake_api: FakeBotApi, db_path: Path
) -> None:
    await published(m_bot, db_path)
    coordinator.send("/week " + WEEK)
    await shown(coordinator, fake_api, says("week.header", week=10))


@BOARD_UNREACHABLE
async def test_at_size_m_the_open_calls_board_reads(
    m_bot: InboxApplication, coordinator: FakeUser, fake_api: FakeBotApi, db_path: Path
) -> None:
    await published(m_bot, db_path)
    coordinator.send("/week " + WEEK)
    await shown(coordinator, fake_api, says("week.header", week=10))
    coordinator.press(says("opencall.board_button"))
    await shown(coordinator, fake_api, says("opencall.board"))


@pytest.mark.parametrize(
    ("command", "fragment"),
    [
        ("/grid", says("grid.title", count=150)),
        ("/reports", says("triage.list", count=40)),
        ("/persons", says("persons.list", count=400)),
        ("/coverage", says("coverage.title")),
        ("/pending", says("coordinator.pending", count=15)),
        ("/audit", says("audit.title")),
        ("/stats 2026", says("stats.summary")),
    ],
)
async def test_at_size_m_each_list_of_the_coordinator_reads(
    m_bot: InboxApplication, coordinator: FakeUser, fake_api: FakeBotApi, command: str, fragment: Says
) -> None:
    coordinator.send(command)
    await shown(coordinator, fake_api, fragment)
