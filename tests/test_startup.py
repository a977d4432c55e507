"""A newcomer runs the README's command with a token and (here) the fake API's URL, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bot_process import BotProcess
from tests.catalogue import says
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
