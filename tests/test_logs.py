"""The operator's log: one line per event, and never the token, a note someone typed or a phone number,
even when the bot runs with --log-level DEBUG."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.bot_process import BotProcess
from tests.catalogue import says
from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.telegram_users import FakeUser

NOTE = "Madame Rivière pleure souvent, appelez sa fille au 06 12 34 56 78"
LINE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) \S+ ")


@pytest.mark.slow
async def test_the_log_has_one_line_per_event_and_nothing_personal(fake_api: FakeBotApi, tmp_path: Path) -> None:
    bot = await BotProcess(fake_api, tmp_path, "--log-level", "DEBUG").start()
    try:
        eva = FakeUser(fake_api, 3101, "Eva", "fr")
        eva.send("/report")
        await eva.expect(says("report.ask_where"))
        eva.share_location(44.2036, 0.6206)
        await eva.expect(says("report.ask_signs"))
        eva.press(says("button.more_details"))
        await eva.expect(says("report.details"))
        eva.press(says("button.note"))
        await eva.expect(says("report.ask_note"))
        eva.send(NOTE)
        await eva.expect(says("report.ask_signs"))
        eva.press(says("button.send_report"))
        await eva.expect(says("report.sent"))
        eva.send("/frobnicate")  # an unknown command is logged too, as an event, not as content
        await eva.expect(says("fallback.unknown_command"))
    finally:
        assert bot.stop() == 0
    log = bot.log.read_text(encoding="utf-8")
    assert log.strip(), "the bot logged nothing"
    for secret in (TOKEN, TOKEN.split(":")[1], "Rivière", "06 12 34 56 78", "0612345678"):
        assert secret not in log
    assert [line for line in log.splitlines() if not LINE.match(line)] == []
