"""The "/" menu follows each person's roles: everyone sees the public commands in their language; a
coordinator, a professional or a volunteer gets a menu of their own, given when the role comes and taken back
when it goes; /start shows each role its own tools."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from bot.app import running
from bot.config import Settings
from bot.i18n import SUPPORTED, telegram_languages
from bot.runtime.inbox import InboxApplication
from tests.catalogue import says, text_of
from tests.conftest import COORDINATOR_ID
from tests.desk import apply_as_volunteer, join_expert_unit
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually
from tests.test_removing_access import to_member


def menus(api: FakeBotApi, method: str = "setMyCommands") -> list[dict[str, Any]]:
    """Each call of `method`, with its scope and commands decoded."""
    found = []
    for name, params in list(api.calls):
        if name != method:
            continue
        scope = params.get("scope")
        commands = params.get("commands")
        found.append(
            {
                "scope": json.loads(scope) if isinstance(scope, str) else scope,
                "language": params.get("language_code"),
                "commands": json.loads(commands) if isinstance(commands, str) else commands,
            }
        )
    return found


def taken_back(api: FakeBotApi, chat_id: int) -> int:
    """How many times that chat's own menu was deleted (the public one applies to them again)."""
    return sum(m["scope"] == {"type": "chat", "chat_id": chat_id} for m in menus(api, "deleteMyCommands"))


def menu_of(api: FakeBotApi, chat_id: int) -> dict[str, str] | None:
    """The last menu given to that chat: command -> description."""
    given = [m for m in menus(api) if m["scope"] == {"type": "chat", "chat_id": chat_id}]
    return {c["command"]: c["description"] for c in given[-1]["commands"]} if given else None


async def become_volunteer(fake_api: FakeBotApi, coordinator: FakeUser, user_id: int) -> FakeUser:
    sami = FakeUser(fake_api, user_id, "Sami", "fr")
    await apply_as_volunteer(sami)
    await coordinator.expect(says("coordinator.volunteer_applied", name="Sami"))
    coordinator.press(says("button.approve"))
    await sami.expect(says("volunteer.approved"))
    return sami


async def test_everyone_gets_the_public_menu_in_each_language_and_the_coordinator_their_own(
    bot: InboxApplication, fake_api: FakeBotApi
) -> None:
    await eventually(lambda: menu_of(fake_api, COORDINATOR_ID) is not None, "the coordinator's menu")
    public = [m for m in menus(fake_api) if m["scope"] is None]
    languages = {code for language in SUPPORTED for code in telegram_languages(language)}
    assert {m["language"] for m in public} == {*languages, None}
    for menu in public:
        assert menu["commands"][0]["command"] == "start"
        assert not {"plan", "profile", "persons"} & {c["command"] for c in menu["commands"]}
    english = next(m for m in public if m["language"] == "en")
    assert {"command": "report", "description": text_of("en", "command.report")} in english["commands"]
    mine = menu_of(fake_api, COORDINATOR_ID)
    assert mine is not None
    assert {"reports", "plan", "team", "persons"} <= set(mine) and "start" in mine and "profile" not in mine
    assert list(mine).index("plan") < list(mine).index("start")  # their own tools first, then everyone's
    assert mine["plan"] == text_of("fr", "command.plan")  # the town's language


async def test_an_approved_volunteer_gets_their_menu_and_loses_it_when_they_erase_themselves(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    sami = await become_volunteer(fake_api, coordinator, 1501)
    await eventually(lambda: menu_of(fake_api, sami.id) is not None, "the volunteer's menu")
    menu = menu_of(fake_api, sami.id)
    assert menu is not None and "profile" in menu and "availability" in menu and "plan" not in menu
    sami.send("/forget")
    await sami.expect(says("privacy.forget_confirm"))
    sami.press(says("button.forget_me"))
    await sami.expect(says("privacy.forgotten"))
    assert taken_back(fake_api, sami.id) == 1


async def test_a_professional_joining_gets_the_files_in_their_menu_and_loses_it_when_removed(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    expert = FakeUser(fake_api, 1502, "Inès", "fr")
    await join_expert_unit(coordinator, expert)
    menu = menu_of(fake_api, expert.id)
    assert menu is not None and "persons" in menu and "plan" not in menu and "profile" not in menu
    await to_member(coordinator, "pro", 1, "Inès")
    coordinator.press(says("team.button.rmpro"))
    await coordinator.expect(says("team.confirm.rmpro", name="Inès"))
    coordinator.press(says("team.yes.rmpro"))
    await coordinator.expect(says("team.done.rmpro", name="Inès"))
    assert taken_back(fake_api, expert.id) == 1


async def test_start_shows_a_coordinator_their_tools_not_the_citizens_offer(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    coordinator.send("/start")
    home = await coordinator.expect(says("start.welcome_member"), says("help.coordinator"))
    volunteering = says("menu.volunteer")
    assert not any(volunteering.found_in(button["text"], "fr") for button in home.buttons())
    citizen = FakeUser(fake_api, 1503, "Rose", "fr")
    citizen.send("/start")
    offer = await citizen.expect(says("start.welcome"))
    assert not says("help.coordinator").found_in(offer.text, "fr") and "/plan" not in offer.text
    assert any(volunteering.found_in(button["text"], "fr") for button in offer.buttons())


async def test_a_restart_sends_only_the_menus_that_changed(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.handlers.menus")
    async with running(settings, poll_timeout=1):
        await eventually(lambda: menu_of(fake_api, COORDINATOR_ID) is not None, "the coordinator's menu")
    given = len([m for m in menus(fake_api) if m["scope"] is not None])
    caplog.clear()
    async with running(settings, poll_timeout=1):
        await eventually(lambda: any(r.message == "menus.checked changed=0" for r in caplog.records), "the check")
        coordinator.send("/start")
        await coordinator.expect(says("start.welcome_member"))
    assert len([m for m in menus(fake_api) if m["scope"] is not None]) == given
