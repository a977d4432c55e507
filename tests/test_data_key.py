"""The key that seals notes and phone numbers: created owner-only on the first start, and without it (or with
another) the bot refuses to start with one line rather than write clear text or lose data."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.bot_process import BotProcess
from tests.catalogue import says
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser


async def start_expecting_refusal(bot: BotProcess) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=bot.workdir, env=bot.env, stderr=asyncio.subprocess.PIPE
    )
    _out, errors = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, errors.decode()


@pytest.mark.slow
async def test_the_key_file_is_created_owner_only_and_a_missing_or_wrong_key_stops_the_bot_with_one_line(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    bot = await BotProcess(fake_api, tmp_path).start()
    try:
        visitor = FakeUser(fake_api, 9101, "Inès", "fr")
        visitor.send("/start")
        await visitor.expect(says("start.welcome"))
    finally:
        assert bot.stop() == 0
    key = tmp_path / "lien.key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert f"data_key.created path={key}" in bot.log.read_text()

    key.unlink()
    code, errors = await start_expecting_refusal(bot)
    assert code == 2
    assert len(errors.strip().splitlines()) == 1, errors
    assert says("data_key.missing", path=str(key)).found_in(errors, "fr") and "Traceback" not in errors
    assert not key.exists()  # no new key over sealed data

    key.write_bytes(Fernet.generate_key())
    key.chmod(0o600)
    code, errors = await start_expecting_refusal(bot)
    assert code == 2
    assert len(errors.strip().splitlines()) == 1, errors
    assert says("data_key.wrong").found_in(errors, "fr") and "Traceback" not in errors

    # (The right key opening existing data again is what every restart in test_crash_recovery.py does.)
