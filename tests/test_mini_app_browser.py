"""The Mini App in a real headless browser: the coordinator opens the desk with signed init data, sees the
week's routes drawn and the table, swaps a volunteer and publishes, and the pairs get their notices; a
volunteer opens their outing on a map, in Telegram's theme colours, and confirms. With WRITE_SCREENSHOTS=1 the
pictures of both pages go to docs/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from tests.browser import Browser, browser_fixture, opened_from_telegram, screenshots
from tests.catalogue import says
from tests.conftest import COORDINATOR_ID, rows
from tests.fake_bot_api import FakeBotApi
from tests.mini_app import signed_init_data, with_mini_app
from tests.telegram_users import FakeUser
from tests.test_visits import ANNE, LEA, NAMES, PAUL, seed, visit_settings
from tests.town import drafted


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from browser_fixture()


@pytest.fixture
async def week_settings(settings: Settings, db_path: Path) -> Settings:
    await seed(db_path, ["tue-pm"], 4)
    return with_mini_app(visit_settings(settings))


def pair_now(db_path: Path) -> set[int]:
    found = rows(db_path, "SELECT DISTINCT first_volunteer, second_volunteer FROM visits WHERE status = 'proposed'")
    assert len(found) == 1, found
    return {int(str(found[0][0])), int(str(found[0][1]))}


async def test_the_coordinator_sees_the_week_drawn_swaps_a_volunteer_and_publishes_from_the_desk(
    browser: Browser,
    week_settings: Settings,
    fake_api: FakeBotApi,
    coordinator: FakeUser,
    db_path: Path,
    tmp_path: Path,
) -> None:
    shots = screenshots(tmp_path)
    async with drafted(week_settings, coordinator):
        before = pair_now(db_path)
        leaving = min(before)
        spare = ({ANNE, PAUL, LEA} - before).pop()
        url = opened_from_telegram(
            f"{week_settings.webapp.public_url}/?tab=week&week=2030-W10", signed_init_data(COORDINATOR_ID)
        )

        def desk(page: Any) -> dict[str, Any]:
            page.goto(url)
            page.wait_for_selector("body[data-routes='1']")
            seen = {
                "routes": page.locator("#week-map path.route").count(),
                "doors": page.locator("#week-map .door").count(),
                "rows": page.locator("#week-table tbody tr").count(),
                "table": page.locator("#week-table").inner_text(),
            }
            page.screenshot(path=str(shots / "mini-app-week.png"))
            page.get_by_role("button", name="Changer un bénévole").first.click()
            page.get_by_role("dialog").get_by_role("button", name=NAMES[leaving]).click()
            page.get_by_role("dialog").get_by_role("button", name=NAMES[spare]).click()
            page.wait_for_selector("#status:has-text('Modifié')")
            seen["after_swap"] = page.locator("#week-table").inner_text()
            page.get_by_role("button", name="Publier").click()
            page.wait_for_selector("#status:has-text('Publié')")
            page.get_by_role("tab", name="La ville").click()
            page.wait_for_selector("body[data-streets]")
            page.screenshot(path=str(shots / "mini-app-town.png"))
            return seen

        seen = await browser.run(desk)
        assert seen["routes"] == 1 and seen["doors"] == 2 and seen["rows"] == 1
        assert "Jeanne Martin" in seen["table"] and "Mme Durand" in seen["table"]
        assert NAMES[spare] in seen["after_swap"] and NAMES[leaving] not in seen["after_swap"]
        assert pair_now(db_path) == (before - {leaving}) | {spare}
        assert rows(db_path, "SELECT status FROM week_plans") == [("published",)]
        for member in pair_now(db_path):
            await FakeUser(fake_api, member).expect(says("visit.outing"), "Jeanne")
        assert not FakeUser(fake_api, leaving).new_messages()


async def test_a_volunteer_opens_their_outing_on_a_map_and_confirms(
    browser: Browser,
    week_settings: Settings,
    fake_api: FakeBotApi,
    coordinator: FakeUser,
    db_path: Path,
    tmp_path: Path,
) -> None:
    shots = screenshots(tmp_path)
    async with drafted(week_settings, coordinator):
        coordinator.press(says("plan.publish_button"))
        await coordinator.expect(says("plan.published", sent=says("plan.visits_sent", count=2)))
        member = min(pair_now(db_path))
        told = await FakeUser(fake_api, member).expect(says("visit.outing"))
        [button] = [b for b in told.buttons() if "web_app" in b]
        dark = {"bg_color": "#17212b", "text_color": "#f5f5f5", "button_color": "#5288c1"}
        url = opened_from_telegram(button["web_app"]["url"], signed_init_data(member, NAMES[member]), dark)

        def outing(page: Any) -> dict[str, Any]:
            page.goto(url)
            page.wait_for_selector("body[data-drawn='2']")
            seen = {
                "stops": page.locator("#stops").inner_text(),
                "doors": page.locator(".door").count(),
                "background": page.evaluate("getComputedStyle(document.body).backgroundColor"),
            }
            page.screenshot(path=str(shots / "mini-app-outing.png"))
            page.get_by_role("button", name="Je confirme").click()
            page.wait_for_selector("#answer:has-text('Vous avez confirmé')")
            return seen

        seen = await browser.run(outing, width=420, height=860)
        assert "Jeanne" in seen["stops"] and "Mme D." in seen["stops"] and seen["doors"] == 2
        assert "Martin" not in seen["stops"] and "Durand" not in seen["stops"]
        assert seen["background"] == "rgb(23, 33, 43)"  # Telegram's theme, as the app passed it
        column = "first_answer" if member == min(pair_now(db_path)) else "second_answer"
        assert rows(db_path, f"SELECT DISTINCT {column} FROM visits WHERE status = 'proposed'") == [("confirmed",)]
