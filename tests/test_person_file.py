"""The file of a person followed, end to end: every field changed with its buttons (a few typed), /persons to
find a file, the whole file for coordinators and professionals only, and each reading in the audit log."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app import database_of
from bot.runtime.inbox import InboxApplication
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import BORDEAUX, IN_AGEN, file_from_report, join_expert_unit, open_person
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually

COLUMNS = "name, phone, needs, visits_per_month, slots, languages, visitor_gender, consent_at, consent_how, status"


def person(db_path: Path, columns: str = COLUMNS) -> tuple[object, ...]:
    found = rows(db_path, f"SELECT {columns} FROM persons WHERE id = 1")
    assert len(found) == 1
    return found[0]


def openings(db_path: Path, actor: int) -> int:
    found = rows(db_path, f"SELECT COUNT(*) FROM audit_log WHERE action = 'person.opened' AND actor = {actor}")
    return int(str(found[0][0]))


async def test_each_button_of_the_file_changes_its_field_and_the_file_shows_it(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await file_from_report(coordinator, FakeUser(fake_api, 3001, "Jeanne", "fr"), "Madame Durand", "Besoin : repas")
    await open_person(coordinator, "Madame Durand")
    before = person(db_path)
    assert before == ("Madame Durand", None, '["meals"]', 2, "[]", '["fr"]', "any", None, None, "active")

    coordinator.press("🧩 Besoins")
    await coordinator.expect("Besoins de Madame Durand")
    coordinator.press("Besoin : compagnie")
    await coordinator.expect_button("✅ Besoin : compagnie")
    coordinator.press("C'est bon")
    await coordinator.expect("Besoins : Besoin : repas, Besoin : compagnie")

    coordinator.press("🔁 Fréquence")
    await coordinator.expect("Combien de visites")
    coordinator.press("4/mois")
    await coordinator.expect("Visites par mois : 4")

    coordinator.press("🗓 Créneaux")
    await coordinator.expect("Créneaux préférés de Madame Durand")
    coordinator.press("lun. 09:30")
    await coordinator.expect_button("✅ lun. 09:30")
    coordinator.press("jeu. 14:00")
    await coordinator.expect_button("✅ jeu. 14:00")
    coordinator.press("C'est bon")
    await coordinator.expect("Créneaux préférés : lun. 09:30, jeu. 14:00")

    coordinator.press("🗣 Langues")
    await coordinator.expect("Langues parlées par Madame Durand")
    coordinator.press("occitan")
    await coordinator.expect_button("✅ occitan")
    coordinator.press("C'est bon")
    await coordinator.expect("Langues : français, occitan")

    coordinator.press("🚻 Visiteurs")
    await coordinator.expect("préfère-t-elle")
    coordinator.press("plutôt des femmes")
    await coordinator.expect("Visiteurs : plutôt des femmes")

    coordinator.press("✍️ Consentement")
    await coordinator.expect("Comment Madame Durand a-t-elle donné son accord")
    coordinator.press("Écrit")
    await coordinator.expect("quel jour")
    coordinator.press("Hier")
    await coordinator.expect("Consentement : ✍️ Écrit, le 1 mars 2026")

    coordinator.press("Mettre en pause")
    await coordinator.expect("Madame Durand</b> · en pause")
    coordinator.press("Reprendre")
    await coordinator.expect("Madame Durand</b> · suivie")
    coordinator.press("Terminer le suivi")
    await coordinator.expect("Pourquoi le suivi de Madame Durand")
    coordinator.press("A déménagé")
    await coordinator.expect("terminée (A déménagé)")

    assert person(db_path) == (
        "Madame Durand",
        None,
        '["meals", "company"]',
        4,
        '["mon-am", "thu-pm"]',
        '["fr", "oc"]',
        "female",
        "2026-03-01",
        "written",
        "ended",
    )
    assert person(db_path, "ended_reason") == ("moved",)
    changes = rows(db_path, "SELECT action FROM audit_log WHERE action LIKE 'person.changed:%' OR action LIKE '%ended'")
    assert {str(c[0]) for c in changes} >= {
        "person.changed:needs",
        "person.changed:visits_per_month",
        "person.changed:slots",
        "person.changed:languages",
        "person.changed:visitor_gender",
        "person.changed:consent_at,consent_how",
        "person.ended",
    }

    coordinator.press("Reprendre")
    await coordinator.expect("Madame Durand</b> · suivie")
    coordinator.press("✍️ Consentement")
    await coordinator.expect("donné son accord")
    coordinator.press("Retirer le consentement")
    await coordinator.expect("Consentement : ⚠️ pas encore recueilli")
    assert person(db_path, "status, ended_reason, consent_at, consent_how") == ("active", None, None, None)


async def test_name_phone_and_a_typed_date_refuse_bad_input_and_back_leaves_the_step(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await file_from_report(coordinator, FakeUser(fake_api, 3002, "Jeanne", "fr"), "Madame Roux")
    await open_person(coordinator, "Madame Roux")

    coordinator.press("✏️ Nom")
    await coordinator.expect("Nouveau nom")
    coordinator.send("🙂🙂")
    await coordinator.expect("Ce nom ne convient pas")
    coordinator.send("n" * 5000)
    await coordinator.expect("Ce nom ne convient pas")
    coordinator.press("Retour")
    await coordinator.expect("Madame Roux</b>")
    coordinator.send("Hélène Roux")  # the step is over: this is not a name any more
    await coordinator.expect("Je n'ai pas compris")
    assert person(db_path, "name") == ("Madame Roux",)
    coordinator.press("✏️ Nom")
    await coordinator.expect("Nouveau nom")
    coordinator.send("  Hélène   Roux ")
    await coordinator.expect("Hélène Roux</b>")

    coordinator.press("📞 Téléphone")
    await coordinator.expect("Numéro de téléphone")
    for wrong in ("12345", "06 12 34 56 7", "appelez-moi", "+0 12 34 56 78", "1" * 5000):
        coordinator.send(wrong)
        await coordinator.expect("Ce numéro ne convient pas")
    assert person(db_path, "phone") == (None,)
    coordinator.send("+33 6 12 34 56 78")
    await coordinator.expect("📞 06 12 34 56 78")
    coordinator.press("📞 Téléphone")
    await coordinator.expect("Numéro de téléphone")
    coordinator.send("05.53.66.12.56")
    await coordinator.expect("📞 05 53 66 12 56")
    sealed = str(person(db_path, "phone")[0])
    assert "05" not in sealed and len(sealed) > 20  # stored sealed, shown as typed normally
    coordinator.press("📞 Téléphone")
    await coordinator.expect("Numéro de téléphone")
    coordinator.press("Retirer le numéro")
    await coordinator.expect("📞 -")
    assert person(db_path, "phone") == (None,)

    coordinator.press("✍️ Consentement")
    await coordinator.expect("donné son accord")
    coordinator.press("Oral")
    await coordinator.expect("quel jour")
    for wrong in ("31/02/2026", "03/03/2026", "demain", "2026-13-01"):  # the clock says 2 March 2026
        coordinator.send(wrong)
        await coordinator.expect("Cette date ne convient pas")
    coordinator.send("15/01/2026")
    await coordinator.expect("Consentement : 🗣 Oral, le 15 janv. 2026")
    assert person(db_path, "consent_at, consent_how") == ("2026-01-15", "oral")


async def test_the_address_is_geocoded_picked_from_close_matches_or_kept_as_typed_and_a_pin_works(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await file_from_report(coordinator, FakeUser(fake_api, 3003, "Jeanne", "fr"), "Monsieur Blanc")
    await open_person(coordinator, "Monsieur Blanc")

    coordinator.press("📍 Adresse")
    await coordinator.expect("Adresse de Monsieur Blanc")
    coordinator.send("12 rue Sainte-Catherine 33000 Bordeaux")
    await coordinator.expect("en dehors de Agen")
    coordinator.share_location(*BORDEAUX)
    await coordinator.expect("en dehors de Agen")
    coordinator.send("15 bd republique")
    await coordinator.expect("Laquelle de ces adresses")
    coordinator.press("15 Boulevard de la République")
    await coordinator.expect("📍 15 Boulevard de la République")
    address, street_id, lat = person(db_path, "address, street_id, lat")
    assert address == "15 Boulevard de la République" and street_id is not None and lat is not None

    coordinator.press("📍 Adresse")
    await coordinator.expect("Adresse de Monsieur Blanc")
    coordinator.send("la maison bleue derrière le marché")
    await coordinator.expect("Je ne trouve pas")
    coordinator.press("Garder ce que j'ai écrit")
    await coordinator.expect("📍 la maison bleue derrière le marché")
    assert person(db_path, "address, street_id, lat") == ("la maison bleue derrière le marché", None, None)

    coordinator.press("📍 Adresse")
    await coordinator.expect("Adresse de Monsieur Blanc")
    coordinator.share_location(*IN_AGEN)
    await coordinator.expect("Monsieur Blanc</b>", "Consentement")
    address, street_id, lat = person(db_path, "address, street_id, lat")
    assert street_id is not None and lat == IN_AGEN[0]
    changed = rows(db_path, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.changed:address'")
    assert changed == [(3,)]


async def test_persons_lists_by_pages_and_finds_a_file_by_name_or_street(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    svc_db = database_of(clocked_bot)
    async with svc_db.transaction() as tx:
        for i in range(11):
            await tx.execute(
                "INSERT INTO persons (name, address, created_by) VALUES (?, ?, ?)",
                (f"Personne {i:02d}", f"{i} Rue des Lilas", COORDINATOR_ID),
            )
        await tx.execute(
            "INSERT INTO persons (name, address, status, created_by) VALUES (?, ?, 'ended', ?)",
            ("Hélène Marty", "15 Boulevard de la République", COORDINATOR_ID),
        )
    coordinator.send("/persons")
    first = await coordinator.expect("Personnes suivies : 12 (page 1/2)")
    labels = [b["text"] for b in first.buttons()]
    assert labels[:2] == ["Personne 00 · 0 Rue des Lilas", "Personne 01 · 1 Rue des Lilas"]
    coordinator.press("Suivants")
    second = await coordinator.expect("(page 2/2)")
    assert "⏹ Hélène Marty · 15 Boulevard de la République" in [b["text"] for b in second.buttons()]

    coordinator.send("/persons helene")
    found = await coordinator.expect("Personnes suivies : 1 (page 1/1)", "helene")
    assert found.buttons()[0]["callback_data"] == "pe:open:12"
    coordinator.press("Chercher")
    await coordinator.expect("partie du nom ou de la rue")
    coordinator.send("REPUBLIQUE")
    await coordinator.expect("Personnes suivies : 1", "REPUBLIQUE")
    coordinator.press("Chercher")
    await coordinator.expect("partie du nom ou de la rue")
    coordinator.send("nobody by that name")
    await coordinator.expect("Aucune fiche trouvée")
    coordinator.press("Tout voir")
    await coordinator.expect("Personnes suivies : 12")

    before = openings(db_path, COORDINATOR_ID)
    coordinator.press("Personne 03")
    await coordinator.expect("Personne 03</b>", "3 Rue des Lilas")
    assert openings(db_path, COORDINATOR_ID) == before + 1


async def test_professionals_see_the_whole_file_from_an_escalation_others_are_refused_and_every_reading_is_audited(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    pro = FakeUser(fake_api, 3010, "Docteur", "fr")
    await join_expert_unit(coordinator, pro)
    reporter = FakeUser(fake_api, 3011, "Gaston", "fr")
    reference = await file_from_report(coordinator, reporter, "Madame Noir")
    coordinator.press("📁 Voir la fiche")
    await coordinator.expect("Madame Noir</b>")
    coordinator.press("📞 Téléphone")
    await coordinator.expect("Numéro de téléphone")
    coordinator.send("05 53 00 00 01")
    await coordinator.expect("📞 05 53 00 00 01")

    coordinator.send("/reports")
    await coordinator.expect("Aucun signalement ici")  # nothing left to decide: the report is followed
    coordinator.press("Suivis")
    await coordinator.expect("Signalements : 1")
    coordinator.press(reference)
    await coordinator.expect(reference, "pris en charge")
    coordinator.press("Confier")
    escalated = await pro.expect("Situation confiée", reference, "souhaite rester anonyme")
    assert [b["callback_data"] for b in escalated.buttons()] == ["pe:open:1"]
    pro.press("Voir la fiche")
    shown = await pro.expect("Madame Noir</b>", "05 53 00 00 01", reference)
    assert "Gaston" not in shown.text
    assert openings(db_path, pro.id) == 1
    pro.send("/persons")
    await pro.expect("Personnes suivies : 1")
    pro.press("Madame Noir")
    await pro.expect("Madame Noir</b>", "Consentement")
    await eventually(lambda: openings(db_path, pro.id) == 2, "the second reading in the audit log")

    nosy = FakeUser(fake_api, 3012, "Curieux", "fr")
    nosy.send("/persons")
    await nosy.expect("réservée à un autre rôle")
    for forged in ("pe:open:1", "pe:freq:1:8", "pe:ask:1:name", "pe:loss:1:2026-03-01"):
        nosy.press_data(forged)
    await eventually(lambda: len([a for a in fake_api.callback_answers if "autre rôle" in str(a)]) >= 4, "4 refusals")
    assert openings(db_path, nosy.id) == 0
    assert person(db_path, "visits_per_month, bereavement_on") == (2, None)
    assert all("Madame Noir" not in m.text for m in fake_api.sent_to(nosy.id))


async def test_old_or_forged_file_buttons_change_nothing_and_are_answered(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await file_from_report(coordinator, FakeUser(fake_api, 3020, "Jeanne", "fr"), "Madame Vert")
    before = person(db_path, f"{COLUMNS}, bereavement_on, address")
    coordinator.press_data("pe:open:999")
    await coordinator.expect("Cette fiche n'existe pas")
    forged = [
        "pe:freq:1:3",  # not a frequency offered
        "pe:slot:1:sun-am",  # not a configured slot
        "pe:lang:1:zz",  # not a configured language
        "pe:loss:1:2026-03-03",  # a loss tomorrow
        "pe:cdate:1:oral:2026-02-30",  # no such day
        "pe:freq:999:4",  # no such person
        "pe:satisf:1:9",  # not a level of satisfaction
        "pe:satisf:999:4",  # no such person
    ]
    for data in forged:
        coordinator.press_data(data)
    await eventually(
        lambda: len([a for a in fake_api.callback_answers if "plus valable" in str(a.get("text"))]) >= len(forged),
        "an answer to each forged button",
    )
    coordinator.press_data("pe:freq:1:banana")  # not even the shape of a button of ours
    await coordinator.expect_alert("plus valable")
    assert person(db_path, f"{COLUMNS}, bereavement_on, address") == before
    assert rows(db_path, "SELECT COUNT(*) FROM satisfaction_answers") == [(0,)]
    assert json.loads(str(before[4])) == []
