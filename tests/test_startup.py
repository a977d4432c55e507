"""A newcomer runs the README's command with a token and (here) the fake API's URL, and nothing else."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.app import running
from bot.config import PeopleSettings, Settings
from tests.bot_process import BotProcess
from tests.catalogue import says
from tests.desk import apply_as_volunteer
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser


@pytest.mark.slow
async def test_the_bot_starts_with_only_a_token_and_an_api_url(fake_api: FakeBotApi, tmp_path: Path) -> None:
    bot = await BotProcess(fake_api, tmp_path).start()
    try:
        assert fake_api.call_count("getMe") >= 1
        visitor = FakeUser(fake_api, 9001, "Inès", "fr")
        visitor.send("/start")
        await visitor.expect(says("start.welcome"))
        assert (tmp_path / "lien.sqlite3").exists()
    finally:
        assert bot.stop() == 0
    assert "Traceback" not in bot.log.read_text()


async def test_without_a_coordinator_the_operator_is_warned_and_volunteers_are_not_promised_an_answer(
    settings: Settings, fake_api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot")
    alone = settings.model_copy(update={"people": PeopleSettings()})
    async with running(alone, poll_timeout=1):
        warnings = [r.message for r in caplog.records if r.message.startswith("people.no_coordinator")]
        assert len(warnings) == 1 and "BOT_COORDINATORS" in warnings[0]
        await apply_as_volunteer(FakeUser(fake_api, 1601, "Sami", "fr"), "volunteer.applied_unattended")
        promised = says("volunteer.applied")
        assert not any(promised.found_in(sent.text, "fr") for sent in fake_api.sent_to(1601))
