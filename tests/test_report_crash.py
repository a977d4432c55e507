"""A report sent while the bot is killed with SIGKILL is stored once, acknowledged once, and waits for triage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bot_process import BotProcess
from tests.catalogue import says
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually


@pytest.mark.slow
async def test_a_report_cut_off_by_sigkill_is_stored_once_acknowledged_once_and_in_the_coordinators_queue(
    process: BotProcess, fake_api: FakeBotApi, db_path: Path, coordinator: FakeUser
) -> None:
    await process.start()
    marie = FakeUser(fake_api, 803, "Marie", "fr")
    marie.send("/report")
    await marie.expect(says("report.ask_where"))
    marie.share_location(44.2036, 0.6206)
    await marie.expect(says("report.ask_signs"))
    marie.press(says("sign.shutters"))
    await marie.expect(says("report.ask_signs"))

    fake_api.hold_messages_to(marie.id)
    send = marie.press(says("button.send_report"))
    await eventually(lambda: fake_api.held_calls > 0, "the bot answering Marie")
    process.kill()  # the report is stored, the update is not finished
    fake_api.release()
    assert rows(db_path, f"SELECT processed_at FROM inbox WHERE update_id = {send}") == [(None,)]
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(1,)]

    await process.start()
    await marie.expect(says("report.sent"), "S-")
    fake_api.redeliver(send)
    marie.send("/help")  # updates are processed in order: once this is answered, the duplicate was seen
    await marie.expect(says("help.anyone"))
    acknowledged = marie.received(says("report.sent"))
    assert len(acknowledged) == 1
    assert rows(db_path, "SELECT COUNT(*), MIN(source_update_id) FROM reports") == [(1, send)]

    coordinator.send("/reports")
    queue = await coordinator.expect(says("triage.list_header", count=1))
    assert next(b["callback_data"] for b in queue.buttons()) == "tr:open:1"
