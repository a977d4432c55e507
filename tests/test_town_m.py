"""A town of size M (150 volunteers, 400 persons followed) through the real application against the fake
Bot API, which refuses what Telegram refuses: the coordinator plans, reads every outing of the preview page
by page with Publish on each, publishes, and every volunteer gets their outing; every list a coordinator
reads renders, and a long one reads to its end by its page turns. One test a screen."""

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
from bot.domain.actions.open_calls import CallForLeftOut
from bot.domain.actions.volunteers import ApproveVolunteer
from bot.runtime.inbox import InboxApplication
from tests.catalogue import Fragment, Says, says, shows, text_of
from tests.conftest import COORDINATOR_ID, rows
from tests.fake_bot_api import TOKEN, FakeBotApi, Sent
from tests.stored_data import LOCK_WAIT_S
from tests.telegram_users import WAIT_S, FakeUser, eventually
from tests.test_visits import WEEK, at, fixed_clock
from tests.town_m import FIRST_APPLICANT_ID, PENDING_APPLICATIONS, draft, seed

MONDAY = date(2030, 3, 4)  # of WEEK
YEAR, ISO_WEEK = 2030, 10
# Liveness bounds, not timings: the outbox sends one message a second to each chat, a volunteer gets about
# five (the outing, a pin a stop, the calendar file), and a shared machine may be slow.
DELIVERY_WAIT_S = 300.0
PLANNING_WAIT_S = 300.0

APPLICANTS = 120
"""More applications than one message's 100 buttons could hold with Approve and Refuse each."""


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
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        pairs = conn.execute(
            "SELECT DISTINCT slot_id, first_volunteer, second_volunteer FROM visits WHERE status = 'proposed'"
        ).fetchall()
    return Counter(member for _slot, first, second in pairs for member in (first, second))


async def every_page(user: FakeUser, api: FakeBotApi, first: Sent) -> list[Sent]:
    """The pages of a list, from the first, turned one by one with the button to the next page."""
    pages = [first]
    while turn := next(
        (b for b in pages[-1].buttons() if user.shown(b["text"], says("page.next", number=len(pages) + 1))), None
    ):
        user.reads_from_now().press_data(turn["callback_data"], first.message_id)
        pages.append(await shown(user, api, says("page.marker", number=len(pages) + 1)))
    count = len(pages)
    assert count == 1 or all(
        user.shown(page.text, says("page.marker", number=n, count=count)) for n, page in enumerate(pages, start=1)
    )
    return pages


def lines_of(pages: list[Sent], line: Says) -> list[str]:
    """The lines of the pages that show the catalogue's `line`."""
    return [text for page in pages for text in page.text.splitlines() if shows(text, line, "fr")]


async def test_at_size_m_the_coordinator_reads_every_outing_page_by_page_publishes_and_every_outing_is_delivered(
    m_bot: InboxApplication, coordinator: FakeUser, fake_api: FakeBotApi, db_path: Path
) -> None:
    coordinator.send(f"/plan {WEEK}")
    preview = await shown(coordinator, fake_api, says("plan.preview_header", week=10, year=2030), PLANNING_WAIT_S)
    pages = await every_page(coordinator, fake_api, preview)
    publish = says("plan.publish_button")
    assert len(pages) > 1
    assert all(any(coordinator.shown(button["text"], publish) for button in page.buttons()) for page in pages)
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        [(plan_id,)] = conn.execute("SELECT id FROM week_plans WHERE status = 'draft'").fetchall()
        drafted = conn.execute(
            "SELECT COUNT(DISTINCT slot_id || ':' || first_volunteer || ':' || second_volunteer) FROM visits "
            "WHERE plan_id = ? AND status = 'proposed'",
            (plan_id,),
        ).fetchone()[0]
    # Every outing readable, each once: not the first few.
    assert len(lines_of(pages, says("plan.outing_line"))) == drafted
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


