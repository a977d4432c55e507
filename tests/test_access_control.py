"""Coordinator powers are checked on the server: commands and replayed buttons change nothing for others."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.runtime.inbox import InboxApplication
from tests.catalogue import says
from tests.fake_bot_api import FakeBotApi
from tests.stored_data import LOCK_WAIT_S
from tests.telegram_users import FakeUser

COORDINATOR_COMMANDS = ["/pending", "/invitepro"]
COORDINATOR_BUTTONS = ["vol:ok:{victim}", "vol:no:{victim}"]
DOMAIN_TABLES = ["users", "volunteers", "professionals", "invitations", "street_watchers", "audit_log"]


def snapshot(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The domain tables and what was queued to be said; the outbox's delivery progress is not state."""
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        tables = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in DOMAIN_TABLES}
        tables["outbox"] = conn.execute("SELECT id, recipient, notice, dedup_key FROM outbox ORDER BY id").fetchall()
        return tables


async def _pending_volunteer(api: FakeBotApi) -> FakeUser:
    victim = FakeUser(api, 1001, "Nora", "fr")
    victim.send("/volunteer")
    await victim.expect(says("volunteer.ask_kind"))
    victim.press(says("volunteer.kind.benevole"))
    await victim.expect(says("charter.text"))
    victim.press(says("button.accept_charter"))
    await victim.expect(says("volunteer.applied"))
    return victim


@pytest.mark.parametrize("command", COORDINATOR_COMMANDS)
async def test_a_non_coordinator_is_politely_refused_every_coordinator_command(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path, command: str
) -> None:
    await _pending_volunteer(fake_api)
    intruder = FakeUser(fake_api, 1002, "Max", "fr")
    intruder.send("/start")
    await intruder.expect(says("start.welcome"))
    before = snapshot(db_path)
    intruder.send(command)
    await intruder.expect(says("access.refused"))
    assert snapshot(db_path) == before


@pytest.mark.parametrize("button", COORDINATOR_BUTTONS)
async def test_a_replayed_coordinator_button_changes_nothing_for_a_volunteer(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path, button: str
) -> None:
    victim = await _pending_volunteer(fake_api)
    before = snapshot(db_path)
    victim.press_data(button.format(victim=victim.id))
    await victim.expect_alert(says("access.refused"))
    assert snapshot(db_path) == before


async def test_a_forged_button_for_an_unknown_volunteer_is_answered_and_changes_nothing(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    coordinator.send("/start")
    await coordinator.expect(says("start.welcome_member"))
    before = snapshot(db_path)
    coordinator.press_data("vol:ok:424242")
    await coordinator.expect(says("coordinator.unknown_volunteer"))
    assert snapshot(db_path) == before


async def test_garbage_callback_data_gets_a_stale_button_alert(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    coordinator.press_data("vol:ok:1;DROP TABLE users")
    await coordinator.expect_alert(says("fallback.stale_button"))
