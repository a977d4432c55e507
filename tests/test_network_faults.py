"""When the Bot API fails for a while, the bot keeps polling, loses nothing, and logs the incident once."""

from __future__ import annotations

import logging

import pytest

from bot.runtime.inbox import InboxApplication
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
    await visitor.expect("contre l'isolement")
    await eventually(lambda: any("reachable_again" in r.message for r in caplog.records), "the recovery line")
    incident = [r.message for r in caplog.records if r.name == "bot.telegram"]
    assert [m.split()[0] for m in incident] == ["telegram.unreachable", "telegram.reachable_again"]
    assert "failed_polls=3" in incident[1]


async def test_a_429_on_a_notice_is_waited_out_and_the_notice_still_goes(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    fake_api.faults["sendMessage"] = [Fault(429, retry_after=1)]
    applicant = FakeUser(fake_api, 1202, "Yann", "fr")
    applicant.send("/volunteer")
    await applicant.expect("Vous êtes")
    applicant.press("Bénévole")
    await applicant.expect("charte")
    applicant.press("J'accepte")
    await coordinator.expect("Nouvelle candidature", "Yann")
    told = [m for m in fake_api.sent_to(coordinator.id) if "Nouvelle candidature" in m.text]
    assert len(told) == 1
