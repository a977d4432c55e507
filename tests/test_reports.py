"""Concern reports end to end: from the street to the coordinator's desk, the expert unit, and back."""

from __future__ import annotations

from pathlib import Path

from bot.app import services_of
from bot.i18n import Translations
from bot.runtime.inbox import InboxApplication
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import BORDEAUX, IN_AGEN, join_expert_unit, open_report, report_from_pin
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser

_ = Translations("fr").get("fr")


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
    await paul.expect(_("report.ask_where"))
    paul.tap("Danger immédiat")
    await paul.expect("15", "112", "05 53 66 12 56")
    alert = await coordinator.expect("DANGER IMMÉDIAT", "Paul")
    await paul.expect(_("report.danger_where"))
    after_press = paul.new_messages()
    assert "112" in after_press[0].text  # the numbers come first, before the question of where
    assert rows(db_path, "SELECT urgency, status FROM reports") == [("danger", "new")]
    assert [b["callback_data"] for b in alert.buttons()] == ["tr:open:1"]
    assert not any("Danger" in b["text"] for b in paul.keyboard())  # raised once, not offered again

    paul.share_location(*IN_AGEN)
    screen = await paul.expect("Qu'avez-vous remarqué", _("report.danger_noted"))
    assert not any("Danger" in b["text"] for b in screen.buttons())
    paul.press("Plus de détails")
    details = await paul.expect(_("report.details"))
    assert not any(_(f"urgency.{u}") in b["text"] for b in details.buttons() for u in ("soon", "later"))
    paul.press("Retour")
    await paul.expect("Qu'avez-vous remarqué")
    paul.press("Semble malade")
    await paul.expect_button("✅ Semble malade")
    paul.press("Envoyer")
    await paul.expect("est enregistré")
    await coordinator.expect("Précisions sur le danger")
    assert rows(db_path, "SELECT urgency, signs, street_id IS NOT NULL FROM reports") == [("danger", '["unwell"]', 1)]
    asked_where = [m for m in after_press + paul.new_messages() if "Où vit la personne" in m.text]
    assert len(asked_where) == 1


