"""Killed with SIGKILL and started again, the bot loses nothing it stored and doubles nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bot_process import BotProcess
from tests.catalogue import says
from tests.conftest import COORDINATOR_ID, rows
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually


@pytest.mark.slow
async def test_a_registration_in_progress_resumes_after_sigkill(
    process: BotProcess, fake_api: FakeBotApi, db_path: Path
) -> None:
    await process.start()
    jeanne = FakeUser(fake_api, 801, "Jeanne", "fr")
    jeanne.send("/neighbour")
    await jeanne.expect(says("neighbour.ask_street"))
    jeanne.send("barlete")
    await jeanne.expect(says("street.pick"))
    jeanne.press("Barleté")
    await jeanne.expect(says("charter.text"))

    process.kill()
    await process.start()

    jeanne.press(says("button.accept_charter"))
    await jeanne.expect(says("neighbour.registered_main", street="Rue Barleté"))
    assert rows(db_path, "SELECT telegram_id, is_main FROM street_watchers") == [(801, 1)]


@pytest.mark.slow
async def test_an_update_cut_off_by_sigkill_is_processed_after_restart_and_a_redelivery_only_once(
    process: BotProcess, fake_api: FakeBotApi, db_path: Path, coordinator: FakeUser
) -> None:
    await process.start()
    sami = FakeUser(fake_api, 802, "Sami", "fr")
    sami.send("/volunteer")
    await sami.expect(says("volunteer.ask_kind"))
    sami.press(says("volunteer.kind.benevole"))
    await sami.expect(says("charter.text"))

    # Both the answer to Sami and the coordinator's notice hang, so the kill lands before either arrives.
    # (Were a notice accepted by Telegram just before the kill, the outbox would send it again: it
    # delivers at least once, never zero times.)
    fake_api.hold_messages_to(sami.id)
    fake_api.hold_messages_to(coordinator.id)
    accept = sami.press(says("button.accept_charter"))
    await eventually(lambda: fake_api.held_calls >= 2, "the bot answering Sami and telling the coordinator")
    process.kill()  # the application is stored, the update is not finished
    fake_api.release()
    assert rows(db_path, f"SELECT processed_at FROM inbox WHERE update_id = {accept}") == [(None,)]

    await process.start()
    await sami.expect(says("volunteer.applied"))
    await coordinator.expect(says("coordinator.volunteer_applied", name="Sami"))

    fake_api.redeliver(accept)
    sami.send("/help")  # updates are processed in order: once this is answered, the duplicate was seen
    await sami.expect(says("help.anyone"))
    applied = sami.received(says("volunteer.applied"))
    told = FakeUser(fake_api, COORDINATOR_ID).received(says("coordinator.volunteer_applied"))
    assert (len(applied), len(told)) == (1, 1)
    assert rows(db_path, "SELECT status FROM volunteers WHERE telegram_id = 802") == [("pending",)]
    assert rows(db_path, f"SELECT COUNT(*) FROM inbox WHERE update_id = {accept}") == [(1,)]