async def test_at_size_m_every_visit_of_the_week_reads_in_week(
    m_bot: InboxApplication, coordinator: FakeUser, fake_api: FakeBotApi, db_path: Path
) -> None:
    await published(m_bot, db_path)
    coordinator.send("/week " + WEEK)
    pages = await every_page(coordinator, fake_api, await shown(coordinator, fake_api, says("week.header", week=10)))
    [(visits,)] = rows(db_path, "SELECT COUNT(*) FROM visits")
    assert len(lines_of(pages, says("week.line"))) == visits
    board = says("opencall.board_button")
    assert all(any(coordinator.shown(b["text"], board) for b in page.buttons()) for page in pages)


async def test_at_size_m_the_open_calls_board_lists_everyone_left_out_with_a_call_button_each(
    m_bot: InboxApplication, coordinator: FakeUser, fake_api: FakeBotApi, db_path: Path
) -> None:
    await published(m_bot, db_path)
    coordinator.send("/week " + WEEK)
    await shown(coordinator, fake_api, says("week.header", week=10))
    coordinator.reads_from_now().press(says("opencall.board_button"))
    first = await shown(coordinator, fake_api, says("opencall.board_header"))
    pages = await every_page(coordinator, fake_api, first)
    uncovered = lines_of(pages, says("opencall.uncovered"))
    launches = [call for page in pages for b in page.buttons() if (call := CallForLeftOut.parse(b["callback_data"]))]
    assert uncovered and len(launches) == len(uncovered)
    names = {int(str(person)): str(name) for person, name in rows(db_path, "SELECT id, name FROM persons")}
    assert all(
        coordinator.shown(line, says("opencall.uncovered", name=names[call.person_id]))
        for line, call in zip(uncovered, launches, strict=True)
    )


async def test_at_size_m_more_applications_than_buttons_fit_one_message_are_decided_page_by_page(
    m_bot: InboxApplication, coordinator: FakeUser, fake_api: FakeBotApi, db_path: Path
) -> None:
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        for index in range(PENDING_APPLICATIONS, APPLICANTS):
            applicant = FIRST_APPLICANT_ID + index
            conn.execute("INSERT INTO users (telegram_id, first_name) VALUES (?, ?)", (applicant, f"Candidat {index}"))
            conn.execute(
                "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
                "VALUES (?, 'benevole', 'pending', 'x')",
                (applicant,),
            )
    coordinator.send("/pending")
    first = await shown(coordinator, fake_api, says("coordinator.pending", count=APPLICANTS))
    pages = await every_page(coordinator, fake_api, first)
    approvals = [b for page in pages for b in page.buttons() if ApproveVolunteer.parse(b["callback_data"])]
    waiting = rows(db_path, "SELECT first_name FROM users JOIN volunteers USING (telegram_id) WHERE status = 'pending'")
    kind = says("volunteer.kind.benevole")
    expected = Counter(text_of("fr", "coordinator.pending_line", name=name, kind=kind) for (name,) in waiting)
    shown_lines = Counter(line for page in pages for line in page.text.splitlines() if line in expected)
    assert shown_lines == expected and len(approvals) == APPLICANTS
    last = FIRST_APPLICANT_ID + APPLICANTS - 1
    coordinator.press_data(f"vol:ok:{last}", pages[-1].message_id)
    await shown(coordinator, fake_api, says("coordinator.approved", name=f"Candidat {APPLICANTS - 1}"))
    assert rows(db_path, f"SELECT status FROM volunteers WHERE telegram_id = {last}") == [("approved",)]


@pytest.mark.parametrize(
    ("command", "fragment"),
    [
        ("/grid", says("grid.header", count=150)),
        ("/reports", says("triage.list_header", count=40)),
        ("/persons", says("persons.list_header", count=400)),
        ("/coverage", says("coverage.title")),
        ("/pending", says("coordinator.pending", count=15)),
        ("/audit", says("audit.header")),
        ("/stats 2026", says("stats.summary")),
    ],
)
async def test_at_size_m_each_list_of_the_coordinator_reads(
    m_bot: InboxApplication, coordinator: FakeUser, fake_api: FakeBotApi, command: str, fragment: Says
) -> None:
    coordinator.send(command)
    await shown(coordinator, fake_api, fragment)
