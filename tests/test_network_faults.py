"""When the Bot API fails for a while, the bot keeps polling, loses nothing, and logs the incident once."""

from __future__ import annotations

import logging
from collections import Counter

import pytest

from bot.app import database_of, running
from bot.config import Settings
from bot.notices import Notice
from bot.runtime.inbox import InboxApplication
from bot.storage.outbox import OutboxRepository
from tests.catalogue import says
from tests.fake_bot_api import FakeBotApi, Fault
from tests.telegram_users import FakeUser, eventually


async def test_a_burst_of_5xx_on_polling_is_logged_once_and_nothing_is_lost(
    bot: InboxApplication, fake_api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.telegram")
    polls = fake_api.call_count("getUpdates")
    fake_api.faults["getUpdates"] = [Fault(502), Fault(500), Fault(503)]
    await eventually(lambda: fake_api.call_count("getUpdates") > polls, "a failed poll")
    visitor = FakeUser(fake_api, 1201, "Rose", "fr")
    visitor.send("/start")  # sent during the outage: must arrive once the API answers again
    await visitor.expect(says("start.welcome"))
    await eventually(lambda: any("reachable_again" in r.message for r in caplog.records), "the recovery line")
    incident = [r.message for r in caplog.records if r.name == "bot.telegram"]
    assert [m.split()[0] for m in incident] == ["telegram.unreachable", "telegram.reachable_again"]
    assert "channel=polling" in incident[0] and "failed_attempts=3" in incident[1]


async def test_a_429_on_a_notice_is_waited_out_and_the_notice_still_goes(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    fake_api.faults["sendMessage"] = [Fault(429, retry_after=1)]
    applicant = FakeUser(fake_api, 1202, "Yann", "fr")
    applicant.send("/volunteer")
    await applicant.expect(says("volunteer.ask_kind"))
    applicant.press(says("volunteer.kind.benevole"))
    await applicant.expect(says("charter.text"))
    applicant.press(says("button.accept_charter"))
    await coordinator.expect(says("coordinator.volunteer_applied", name="Yann"))
    told = coordinator.received(says("coordinator.volunteer_applied"))
    assert len(told) == 1


async def test_an_unreachable_api_is_one_incident_for_polling_and_one_for_sending_and_nothing_is_lost(
    bot: InboxApplication, fake_api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    fake_api.unreachable = True
    # Notices come due during the outage (reminders, answers to earlier updates): three chats, two each.
    outbox = OutboxRepository(database_of(bot))
    waiting = [1211, 1212, 1213]
    for n in range(6):
        await outbox.enqueue(waiting[n % 3], Notice("visit.kept"), f"outage:{n}")
    visitor = FakeUser(fake_api, 1210, "Rose", "fr")
    visitor.send("/start")
    await eventually(
        lambda: (
            Counter(fake_api.dropped_calls)["getUpdates"] >= 3 and Counter(fake_api.dropped_calls)["sendMessage"] >= 9
        ),
        "polls and sends retried during the outage",
        wait_s=60,  # a liveness bound: polls and sends back off, a second or more between tries
    )
    fake_api.unreachable = False

    await visitor.expect(says("start.welcome"))
    await eventually(lambda: all(len(fake_api.sent_to(c)) == 2 for c in waiting), f"the notices to {waiting}")
    await eventually(lambda: sum("reachable_again" in r.getMessage() for r in caplog.records) == 2, "both recoveries")
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("bot")]
    incident = sorted(m.split(" after_s")[0].split(" reason")[0] for m in lines if m.startswith("telegram."))
    assert incident == [
        "telegram.reachable_again channel=polling",
        "telegram.reachable_again channel=sending",
        "telegram.unreachable channel=polling",
        "telegram.unreachable channel=sending",
    ]
    assert [m for m in lines if m.startswith("notice.")] == []  # no line per notice retried
    assert all(len(fake_api.sent_to(chat)) == 2 for chat in waiting)


async def test_a_bot_api_that_stops_answering_polls_is_one_incident_and_nothing_is_lost(
    settings: Settings, fake_api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    quick = settings.model_copy(update={"telegram": settings.telegram.model_copy(update={"request_timeout_s": 0.5})})
    async with running(quick, poll_timeout=1):
        polls = fake_api.call_count("getUpdates")
        fake_api.hold_calls_to("getUpdates")
        visitor = FakeUser(fake_api, 1220, "Rose", "fr")
        visitor.send("/start")  # sent while polls time out
        await eventually(lambda: fake_api.call_count("getUpdates") >= polls + 3, "polls timing out, tried again")
        fake_api.release()
        await visitor.expect(says("start.welcome"))
        await eventually(lambda: any("reachable_again" in r.getMessage() for r in caplog.records), "the recovery")
    incident = [r.getMessage() for r in caplog.records if r.getMessage().startswith("telegram.")]
    assert [m.split()[0] for m in incident] == ["telegram.unreachable", "telegram.reachable_again"]
    assert "reason=TimedOut" in incident[0]
