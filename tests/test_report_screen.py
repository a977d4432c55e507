"""The report for a neighbour with one hand in the street: where is asked in one message, the screen of signs
is short with Send at the top and the details behind one button, a typed house number is kept, the danger
flow asks nothing twice (tests/test_reports.py), and free text that says it wants to report someone is
offered the report."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from bot.i18n import Translations
from bot.runtime.inbox import InboxApplication
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import IN_AGEN, open_person, tick
from tests.fake_bot_api import FakeBotApi, Sent
from tests.telegram_users import FakeUser

_ = Translations("fr").get("fr")
en = Translations("fr").get("en")
MAX_ROWS = 8


def keyboard(message: Sent) -> list[list[dict[str, Any]]]:
    return list((message.reply_markup or {}).get("inline_keyboard", []))


def watch(db_path: Path, user: FakeUser, street: str) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute(
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
    await user.expect("/language")
    return [m for m in user.api.sent_to(user.id)[before:] if m.method == "sendMessage"][:-1]


async def test_the_screen_of_signs_has_send_first_at_most_eight_rows_and_the_details_behind_one_button(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    marie = FakeUser(fake_api, 6001, "Marie", "fr")
    marie.send("/report")
    await marie.expect(_("report.ask_where"))
    marie.share_location(*IN_AGEN)
    screen = keyboard(await marie.expect("Qu'avez-vous remarqué"))
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
    await marie.expect("est enregistré")

    coordinator.send("/newreport")
    await coordinator.expect("Comment ce signalement vous est-il arrivé")
    coordinator.press("Par téléphone")
    await coordinator.expect(_("report.ask_where"))
    coordinator.share_location(*IN_AGEN)
    entered = keyboard(await coordinator.expect("Qu'avez-vous remarqué"))
    assert len(entered) <= MAX_ROWS and [b["text"] for b in entered[0]] == [_("button.send_report")]


async def test_where_is_asked_in_one_message_and_a_caring_neighbour_reports_from_their_street_in_three_taps(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    nadia = FakeUser(fake_api, 6002, "Nadia", "fr")
    watch(db_path, nadia, "Rue Paganel")
    answered = await answers_to(nadia, "/report")
    assert [m.text for m in answered] == [_("report.ask_where")]
    question = answered[0]
    big = [button for row in (question.reply_markup or {})["keyboard"] for button in row]
    assert big[0].get("request_location") is True
    assert [b["text"] for b in big[1:]] == [
        _.label("button.my_street", street="Rue Paganel"),
        _("button.danger_now"),
        _("button.cancel"),
    ]
    assert "rouge" not in question.text

    nadia.send("/report")
    await nadia.expect(_("report.ask_where"))
    nadia.tap("Ma rue")
    await nadia.expect("Rue Paganel", "Qu'avez-vous remarqué")
    assert nadia.keyboard() == []  # the question's buttons are put away
    nadia.press("Courrier")
    await nadia.expect_button("✅ Courrier")
    nadia.press("Envoyer")
    await nadia.expect("est enregistré")
    assert rows(db_path, "SELECT address, signs FROM reports") == [("Rue Paganel", '["mail"]')]


async def test_cancel_among_the_question_s_buttons_leaves_the_report_and_stores_nothing(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    leo = FakeUser(fake_api, 6003, "Léo", "fr")
    leo.send("/report")
    await leo.expect(_("report.ask_where"))
    leo.tap("Annuler")
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
    await yves.expect("Quelle est votre rue")
    yves.tap("Annuler")
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
    await odile.expect("12 Rue Paganel", "Qu'avez-vous remarqué")
    assert odile.keyboard() == []
    await tick(odile, "Volets")
    odile.press("Envoyer")
    await odile.expect("est enregistré")
    assert rows(db_path, "SELECT address, street_id IS NOT NULL FROM reports") == [("12 Rue Paganel", 1)]

    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO persons (name, address, created_by) VALUES ('Madame Lune', '', ?)", (COORDINATOR_ID,))
    await open_person(coordinator, "Madame Lune")
    coordinator.press("📍 Adresse")
    question = await coordinator.expect("Adresse de Madame Lune")
    assert [b["text"] for b in coordinator.keyboard()] == [
        _("button.share_location"),
        _("button.back"),
        _("button.cancel"),
    ]
    coordinator.send("12 rue paganel")
    await coordinator.expect("Laquelle de ces adresses")
    coordinator.press("12 Rue Paganel")
    await coordinator.expect("Madame Lune</b>", "📍 12 Rue Paganel")
    assert rows(db_path, "SELECT address, street_id IS NOT NULL FROM persons") == [("12 Rue Paganel", 1)]
    assert question.text.count("Adresse de Madame Lune") == 1

    coordinator.press("📍 Adresse")
    await coordinator.expect("Adresse de Madame Lune")
    coordinator.tap("Retour")
    await coordinator.expect(_("address.unchanged"))
    await coordinator.expect("Madame Lune</b>", "📍 12 Rue Paganel")
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
    await neighbour.expect(en("fallback.offer_report"))

    voisine.send("/cancel")
    await voisine.expect(_("common.cancelled"))
    voisine.send("bonjour, il fait beau")
    await voisine.expect(_("fallback.stray_text"))
