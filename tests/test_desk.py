"""The coordinator's desk: reports entered for someone who called or came in, the lifecycle new → triaged →
(followed / no action / escalated) → closed with the reporter told at each step, and a way back from every
typed step."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import services_of
from bot.runtime.inbox import InboxApplication
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import join_expert_unit, open_report, report_from_pin
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser


@pytest.mark.parametrize(
    ("channel", "label", "shown"),
    [("phone", "Par téléphone", "Reçu par téléphone"), ("in_person", "En personne", "Reçu en personne")],
)
async def test_a_coordinator_enters_a_report_received_by_phone_or_in_person(
    bot: InboxApplication,
    fake_api: FakeBotApi,
    coordinator: FakeUser,
    db_path: Path,
    channel: str,
    label: str,
    shown: str,
) -> None:
    coordinator.send("/newreport")
    await coordinator.expect("Comment ce signalement vous est-il arrivé")
    coordinator.press(label)
    await coordinator.expect("Où vit la personne")
    assert not any("Ma rue" in b["text"] for b in coordinator.keyboard())
    coordinator.send("15 bd republique")
    await coordinator.expect("Laquelle de ces adresses")
    coordinator.press("République")
    await coordinator.expect("Qu'avez-vous remarqué")
    coordinator.press("Plus de détails")
    details = await coordinator.expect("facultatif")
    assert not any("anonyme" in b["text"].lower() for b in details.buttons())  # the caller is not a user
    coordinator.press("Retour")
    await coordinator.expect("Qu'avez-vous remarqué")
    coordinator.press("Courrier")
    await coordinator.expect("Qu'avez-vous remarqué")
    coordinator.press("Envoyer")
    done = await coordinator.expect("Signalement", "enregistré")
    assert "Merci" not in done.text
    assert rows(db_path, "SELECT channel, reporter_id, entered_by, anonymous, signs, address FROM reports") == [
        (channel, None, COORDINATOR_ID, 0, '["mail"]', "15 Boulevard de la République")
    ]
    coordinator.send("/reports")
    await coordinator.expect("Signalements : 1")
    coordinator.press("S-")
    card = await coordinator.expect(shown)
    assert not any("Poser une question" in b["text"] for b in card.buttons())  # nobody to relay a question to


async def test_newreport_is_refused_to_anyone_but_a_coordinator(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    marc = FakeUser(fake_api, 6001, "Marc", "fr")
    marc.send("/newreport")
    await marc.expect("réservée à un autre rôle")
    marc.press_data("rp:ch:phone")
    await marc.expect_alert("plus valable")
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(0,)]


async def test_the_reporter_is_told_when_the_report_is_read_escalated_followed_and_closed(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    pro = FakeUser(fake_api, 6010, "Infirmière", "fr")
    await join_expert_unit(coordinator, pro)
    anna = FakeUser(fake_api, 6011, "Anna", "fr")
    reference = await report_from_pin(anna)

    await open_report(coordinator, reference)
    await anna.expect("a été lu par la coordination", reference)
    anna.send("/myreports")
    await anna.expect(f"{reference} : 👀 lu par la coordination")
    assert await services_of(bot).reports.send_digest() == 1  # read, not decided: still in the digest
    coordinator.send("/reports")
    await coordinator.expect("Signalements : 1")  # and still to handle

    coordinator.press(reference)
    await coordinator.expect(reference, "lu par la coordination")
    coordinator.press("Confier")
    await pro.expect("Situation confiée", reference)
    await anna.expect("confié aux professionnels", reference)
    coordinator.press("Ouvrir une fiche")
    await coordinator.expect("Nom de la personne")
    coordinator.send("Monsieur Rose")
    await coordinator.expect("Fiche ouverte pour Monsieur Rose")
    await anna.expect("pris en charge", reference)
    coordinator.press("Clore")
    await coordinator.expect("Clos, l'auteur est prévenu")
    await anna.expect("est clos", reference)
    events = rows(db_path, "SELECT kind FROM report_events ORDER BY id")
    assert [e[0] for e in events] == [
        "created",
        "status.triaged",
        "status.escalated",
        "status.followed",
        "status.closed",
    ]
    told = [m.text for m in fake_api.sent_to(anna.id) if "Votre signalement" in m.text and "enregistré" not in m.text]
    assert len(told) == 4  # read, escalated, taken in charge, closed: once each
    assert all("Monsieur Rose" not in text and "Claire" not in text for text in told)


async def test_a_report_with_no_action_tells_the_reporter_with_the_reason_kept_for_the_coordinator(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    noe = FakeUser(fake_api, 6020, "Noé", "fr")
    reference = await report_from_pin(noe)
    await open_report(coordinator, reference)
    coordinator.press("Sans suite")
    await coordinator.expect("Pourquoi sans suite")
    coordinator.press("Déjà suivie")
    await coordinator.expect("Classé sans suite")
    closed = await noe.expect("est clos", "aucune action de l'équipe n'est nécessaire")
    assert "Déjà suivie" not in closed.text
    assert rows(db_path, "SELECT status, no_action_reason FROM reports") == [("no_action", "already_helped")]
    coordinator.press_data("tr:esc:1")
    await coordinator.expect("Rien n'a changé")
    assert rows(db_path, "SELECT status FROM reports") == [("no_action",)]


async def test_back_from_the_name_or_the_question_returns_to_the_report_and_ends_the_step(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    ines = FakeUser(fake_api, 6030, "Inès", "fr")
    reference = await report_from_pin(ines, "On peut me poser des questions")
    await open_report(coordinator, reference)
    coordinator.press("Ouvrir une fiche")
    await coordinator.expect("Nom de la personne")
    coordinator.press("Retour")
    await coordinator.expect(reference, "📍")
    coordinator.send("Madame Lilas")  # the step is over: not taken as a name
    await coordinator.expect("Je n'ai pas compris")
    assert rows(db_path, "SELECT COUNT(*) FROM persons") == [(0,)]

    coordinator.press("Poser une question")
    await coordinator.expect("Votre question")
    coordinator.send("🙂")
    await coordinator.expect("pas trouvé de mots")
    coordinator.press("Retour")
    await coordinator.expect(reference, "📍")
    coordinator.send("Depuis quand ?")
    await coordinator.expect("Je n'ai pas compris")
    assert rows(db_path, "SELECT COUNT(*) FROM report_events WHERE kind = 'question.asked'") == [(0,)]
    assert all("question" not in m.text for m in fake_api.sent_to(ines.id))


async def neighbour_of(user: FakeUser, street: str = "republique") -> None:
    user.send("/neighbour")
    await user.expect("Quelle est votre rue")
    user.send(street)
    await user.expect("Laquelle")
    user.press(user.api.sent_to(user.id)[-1].buttons()[0]["text"])
    await user.expect("charte")
    user.press("J'accepte")
    await user.expect("Merci")


async def test_coverage_shows_each_neighbourhood_s_streets_with_a_main_neighbour_backups_only_or_nobody(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    main, backup = FakeUser(fake_api, 6040, "Paul", "fr"), FakeUser(fake_api, 6041, "Lucie", "fr")
    await neighbour_of(main)
    await neighbour_of(backup)
    streets = int(str(rows(db_path, "SELECT COUNT(*) FROM streets WHERE neighbourhood = 'Centre-ville'")[0][0]))
    coordinator.send("/coverage")
    summary = await coordinator.expect("Couverture des rues", f"<b>Centre-ville</b> : ✅ 1 · 🟠 0 · ⬜ {streets - 1}")
    coordinator.press("Centre-ville")
    detail = await coordinator.expect("Centre-ville</b> : ✅ 1", "⬜")
    assert detail.text.splitlines()[1] == "✅ Boulevard de la République : Paul (+1 relais)"
    assert detail.text.count("\n⬜ ") == min(streets - 1, 29)  # 30 lines a page
    assert summary.buttons()[0]["callback_data"] == "cv:area:0:0"

    main.send("/mystreets")
    await main.expect("Vos rues", "Boulevard de la République : voisin principal (1 relais)")
    main.press("Quitter")
    await main.expect("ne veillerez plus")
    main.press("Oui, quitter")
    await main.expect("C'est noté")
    offer = await backup.expect("a quitté la rue", "Boulevard de la République")
    await coordinator.expect("n'a plus de voisin principal", "Boulevard de la République")
    coordinator.send("/coverage")
    await coordinator.expect(f"<b>Centre-ville</b> : ✅ 0 · 🟠 1 · ⬜ {streets - 1}")
    coordinator.press("Centre-ville")
    await coordinator.expect("🟠 Boulevard de la République : 1 relais, pas de voisin principal")

    street_id = rows(db_path, "SELECT id FROM streets WHERE name = 'Boulevard de la République'")[0][0]
    assert [b["callback_data"] for b in offer.buttons()] == [f"nb:takemain:{street_id}"]
    backup.press("Devenir voisin principal")
    await backup.expect("Vous êtes maintenant le voisin principal")
    assert rows(db_path, "SELECT telegram_id, is_main FROM street_watchers") == [(6041, 1)]
    main.press_data(offer.buttons()[0]["callback_data"])  # not theirs any more
    await main.expect_alert("réservée à un autre rôle")

    backup.send("/mystreets")
    await backup.expect("voisin principal (0 relais)")
    backup.press("Quitter")
    await backup.expect("ne veillerez plus")
    backup.press("Oui, quitter")
    await backup.expect("C'est noté", "aucune rue")
    await coordinator.expect("n'a plus aucun voisin bienveillant", "Boulevard de la République")
    assert rows(db_path, "SELECT COUNT(*) FROM street_watchers") == [(0,)]


async def test_a_main_neighbour_hands_the_street_over_to_the_longest_serving_backup(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    main = FakeUser(fake_api, 6050, "Paul", "fr")
    first, second = FakeUser(fake_api, 6051, "Lucie", "fr"), FakeUser(fake_api, 6052, "Max", "fr")
    for user in (main, first, second):
        await neighbour_of(user)
    main.send("/mystreets")
    await main.expect("voisin principal (2 relais)")
    main.press("Passer le relais")
    await main.expect("C'est fait", "Boulevard de la République : relais")
    await first.expect("Vous êtes maintenant le voisin bienveillant principal", "Boulevard de la République")
    watchers = rows(db_path, "SELECT telegram_id, is_main FROM street_watchers ORDER BY telegram_id")
    assert watchers == [(6050, 0), (6051, 1), (6052, 0)]
    street_id = rows(db_path, "SELECT id FROM streets WHERE name = 'Boulevard de la République'")[0][0]
    main.press_data(f"nb:handover:{street_id}")  # an old button: they are not the main neighbour any more
    await main.expect("Rien n'a changé")
    second.press_data(f"nb:takemain:{street_id}")  # the street has a main neighbour
    await second.expect("Rien n'a changé")
    outsider = FakeUser(fake_api, 6053, "Zoé", "fr")
    outsider.press_data(f"nb:leaveok:{street_id}")
    await outsider.expect_alert("réservée à un autre rôle")
    assert rows(db_path, "SELECT telegram_id, is_main FROM street_watchers ORDER BY telegram_id") == watchers