async def test_danger_now_once_the_place_is_known_asks_nothing_of_it_again(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    rita = FakeUser(fake_api, 2003, "Rita", "fr")
    rita.send("/report")
    await rita.expect(_("report.ask_where"))
    rita.share_location(*IN_AGEN)
    await rita.expect("Qu'avez-vous remarqué")
    rita.press("Danger immédiat")
    await rita.expect("112")
    await rita.expect("Qu'avez-vous remarqué", _("report.danger_noted"))
    await coordinator.expect("DANGER IMMÉDIAT", "Rita")
    assert not any("Où vit la personne" in m.text for m in rita.new_messages())
    rita.press("Envoyer")
    await rita.expect("est enregistré")
    assert rows(db_path, "SELECT COUNT(*), MAX(urgency), MAX(street_id) IS NOT NULL FROM reports") == [(1, "danger", 1)]


async def test_an_anonymous_reporter_never_appears_in_what_a_professional_or_a_volunteer_is_shown(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    pro = FakeUser(fake_api, 2010, "Docteur", "fr")
    await join_expert_unit(coordinator, pro)
    volunteer = FakeUser(fake_api, 2011, "Sami", "fr")
    volunteer.send("/volunteer")
    await volunteer.expect("Vous êtes")
    volunteer.press("Bénévole")
    await volunteer.expect("charte")
    volunteer.press("J'accepte")
    await coordinator.expect("Nouvelle candidature")
    coordinator.press("Valider")
    await volunteer.expect("acceptée")

    bernadette = FakeUser(fake_api, 2012, "Bernadette", "fr")
    reference = await report_from_pin(bernadette)
    await open_report(coordinator, reference)
    await coordinator.expect("Bernadette", "anonyme pour les autres")  # the coordinator alone sees who
    coordinator.press("Confier")
    await coordinator.expect("1 professionnel")
    shown_to_pro = await pro.expect("Situation confiée", reference)
    assert "souhaite rester anonyme" in shown_to_pro.text
    volunteer.press_data("tr:open:1")
    await volunteer.expect_alert("réservée à un autre rôle")
    for person in (pro, volunteer):
        assert all("Bernadette" not in m.text for m in fake_api.sent_to(person.id))
    await bernadette.expect("confié aux professionnels", reference)


async def test_the_reporter_is_told_at_each_status_change_and_myreports_lists_the_reports(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    lucie = FakeUser(fake_api, 2020, "Lucie", "fr")
    first = await report_from_pin(lucie)
    second = await report_from_pin(lucie, "Courrier")
    await open_report(coordinator, first)
    coordinator.press("Ouvrir une fiche")
    await coordinator.expect("Nom de la personne")
    coordinator.send("Madame Durand")
    await coordinator.expect("Fiche ouverte pour Madame Durand")
    taken = await lucie.expect("pris en charge", first)
    await services_of(bot).reports.visit_planned(1)
    await lucie.expect("visite est prévue", first)
    coordinator.press("Clore")
    await coordinator.expect("Clos, l'auteur est prévenu")
    await lucie.expect("est clos", first)
    assert "Madame Durand" not in taken.text

    lucie.send("/myreports")
    listing = await lucie.expect("Vos signalements")
    assert f"{first} : ✔️ clos" in listing.text
    assert f"{second} : 🕓 reçu" in listing.text


async def test_the_coordinator_files_a_report_attaches_a_second_escalates_a_third_and_relays_a_question(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    pro = FakeUser(fake_api, 2030, "Infirmière", "fr")
    await join_expert_unit(coordinator, pro)
    jean = FakeUser(fake_api, 2031, "Jean", "fr")
    first = await report_from_pin(jean)
    second = await report_from_pin(jean, "Jamais de visite")
    third = await report_from_pin(jean, "On peut me poser des questions", "Rester anonyme")

    await open_report(coordinator, first)
    coordinator.press("Ouvrir une fiche")
    await coordinator.expect("Nom de la personne")
    coordinator.send("Monsieur Petit")
    await coordinator.expect("Fiche ouverte")

    await open_report(coordinator, second)
    coordinator.press("Rattacher")
    await coordinator.expect("même rue")
    coordinator.press("Monsieur Petit")
    await coordinator.expect("Rattaché")
    assert rows(db_path, "SELECT reference, status, person_id FROM reports ORDER BY id LIMIT 2") == [
        (first, "followed", 1),
        (second, "followed", 1),
    ]

    await open_report(coordinator, third)
    await coordinator.expect("Jean")  # not anonymous: the reporter unticked it
    coordinator.press("Confier")
    shown_to_pro = await pro.expect("Situation confiée", third)
    assert "Jean" in shown_to_pro.text
    coordinator.press("Poser une question")
    await coordinator.expect("Votre question")
    coordinator.send("Depuis quand les volets sont-ils fermés ?")
    await coordinator.expect("Question transmise")
    question = await jean.expect("question sur votre signalement", third, "volets sont-ils fermés")
    assert "Claire" not in question.text
    jean.press("Répondre")
    await jean.expect("Écrivez votre réponse")
    jean.send("Depuis lundi.")
    await jean.expect("réponse est transmise")
    await coordinator.expect("Réponse de l'auteur", third, "Depuis lundi")
    assert rows(db_path, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.created'") == [(1,)]


async def test_the_same_report_update_delivered_twice_creates_one_report(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    anne = FakeUser(fake_api, 2040, "Anne", "fr")
    anne.send("/report")
    await anne.expect("Où vit la personne")
    anne.share_location(*IN_AGEN)
    await anne.expect("Qu'avez-vous remarqué")
    send = anne.press("Envoyer")
    await anne.expect("est enregistré")
    fake_api.redeliver(send)
    anne.send("/help")
    await anne.expect("/language")
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(1,)]
    assert len([m for m in fake_api.sent_to(anne.id) if "est enregistré" in m.text]) == 1


async def test_a_place_outside_the_town_is_refused_clearly_and_nothing_is_stored(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    leo = FakeUser(fake_api, 2050, "Léo", "fr")
    leo.send("/report")
    await leo.expect("Où vit la personne")
    leo.share_location(*BORDEAUX)
    await leo.expect("en dehors de Agen")
    leo.send("12 rue Sainte-Catherine 33000 Bordeaux")
    await leo.expect("en dehors de Agen")
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(0,)]


async def test_an_unknown_address_is_kept_as_typed_rather_than_dropped(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    leo = FakeUser(fake_api, 2051, "Léo", "fr")
    leo.send("/report")
    await leo.expect("Où vit la personne")
    leo.send("la maison bleue derrière le marché")
    await leo.expect("la maison bleue")
    leo.press("Garder ce que j'ai écrit")
    await leo.expect("Qu'avez-vous remarqué", "la maison bleue")
    leo.press("Envoyer")
    await leo.expect("est enregistré")
    assert rows(db_path, "SELECT address, street_id FROM reports") == [("la maison bleue derrière le marché", None)]


async def test_a_typed_address_offers_close_matches_to_pick_from(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    leo = FakeUser(fake_api, 2052, "Léo", "fr")
    leo.send("/report")
    await leo.expect("Où vit la personne")
    leo.send("15 bd republique")
    await leo.expect("Laquelle de ces adresses")
    leo.press("République")
    await leo.expect("Qu'avez-vous remarqué", "République")
    leo.press("Envoyer")
    await leo.expect("est enregistré")
    assert rows(db_path, "SELECT address FROM reports") == [("15 Boulevard de la République",)]


async def test_five_thousand_characters_or_an_emoji_only_text_change_nothing_and_get_a_clear_answer(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    eva = FakeUser(fake_api, 2060, "Eva", "fr")
    eva.send("/report")
    await eva.expect("Où vit la personne")
    eva.send("a" * 5000)
    await eva.expect("trop long")
    eva.share_location(*IN_AGEN)
    await eva.expect("Qu'avez-vous remarqué")
    eva.press("Plus de détails")
    await eva.expect(_("report.details"))
    eva.press("Ajouter une note")
    await eva.expect("Écrivez ce qui peut aider")
    eva.send("x" * 5000)
    await eva.expect("trop long", "1000")
    eva.press("Retour")
    await eva.expect("Qu'avez-vous remarqué")
    eva.press("Plus de détails")
    await eva.expect(_("report.details"))
    eva.press("Qui ?")
    await eva.expect("Qui est-ce")
    eva.send("😀😀😀")
    await eva.expect("pas trouvé de mots")
    eva.press("Retour")
    await eva.expect("Qu'avez-vous remarqué")
    eva.press("Envoyer")
    await eva.expect("est enregistré")
    assert rows(db_path, "SELECT who, note FROM reports") == [(None, None)]

    await open_report(coordinator, "S-")
    coordinator.press("Ouvrir une fiche")
    await coordinator.expect("Nom de la personne")
    coordinator.send("🙂🙂")
    await coordinator.expect("Ce nom ne convient pas")
    coordinator.send("n" * 5000)
    await coordinator.expect("Ce nom ne convient pas")
    assert rows(db_path, "SELECT COUNT(*) FROM persons") == [(0,)]


async def test_a_button_from_an_old_message_changes_nothing_and_is_answered(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    rose = FakeUser(fake_api, 2070, "Rose", "fr")
    await report_from_pin(rose)
    rose.press_data("rp:send")
    await rose.expect_alert("plus valable")
    rose.press_data("rp:sign:mail")
    coordinator.press_data("tr:open:999")
    await coordinator.expect("n'existe pas")
    coordinator.press_data("tr:link:1:999")
    await coordinator.expect("Rien n'a changé")
    assert rows(db_path, "SELECT COUNT(*), MAX(signs), MAX(status) FROM reports") == [(1, '["shutters"]', "new")]


async def test_the_daily_digest_lists_reports_still_new_to_coordinators(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    rose = FakeUser(fake_api, 2080, "Rose", "fr")
    reference = await report_from_pin(rose)
    assert await services_of(bot).reports.send_digest() == 1
    digest = await coordinator.expect("Signalements en attente : 1", reference)
    assert "Rose" not in digest.text
    assert COORDINATOR_ID in {m.chat_id for m in fake_api.history}
