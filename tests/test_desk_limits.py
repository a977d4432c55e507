"""No account can flood the coordinators' desk, and a danger is never queued behind routine notices, end to
end through the fake Bot API: past its limits an account gets a kind answer (a danger still shows the
emergency numbers) and nothing reaches the desk; the coordinators hear once, and one press lifts it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import database_of, running
from bot.config import Settings
from bot.notices import Notice
from bot.runtime.inbox import InboxApplication
from bot.storage.outbox import OutboxRepository
from tests.catalogue import says
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import draft_from_pin, report_from_pin
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually

MARC = 3001
# The tests' settings: France's numbers, the European one among them.
NUMBERS = says("report.emergency_line", label=says("emergency.european"), number="112")
ALERT = says("report.danger_alert")  # what the desk reads of a danger


@pytest.fixture
async def limited_bot(settings: Settings) -> AsyncIterator[InboxApplication]:
    limits = settings.limits.model_copy(update={"dangers": 2, "contact_requests": 2, "reports": 2})
    async with running(settings.model_copy(update={"limits": limits}), poll_timeout=1) as application:
        yield application


def reports_of(db_path: Path, channel: str, urgency: str) -> int:
    found = rows(db_path, f"SELECT COUNT(*) FROM reports WHERE channel = '{channel}' AND urgency = '{urgency}'")
    return int(str(found[0][0]))


async def raise_danger(marc: FakeUser) -> None:
    marc.send("/report")
    await marc.expect(says("report.ask_where"))
    marc.tap(says("button.danger_now"))
    await marc.expect(NUMBERS)


async def test_a_flood_of_contact_requests_and_dangers_stops_at_the_limits_and_a_coordinator_lifts_them(
    limited_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    marc = FakeUser(fake_api, MARC, "Marc")
    # Forged "contact me" presses: two reach the desk, the others get a kind answer and reach nobody.
    for n in range(5):
        marc.press_data("selftest:contact")
        await marc.expect(says("selftest.contact_sent") if n < 2 else says("selftest.contact_limit"))
    assert reports_of(db_path, "self_test", "soon") == 2
    assert len(marc.received(says("selftest.contact_limit"))) == 3

    # Dangers: past the second, the emergency numbers still come first, then a kind word; nothing more is
    # stored, and the desk hears of no new danger.
    for _ in range(2):
        await raise_danger(marc)
        await marc.expect(says("report.danger_where"))
    await raise_danger(marc)
    kind = await marc.expect(says("report.danger_limit"), "112")
    numbers = [s for s in marc.new_messages() if marc.shown(s.text, NUMBERS)]
    assert numbers and marc.new_messages().index(numbers[0]) < marc.new_messages().index(kind)
    assert reports_of(db_path, "telegram", "danger") == 2
    await eventually(lambda: len(coordinator.received(ALERT)) == 2, "both dangers on the desk")

    # The coordinator heard once per limit reached, and lifts it with one press: Marc's next danger goes through.
    await coordinator.expect(says("desk.limit_reached", name="Marc", what=says("desk.limit.dangers")))
    assert len(coordinator.received(says("desk.limit_reached"))) == 2  # contact requests, dangers
    coordinator.press(says("desk.lift_button"))
    await coordinator.expect(says("desk.lifted", name="Marc"))
    await raise_danger(marc)
    await marc.expect(says("report.danger_where"))
    assert reports_of(db_path, "telegram", "danger") == 3
    await eventually(lambda: len(coordinator.received(ALERT)) == 3, "the third danger on the desk")


async def test_a_report_over_the_limit_stays_in_the_chat_and_is_stored_once_the_limit_is_lifted(
    limited_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    marc = FakeUser(fake_api, MARC, "Marc")
    for _ in range(2):
        await report_from_pin(marc)
    await draft_from_pin(marc)
    marc.press(says("button.send_report"))
    await marc.expect(says("report.limit_reached"))
    assert reports_of(db_path, "telegram", "soon") == 2
    # The refused report is still on screen: once the limit is lifted, Send stores it.
    await coordinator.expect(says("desk.limit_reached", name="Marc", what=says("desk.limit.reports")))
    coordinator.press(says("desk.lift_button"))
    await coordinator.expect(says("desk.lifted", name="Marc"))
    marc.press(says("button.send_report"))
    await marc.expect(says("report.sent"))
    assert reports_of(db_path, "telegram", "soon") == 3


async def test_a_danger_reaches_the_coordinator_ahead_of_the_routine_notices_queued_before_it(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    outbox = OutboxRepository(database_of(bot))
    for n in range(20):
        await outbox.enqueue(COORDINATOR_ID, Notice("report.digest", {"count": n, "lines": "-"}), f"routine:{n}")
    paul = FakeUser(fake_api, 2002, "Paul")
    await raise_danger(paul)
    await eventually(lambda: len(coordinator.received(ALERT)) == 1, "the danger on the desk")
    # One chat gets a message a second: had the danger waited its turn, twenty would have come first.
    texts = [s.text for s in fake_api.sent_to(COORDINATOR_ID)]
    danger = next(i for i, text in enumerate(texts) if coordinator.shown(text, ALERT))
    assert sum(1 for text in texts[:danger] if coordinator.shown(text, says("report.digest"))) < 10, texts[:danger]
