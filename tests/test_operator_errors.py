"""What goes wrong around the bot, as its operator sees it: Telegram out of reach at start, a token Telegram
refuses, a full disk. One line per incident, never a traceback, never the token; the bot keeps running
whenever waiting can help, and loses nothing."""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from pathlib import Path

import pytest

from bot.runtime.inbox import InboxApplication
from tests.bot_process import BotProcess
from tests.catalogue import says
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually

OTHER_TOKEN = "7000000002:AAAnotherTokenTelegramDoesNotKnow_4567"


def log_lines(bot: BotProcess) -> list[str]:
    return bot.log.read_text().splitlines()


async def test_telegram_out_of_reach_at_start_is_one_line_and_the_bot_starts_when_it_is_back(
    process: BotProcess, fake_api: FakeBotApi
) -> None:
    fake_api.unreachable = True
    await asyncio.to_thread(time.sleep, 0)  # the fake answers nothing from now on
    starting = asyncio.create_task(process.start())
    await eventually(lambda: len(fake_api.dropped_calls) >= 3, "three attempts to reach Telegram")
    assert process.proc is not None and process.proc.poll() is None  # still running, waiting
    fake_api.unreachable = False
    await starting
    visitor = FakeUser(fake_api, 1301, "Rose", "fr")
    visitor.send("/start")
    await visitor.expect(says("start.welcome"))
    assert process.stop() == 0
    lines = log_lines(process)
    assert not any("Traceback" in line or "CRITICAL" in line for line in lines)
    assert sum("telegram.unreachable channel=starting" in line for line in lines) == 1
    assert sum("telegram.reachable_again channel=starting" in line for line in lines) == 1


async def test_a_stop_while_waiting_for_telegram_ends_the_bot_at_once(
    process: BotProcess, fake_api: FakeBotApi
) -> None:
    fake_api.unreachable = True
    starting = asyncio.create_task(process.start())
    await eventually(lambda: len(fake_api.dropped_calls) >= 1, "an attempt to reach Telegram")
    assert process.proc is not None
    process.proc.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(process.proc.wait, 10) == 0
    starting.cancel()
    assert "Traceback" not in process.log.read_text()


async def test_a_token_telegram_refuses_is_named_in_one_line_without_the_token(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    bot = BotProcess(fake_api, tmp_path, BOT_TOKEN=OTHER_TOKEN, BOT_DB_PATH=str(tmp_path / "lien.sqlite3"))
    with pytest.raises(AssertionError, match="did not start polling"):
        await bot.start()
    assert bot.proc is not None and bot.proc.wait(timeout=10) == 2
    # Besides the log's lines of the start (timestamped), one line for the operator.
    lines = [line for line in log_lines(bot) if line.strip() and not line[:4].isdigit()]
    assert len(lines) == 1, lines
    assert says("telegram.token_rejected").found_in(lines[0], "fr")
    assert OTHER_TOKEN.split(":")[1] not in bot.log.read_text() and "Traceback" not in bot.log.read_text()


async def test_a_full_disk_holds_the_updates_at_telegram_logs_once_and_loses_nothing(
    bot: InboxApplication, fake_api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    db = bot.bot_data["database"]
    # SQLite's own ceiling on the file's size answers exactly as a full disk does (SQLITE_FULL).
    pages = await db.fetch_one("PRAGMA page_count")
    assert pages is not None
    await db.fetch_one(f"PRAGMA max_page_count = {int(pages[0])}")
    visitors = [FakeUser(fake_api, 1310 + n, f"Voisin{n}", "fr") for n in range(20)]
    for visitor in visitors:
        visitor.send("/start " + "x" * 2000)
    await eventually(lambda: any("storage.full" in r.message for r in caplog.records), "the disk-full line")
    polls = fake_api.call_count("getUpdates")
    await asyncio.sleep(2)
    assert fake_api.call_count("getUpdates") - polls < 10  # backs off instead of polling again at once
    await db.fetch_one("PRAGMA max_page_count = 1073741823")
    for visitor in visitors:
        await visitor.expect(says("start.welcome"))
    messages = [r.message for r in caplog.records]
    assert sum(m.startswith("storage.full") for m in messages) == 1
    assert sum(m.startswith("storage.writable_again") for m in messages) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
