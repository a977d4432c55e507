"""Concern reports end to end: from the street to the coordinator's desk, the expert unit, and back."""

from __future__ import annotations

from pathlib import Path

from bot.app import services_of
from bot.runtime.inbox import InboxApplication
from tests.catalogue import says
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import BORDEAUX, IN_AGEN, join_expert_unit, open_report, report_from_pin
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser


async def test_a_report_from_a_location_pin_is_sent_in_three_taps_and_stored_before_the_thanks(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    marie = FakeUser(fake_api, 2001, "Marie", "fr")
    reference = await report_from_pin(marie)
    assert reference.endswith("-0001")
    stored = rows(db_path, "SELECT reference, channel, reporter_id, signs, anonymous, status, street_id FROM reports")
    assert len(stored) == 1
    assert stored[0][:6] == (reference, "telegram", 2001, '["shutters"]', 1, "new")
    assert stored[0][6] is not None


async def test_danger_now_shows_the_emergency_numbers_alerts_coordinators_then_asks_where_once(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    paul = FakeUser(fake_api, 2002, "Paul", "fr")
    paul.send("/report")
    await paul.expect(says("report.ask_where"))
    paul.tap(says("button.danger_now"))
    await paul.expect(says("report.emergency_numbers"), "15", "112", "05 53 66 12 56")
    alert = await coordinator.expect(says("report.danger_alert", reporter="Paul"))
    await paul.expect(says("report.danger_where"))
    after_press = paul.new_messages()
    assert "112" in after_press[0].text  # the numbers come first, before the question of where
    assert rows(db_path, "SELECT urgency, status FROM reports") == [("danger", "new")]
    assert [b["callback_data"] for b in alert.buttons()] == ["tr:open:1"]
    assert not any(paul.shown(b["text"], says("button.danger_now")) for b in paul.keyboard())  # raised once

    paul.share_location(*IN_AGEN)
    screen = await paul.expect(says("report.ask_signs"), says("report.danger_noted"))
    assert not any(paul.shown(b["text"], says("button.danger_now")) for b in screen.buttons())
    paul.press(says("button.more_details"))
    details = await paul.expect(says("report.details"))
    assert not any(paul.shown(b["text"], says(f"urgency.{u}")) for b in details.buttons() for u in ("soon", "later"))
    paul.press(says("button.back"))
    await paul.expect(says("report.ask_signs"))
    paul.press(says("sign.unwell"))
    await paul.expect(says("report.ask_signs"))
    paul.press(says("button.send_report"))
    await paul.expect(says("report.sent"))
    await coordinator.expect(says("report.danger_details"))
    assert rows(db_path, "SELECT urgency, signs, street_id IS NOT NULL FROM reports") == [("danger", '["unwell"]', 1)]
    asked_where = [m for m in after_press + paul.new_messages() if paul.shown(m.text, says("report.ask_where"))]
    assert len(asked_where) == 1  # the question of where, once after the alert (in report.danger_where)


async def test_danger_now_once_the_place_is_known_asks_nothing_of_it_again(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    rita = FakeUser(fake_api, 2003, "Rita", "fr")
    rita.send("/report")
    await rita.expect(says("report.ask_where"))
    rita.share_location(*IN_AGEN)
    await rita.expect(says("report.ask_signs"))
    rita.press(says("button.danger_now"))
    await rita.expect(says("report.emergency_numbers"), "112")
    await rita.expect(says("report.ask_signs"), says("report.danger_noted"))
    await coordinator.expect(says("report.danger_alert", reporter="Rita"))
    assert not any(rita.shown(m.text, says("report.ask_where")) for m in rita.new_messages())
    rita.press(says("button.send_report"))
    await rita.expect(says("report.sent"))
    assert rows(db_path, "SELECT COUNT(*), MAX(urgency), MAX(street_id) IS NOT NULL FROM reports") == [(1, "danger", 1)]


async def test_an_anonymous_reporter_never_appears_in_what_a_professional_or_a_volunteer_is_shown(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    pro = FakeUser(fake_api, 2010, "Docteur", "fr")
    await join_expert_unit(coordinator, pro)
    volunteer = FakeUser(fake_api, 2011, "Sami", "fr")
    volunteer.send("/volunteer")
    await volunteer.expect(says("volunteer.ask_kind"))
    volunteer.press(says("volunteer.kind.benevole"))
    await volunteer.expect(says("charter.text"))
    volunteer.press(says("button.accept_charter"))
    await coordinator.expect(says("coordinator.volunteer_applied"))
    coordinator.press(says("button.approve"))
    await volunteer.expect(says("volunteer.approved"))

    bernadette = FakeUser(fake_api, 2012, "Bernadette", "fr")
    reference = await report_from_pin(bernadette)
    await open_report(coordinator, reference)
    await coordinator.expect("Bernadette", says("triage.anonymous_to_others"))  # the coordinator alone sees who
    coordinator.press(says("button.escalate"))
    await coordinator.expect(says("triage.escalated", count=1))
    shown_to_pro = await pro.expect(says("report.escalated_to_pro", reference=reference))
    assert pro.shown(shown_to_pro.text, says("report.reporter_hidden"))
    volunteer.press_data("tr:open:1")
    await volunteer.expect_alert(says("access.refused"))
    for person in (pro, volunteer):
        assert all("Bernadette" not in m.text for m in fake_api.sent_to(person.id))
    await bernadette.expect(says("report.status.escalated", reference=reference))


async def test_the_reporter_is_told_at_each_status_change_and_myreports_lists_the_reports(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    lucie = FakeUser(fake_api, 2020, "Lucie", "fr")
    first = await report_from_pin(lucie)
    second = await report_from_pin(lucie, says("sign.mail"))
    await open_report(coordinator, first)
    coordinator.press(says("button.open_file"))
    await coordinator.expect(says("triage.ask_name"))
    coordinator.send("Madame Durand")
    await coordinator.expect(says("triage.file_opened", name="Madame Durand"))
    taken = await lucie.expect(says("report.status.taken", reference=first))
    await services_of(bot).reports.visit_planned(1)
    await lucie.expect(says("report.status.visit_planned", reference=first))
    coordinator.press(says("button.close_report"))
    await coordinator.expect(says("triage.closed"))
    await lucie.expect(says("report.status.closed", reference=first))
    assert "Madame Durand" not in taken.text

    lucie.send("/myreports")
    listing = await lucie.expect(says("report.mine"))
    closed, received = says("report.status_label.closed"), says("report.status_label.new")
    assert lucie.shown(listing.text, says("report.mine_line", reference=first, status=closed))
    assert lucie.shown(listing.text, says("report.mine_line", reference=second, status=received))


async def test_the_coordinator_files_a_report_attaches_a_second_escalates_a_third_and_relays_a_question(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    pro = FakeUser(fake_api, 2030, "Infirmière", "fr")
    await join_expert_unit(coordinator, pro)
    jean = FakeUser(fake_api, 2031, "Jean", "fr")
    first = await report_from_pin(jean)
    second = await report_from_pin(jean, says("sign.no_visitor"))
    third = await report_from_pin(jean, says("button.contact_ok"), says("button.anonymous"))

    await open_report(coordinator, first)
    coordinator.press(says("button.open_file"))
    await coordinator.expect(says("triage.ask_name"))
    coordinator.send("Monsieur Petit")
    await coordinator.expect(says("triage.file_opened"))

    await open_report(coordinator, second)
    coordinator.press(says("button.attach"))
    await coordinator.expect(says("triage.attach_pick"))
    coordinator.press("Monsieur Petit")
    await coordinator.expect(says("triage.attached"))
    assert rows(db_path, "SELECT reference, status, person_id FROM reports ORDER BY id LIMIT 2") == [
        (first, "followed", 1),
        (second, "followed", 1),
    ]

    await open_report(coordinator, third)
    await coordinator.expect("Jean")  # not anonymous: the reporter unticked it
    coordinator.press(says("button.escalate"))
    shown_to_pro = await pro.expect(says("report.escalated_to_pro", reference=third))
    assert "Jean" in shown_to_pro.text
    coordinator.press(says("button.ask_reporter"))
    await coordinator.expect(says("triage.ask_question"))
    coordinator.send("Depuis quand les volets sont-ils fermés ?")
    await coordinator.expect(says("triage.question_sent"))
    question = await jean.expect(says("report.question_to_reporter", reference=third), "volets sont-ils fermés")
    assert "Claire" not in question.text
    jean.press(says("button.answer"))
    await jean.expect(says("report.ask_answer"))
    jean.send("Depuis lundi.")
    await jean.expect(says("report.answer_sent"))
    await coordinator.expect(says("report.reporter_answer", reference=third), "Depuis lundi")
    assert rows(db_path, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.created'") == [(1,)]


async def test_the_same_report_update_delivered_twice_creates_one_report(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    anne = FakeUser(fake_api, 2040, "Anne", "fr")
    anne.send("/report")
    await anne.expect(says("report.ask_where"))
    anne.share_location(*IN_AGEN)
    await anne.expect(says("report.ask_signs"))
    send = anne.press(says("button.send_report"))
    await anne.expect(says("report.sent"))
    fake_api.redeliver(send)
    anne.send("/help")
    await anne.expect(says("help.anyone"))
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(1,)]
    assert len(anne.received(says("report.sent"))) == 1


async def test_a_place_outside_the_town_is_refused_clearly_and_nothing_is_stored(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    leo = FakeUser(fake_api, 2050, "Léo", "fr")
    leo.send("/report")
    await leo.expect(says("report.ask_where"))
    leo.share_location(*BORDEAUX)
    await leo.expect(says("report.outside_town", town="Agen"))
    leo.send("12 rue Sainte-Catherine 33000 Bordeaux")
    await leo.expect(says("report.outside_town", town="Agen"))
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(0,)]


async def test_an_unknown_address_is_kept_as_typed_rather_than_dropped(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    leo = FakeUser(fake_api, 2051, "Léo", "fr")
    leo.send("/report")
    await leo.expect(says("report.ask_where"))
    leo.send("la maison bleue derrière le marché")
    await leo.expect(says("report.address_unknown", typed="la maison bleue derrière le marché"))
    leo.press(says("button.keep_typed"))
    await leo.expect(says("report.ask_signs"), "la maison bleue")
    leo.press(says("button.send_report"))
    await leo.expect(says("report.sent"))
    assert rows(db_path, "SELECT address, street_id FROM reports") == [("la maison bleue derrière le marché", None)]


async def test_a_typed_address_offers_close_matches_to_pick_from(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    leo = FakeUser(fake_api, 2052, "Léo", "fr")
    leo.send("/report")
    await leo.expect(says("report.ask_where"))
    leo.send("15 bd republique")
    await leo.expect(says("report.pick_address"))
    leo.press("République")
    await leo.expect(says("report.ask_signs"), "République")
    leo.press(says("button.send_report"))
    await leo.expect(says("report.sent"))
    assert rows(db_path, "SELECT address FROM reports") == [("15 Boulevard de la République",)]


async def test_five_thousand_characters_or_an_emoji_only_text_change_nothing_and_get_a_clear_answer(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    eva = FakeUser(fake_api, 2060, "Eva", "fr")
    eva.send("/report")
    await eva.expect(says("report.ask_where"))
    eva.send("a" * 5000)
    await eva.expect(says("report.too_long"))
    eva.share_location(*IN_AGEN)
    await eva.expect(says("report.ask_signs"))
    eva.press(says("button.more_details"))
    await eva.expect(says("report.details"))
    eva.press(says("button.note"))
    await eva.expect(says("report.ask_note"))
    eva.send("x" * 5000)
    await eva.expect(says("report.too_long", limit=1000))
    eva.press(says("button.back"))
    await eva.expect(says("report.ask_signs"))
    eva.press(says("button.more_details"))
    await eva.expect(says("report.details"))
    eva.press(says("button.who"))
    await eva.expect(says("report.ask_who"))
    eva.send("😀😀😀")
    await eva.expect(says("report.needs_words"))
    eva.press(says("button.back"))
    await eva.expect(says("report.ask_signs"))
    eva.press(says("button.send_report"))
    await eva.expect(says("report.sent"))
    assert rows(db_path, "SELECT who, note FROM reports") == [(None, None)]

    await open_report(coordinator, "S-")
    coordinator.press(says("button.open_file"))
    await coordinator.expect(says("triage.ask_name"))
    coordinator.send("🙂🙂")
    await coordinator.expect(says("triage.bad_name"))
    coordinator.send("n" * 5000)
    await coordinator.expect(says("triage.bad_name"))
    assert rows(db_path, "SELECT COUNT(*) FROM persons") == [(0,)]


async def test_a_button_from_an_old_message_changes_nothing_and_is_answered(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    rose = FakeUser(fake_api, 2070, "Rose", "fr")
    await report_from_pin(rose)
    rose.press_data("rp:send")
    await rose.expect_alert(says("fallback.stale_button"))
    rose.press_data("rp:sign:mail")
    coordinator.press_data("tr:open:999")
    await coordinator.expect(says("triage.unknown_report"))
    coordinator.press_data("tr:link:1:999")
    await coordinator.expect(says("triage.not_changed"))
    assert rows(db_path, "SELECT COUNT(*), MAX(signs), MAX(status) FROM reports") == [(1, '["shutters"]', "new")]


async def test_the_daily_digest_lists_reports_still_new_to_coordinators(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    rose = FakeUser(fake_api, 2080, "Rose", "fr")
    reference = await report_from_pin(rose)
    assert await services_of(bot).reports.send_digest() == 1
    digest = await coordinator.expect(says("report.digest", count=1), reference)
    assert "Rose" not in digest.text
    assert COORDINATOR_ID in {m.chat_id for m in fake_api.history}
