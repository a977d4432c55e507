"""The report for a neighbour with one hand in the street: where is asked in one message, the screen of signs
is short with Send at the top and the details behind one button, a typed house number is kept, the danger
flow asks nothing twice (tests/test_reports.py), and free text that says it wants to report someone is
offered the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.app import database_of
from bot.runtime.inbox import InboxApplication
from tests.catalogue import says, text_of
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import IN_AGEN, open_person, tick
from tests.fake_bot_api import FakeBotApi, Sent
from tests.telegram_users import FakeUser

MAX_ROWS = 8


def _(key: str, /, *, about: str | None = None, **params: object) -> str:
    """The French message exactly as the bot renders it."""
    return text_of("fr", key, about=about, **params)


def keyboard(message: Sent) -> list[list[dict[str, Any]]]:
    return list((message.reply_markup or {}).get("inline_keyboard", []))


async def watch(bot: InboxApplication, user: FakeUser, street: str) -> None:
    async with database_of(bot).transaction() as tx:
        await tx.execute("INSERT INTO users (telegram_id, first_name) VALUES (?, ?)", (user.id, user.first_name))
        await tx.execute(
            "INSERT INTO street_watchers (street_id, telegram_id, is_main, charter_accepted_at) "
            "VALUES ((SELECT id FROM streets WHERE name = ?), ?, 1, 'x')",
            (street, user.id),
        )


async def answers_to(user: FakeUser, text: str) -> list[Sent]:
    """The messages the bot answers `text` with: /help is answered after it in the person's queue, so once
    its answer is there, nothing more is coming."""
    before = len(user.api.sent_to(user.id))
    user.send(text)
    user.send("/help")
    await user.expect(says("help.anyone"))
    return [m for m in user.api.sent_to(user.id)[before:] if m.method == "sendMessage"][:-1]


async def test_the_screen_of_signs_has_send_first_at_most_eight_rows_and_the_details_behind_one_button(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    marie = FakeUser(fake_api, 6001, "Marie", "fr")
    marie.send("/report")
    await marie.expect(_("report.ask_where"))
    marie.share_location(*IN_AGEN)
    screen = keyboard(await marie.expect(says("report.ask_signs")))
    assert len(screen) <= MAX_ROWS
    assert [b["text"] for b in screen[0]] == [_("button.send_report")]
    labels = [b["text"] for row in screen for b in row]
    details = [_("button.who"), _("button.note"), _("button.anonymous"), _("button.contact_ok"), _("urgency.later")]
    assert not any(detail in label for detail in details for label in labels)
    assert len(labels) <= 12

    marie.press(_("button.more_details"))
    folded = keyboard(await marie.expect(_("report.details")))
    assert len(folded) <= MAX_ROWS
    labels = [b["text"] for row in folded for b in row]
    assert all(any(detail in label for label in labels) for detail in details)
    assert _("button.send_report") in labels
    marie.press(_("urgency.later"))
    await marie.expect_button("✅ " + _("urgency.later"))
    marie.press(_("button.send_report"))
    await marie.expect(says("report.sent"))

    coordinator.send("/newreport")
    await coordinator.expect(says("report.ask_channel"))
    coordinator.press(says("report.channel.phone"))
    await coordinator.expect(_("report.ask_where"))
    coordinator.share_location(*IN_AGEN)
    entered = keyboard(await coordinator.expect(says("report.ask_signs")))
    assert len(entered) <= MAX_ROWS and [b["text"] for b in entered[0]] == [_("button.send_report")]


async def test_where_is_asked_in_one_message_and_a_caring_neighbour_reports_from_their_street_in_three_taps(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    nadia = FakeUser(fake_api, 6002, "Nadia", "fr")
    await watch(bot, nadia, "Rue Paganel")
    answered = await answers_to(nadia, "/report")
    assert [m.text for m in answered] == [_("report.ask_where")]
    question = answered[0]
    big = [button for row in (question.reply_markup or {})["keyboard"] for button in row]
    assert big[0].get("request_location") is True
    assert [b["text"] for b in big[1:]] == [
        _("button.my_street", street="Rue Paganel"),
        _("button.danger_now"),
        _("button.cancel"),
    ]
    assert "rouge" not in question.text

    nadia.send("/report")
    await nadia.expect(_("report.ask_where"))
    nadia.tap(says("button.my_street", street="Rue Paganel"))
    await nadia.expect(says("report.ask_signs", where="Rue Paganel"))
    assert nadia.keyboard() == []  # the question's buttons are put away
    await tick(nadia, says("sign.mail"))
    nadia.press(says("button.send_report"))
    await nadia.expect(says("report.sent"))
    assert rows(db_path, "SELECT address, signs FROM reports") == [("Rue Paganel", '["mail"]')]


async def test_cancel_among_the_question_s_buttons_leaves_the_report_and_stores_nothing(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    leo = FakeUser(fake_api, 6003, "Léo", "fr")
    leo.send("/report")
    await leo.expect(_("report.ask_where"))
    leo.tap(says("button.cancel"))
    await leo.expect(_("common.cancelled"))
    assert leo.keyboard() == []
    leo.send("rue paganel")  # the conversation is over: this is no address any more
    await leo.expect(_("fallback.stray_text"))
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(0,)]


async def test_a_neighbour_s_street_is_asked_in_one_message_with_cancel_among_its_buttons(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    yves = FakeUser(fake_api, 6004, "Yves", "fr")
    assert [m.text for m in await answers_to(yves, "/neighbour")] == [_("neighbour.ask_street")]
    assert [b["text"] for b in yves.keyboard()] == [_("button.share_location"), _("button.cancel")]
    yves.send("/neighbour")
    await yves.expect(says("neighbour.ask_street"))
    yves.tap(says("button.cancel"))
    await yves.expect(_("common.cancelled"))
    assert rows(db_path, "SELECT COUNT(*) FROM street_watchers") == [(0,)]


async def test_a_typed_address_keeps_its_house_number_in_a_report_and_in_a_person_s_file(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    odile = FakeUser(fake_api, 6005, "Odile", "fr")
    odile.send("/report")
    await odile.expect(_("report.ask_where"))
    odile.send("12 rue paganel")
    choices = await odile.expect(_("report.pick_address", typed="12 rue paganel"))
    assert choices.buttons()[0]["text"] == "12 Rue Paganel"
    odile.press("12 Rue Paganel")
    await odile.expect(says("report.ask_signs", where="12 Rue Paganel"))
    assert odile.keyboard() == []
    await tick(odile, says("sign.shutters"))
    odile.press(says("button.send_report"))
    await odile.expect(says("report.sent"))
    assert rows(db_path, "SELECT address, street_id IS NOT NULL FROM reports") == [("12 Rue Paganel", 1)]

    async with database_of(bot).transaction() as tx:
        await tx.execute(
            "INSERT INTO persons (name, address, created_by) VALUES ('Madame Lune', '', ?)", (COORDINATOR_ID,)
        )
    await open_person(coordinator, "Madame Lune")
    coordinator.press(says("person.edit.address"))
    question = await coordinator.expect(says("person.ask_address", name="Madame Lune"))
    assert [b["text"] for b in coordinator.keyboard()] == [
        _("button.share_location"),
        _("button.back"),
        _("button.cancel"),
    ]
    coordinator.send("12 rue paganel")
    await coordinator.expect(says("report.pick_address", typed="12 rue paganel"))
    coordinator.press("12 Rue Paganel")
    await coordinator.expect(says("person.file", name="Madame Lune", address="12 Rue Paganel"))
    assert rows(db_path, "SELECT address, street_id IS NOT NULL FROM persons") == [("12 Rue Paganel", 1)]
    assert (question.reply_markup or {}).get("keyboard")  # the question and its buttons in one message

    coordinator.press(says("person.edit.address"))
    await coordinator.expect(says("person.ask_address", name="Madame Lune"))
    coordinator.tap(says("button.back"))
    await coordinator.expect(says("address.unchanged"))
    await coordinator.expect(says("person.file", name="Madame Lune", address="12 Rue Paganel"))
    assert coordinator.keyboard() == []


async def test_free_text_that_says_signaler_is_offered_a_report_in_the_reader_s_language(
    bot: InboxApplication, fake_api: FakeBotApi
) -> None:
    voisine = FakeUser(fake_api, 6006, "Josiane", "fr")
    voisine.send("bonjour, je voudrais signaler ma voisine")
    offer = await voisine.expect(_("fallback.offer_report"))
    assert offer.buttons()[0]["text"] == _("menu.report")
    voisine.press(_("menu.report"))
    await voisine.expect(_("report.ask_where"))

    neighbour = FakeUser(fake_api, 6007, "Jim", "en")
    neighbour.send("Hello, I'd like to report my neighbour")
    await neighbour.expect(says("fallback.offer_report"))  # in English, the reader's language

    greek = FakeUser(fake_api, 6008, "Eleni", "el")
    greek.send("Καλησπέρα, θέλω να κάνω μια ΑΝΑΦΟΡΑ για τη γειτόνισσά μου")
    await greek.expect(says("fallback.offer_report"))

    voisine.send("/cancel")
    await voisine.expect(_("common.cancelled"))
    voisine.send("bonjour, il fait beau")
    await voisine.expect(_("fallback.stray_text"))
