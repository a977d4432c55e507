"""Caring neighbours and volunteers register from /start; coordinators approve volunteers."""

from __future__ import annotations

from pathlib import Path

from bot.app import running
from bot.config import Settings
from bot.runtime.inbox import InboxApplication
from tests.catalogue import says
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser


async def test_a_newcomer_is_welcomed_in_their_telegram_language(bot: InboxApplication, fake_api: FakeBotApi) -> None:
    french = FakeUser(fake_api, 101, "Jeanne", "fr")
    english = FakeUser(fake_api, 102, "John", "en-GB")
    french.send("/start")
    welcome_fr = await french.expect(says("start.welcome"))
    english.send("/start")
    welcome_en = await english.expect(says("start.welcome"))
    for welcome in (welcome_fr, welcome_en):
        assert [b["callback_data"] for b in welcome.buttons()] == [
            "menu:report",
            "menu:neighbour",
            "menu:volunteer",
        ]


async def test_a_neighbour_finds_their_street_by_typing_part_of_its_name(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    jeanne = FakeUser(fake_api, 201, "Jeanne", "fr")
    jeanne.send("/start")
    await jeanne.expect(says("start.welcome"))
    jeanne.press(says("menu.neighbour"))
    await jeanne.expect(says("neighbour.ask_street"))
    jeanne.send("republique")
    await jeanne.expect(says("street.pick"))
    jeanne.press("République")
    await jeanne.expect(says("charter.text"))
    jeanne.press(says("button.accept_charter"))
    await jeanne.expect(says("neighbour.registered_main", street="Boulevard de la République"))
    assert rows(
        db_path,
        "SELECT s.name, w.is_main FROM street_watchers w JOIN streets s ON s.id = w.street_id "
        "WHERE w.telegram_id = 201",
    ) == [("Boulevard de la République", 1)]


async def test_an_edited_message_is_not_read_and_the_flow_goes_on_from_where_it_was(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    jeanne = FakeUser(fake_api, 202, "Jeanne", "fr")
    jeanne.send("/neighbour")
    await jeanne.expect(says("neighbour.ask_street"))
    jeanne.send("republique")
    await jeanne.expect(says("street.pick"))
    jeanne.edit("gambetta")
    await jeanne.expect(says("edit.ignored"))
    searches = [m for m in fake_api.sent_to(202) if jeanne.shown(m.text, says("street.pick"))]
    assert len(searches) == 1  # no new search for the edit
    jeanne.press("République")
    await jeanne.expect(says("charter.text"))
    assert rows(db_path, "SELECT COUNT(*) FROM street_watchers") == [(0,)]


async def test_a_second_neighbour_of_a_street_pinned_by_location_becomes_its_backup(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    first, second = FakeUser(fake_api, 301, "Paul", "fr"), FakeUser(fake_api, 302, "Lucie", "en")
    for user in (first, second):
        user.send("/neighbour")
        await user.expect(says("neighbour.ask_street"))
        user.share_location(44.2036, 0.6206)
        street_offer = await user.expect(says("street.nearest"))
        user.press(street_offer.buttons()[0]["text"])
        await user.expect(says("charter.text"))
        user.press(says("button.accept_charter"))
    await first.expect(says("neighbour.registered_main"))
    await second.expect(says("neighbour.registered_backup"))
    watchers = rows(db_path, "SELECT telegram_id, is_main FROM street_watchers ORDER BY telegram_id")
    assert watchers == [(301, 1), (302, 0)]


async def test_a_location_outside_the_town_is_refused_with_a_clear_message(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    paul = FakeUser(fake_api, 401, "Paul", "fr")
    paul.send("/neighbour")
    await paul.expect(says("neighbour.ask_street"))
    paul.share_location(44.8378, -0.5792)  # Bordeaux
    await paul.expect(says("street.outside_town", town="Agen"))
    assert rows(db_path, "SELECT * FROM street_watchers") == []


async def test_a_volunteer_is_approved_by_the_coordinator_with_one_button_and_told(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    sami = FakeUser(fake_api, 501, "Sami", "fr")
    sami.send("/start")
    await sami.expect(says("start.welcome"))
    sami.press(says("menu.volunteer"))
    await sami.expect(says("volunteer.ask_kind"))
    sami.press(says("volunteer.kind.service_civique"))
    await sami.expect(says("charter.text"))
    sami.press(says("button.accept_charter"))
    await sami.expect(says("volunteer.applied"))
    await coordinator.expect(
        says("coordinator.volunteer_applied", name="Sami", kind=says("volunteer.kind.service_civique"))
    )
    assert rows(db_path, "SELECT status, kind FROM volunteers WHERE telegram_id = 501") == [
        ("pending", "service_civique")
    ]
    coordinator.press(says("button.approve"))
    await coordinator.expect(says("coordinator.approved", name="Sami"))
    await sami.expect(says("volunteer.approved"))
    assert rows(db_path, "SELECT status, decided_by FROM volunteers WHERE telegram_id = 501") == [("approved", 900_001)]


async def test_cancel_leaves_a_registration_and_saves_nothing(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    lea = FakeUser(fake_api, 601, "Léa", "fr")
    lea.send("/volunteer")
    await lea.expect(says("volunteer.ask_kind"))
    lea.press(says("volunteer.kind.benevole"))
    await lea.expect(says("charter.text"))
    lea.send("/cancel")
    await lea.expect(says("common.cancelled"))
    assert rows(db_path, "SELECT * FROM volunteers") == []


async def test_unknown_commands_and_stray_text_get_a_hint(bot: InboxApplication, fake_api: FakeBotApi) -> None:
    tom = FakeUser(fake_api, 701, "Tom", "en")
    tom.send("/frobnicate")
    await tom.expect(says("fallback.unknown_command"))
    tom.send("hello?")
    await tom.expect(says("fallback.stray_text"))


async def test_language_choice_overrides_telegram_language(bot: InboxApplication, fake_api: FakeBotApi) -> None:
    tom = FakeUser(fake_api, 702, "Tom", "fr")
    tom.send("/language")
    await tom.expect(says("language.choose"))
    tom.press(says("language.name.en"))
    tom.language = "en"  # what he reads from now on, whatever his Telegram says
    await tom.expect(says("language.set"))
    tom.send("/start")
    await tom.expect(says("start.welcome"))


async def test_a_professional_joins_with_a_one_time_invitation_from_the_coordinator(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    coordinator.send("/invitepro")
    invitation = await coordinator.expect("https://t.me/")
    code = invitation.text.split("?start=")[1].split()[0]
    nurse = FakeUser(fake_api, 1101, "Agnès", "fr")
    nurse.send(f"/start {code}")
    await nurse.expect(says("professional.welcome"))
    stranger = FakeUser(fake_api, 1102, "Hugo", "fr")
    stranger.send(f"/start {code}")
    await stranger.expect(says("invitation.invalid"))
    assert rows(db_path, "SELECT telegram_id, added_by FROM professionals") == [(1101, 900_001)]


async def test_every_coordinator_is_asked_about_a_new_volunteer(fake_api: FakeBotApi, settings: Settings) -> None:
    second = FakeUser(fake_api, 900_002, "Marc", "fr")
    two_coordinators = settings.model_copy(
        update={"people": settings.people.model_copy(update={"coordinators": [900_001, 900_002]})}
    )
    async with running(two_coordinators, poll_timeout=1):
        applicant = FakeUser(fake_api, 1301, "Iris", "fr")
        applicant.send("/volunteer")
        await applicant.expect(says("volunteer.ask_kind"))
        applicant.press(says("volunteer.kind.benevole"))
        await applicant.expect(says("charter.text"))
        applicant.press(says("button.accept_charter"))
        await FakeUser(fake_api, 900_001, "Claire", "fr").expect(says("coordinator.volunteer_applied", name="Iris"))
        await second.expect(says("coordinator.volunteer_applied", name="Iris"))
