"""The file of a person followed, end to end: every field changed with its buttons (a few typed), /persons to
find a file, the whole file for coordinators and professionals only, and each reading in the audit log."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app import database_of
from bot.runtime.inbox import InboxApplication
from tests.catalogue import Fragment, says, text_of
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import BORDEAUX, IN_AGEN, file_from_report, join_expert_unit, open_person
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually

COLUMNS = "name, phone, needs, visits_per_month, slots, languages, visitor_gender, consent_at, consent_how, status"


def person(db_path: Path, columns: str = COLUMNS) -> tuple[object, ...]:
    found = rows(db_path, f"SELECT {columns} FROM persons WHERE id = 1")
    assert len(found) == 1
    return found[0]


async def expect_ticked(user: FakeUser, label: Fragment) -> None:
    """The screen comes back with the button `label` ticked."""
    screen = await user.expect_button(label)
    assert any(b["text"].startswith("✅") and user.shown(b["text"], label) for b in screen.buttons()), screen.buttons()


def openings(db_path: Path, actor: int) -> int:
    found = rows(db_path, f"SELECT COUNT(*) FROM audit_log WHERE action = 'person.opened' AND actor = {actor}")
    return int(str(found[0][0]))


async def test_each_button_of_the_file_changes_its_field_and_the_file_shows_it(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await file_from_report(
        coordinator, FakeUser(fake_api, 3001, "Jeanne", "fr"), "Madame Durand", says("sign.need_meals")
    )
    await open_person(coordinator, "Madame Durand")
    before = person(db_path)
    assert before == ("Madame Durand", None, '["meals"]', 2, "[]", '["fr"]', "any", None, None, "active")

    coordinator.press(says("person.edit.needs"))
    await coordinator.expect(says("person.screen.needs", name="Madame Durand"))
    coordinator.press(says("need.company"))
    await expect_ticked(coordinator, says("need.company"))
    coordinator.press(says("button.done"))
    await coordinator.expect(says("person.file", name="Madame Durand"), says("need.meals"), says("need.company"))

    coordinator.press(says("person.edit.frequency"))
    await coordinator.expect(says("person.screen.freq"))
    coordinator.press(says("person.per_month", count=4))
    await coordinator.expect(says("person.file", frequency=4))

    coordinator.press(says("person.edit.slots"))
    await coordinator.expect(says("person.screen.slots", name="Madame Durand"))
    coordinator.press("lun. 09:30")
    await expect_ticked(coordinator, "lun. 09:30")
    coordinator.press("jeu. 14:00")
    await expect_ticked(coordinator, "jeu. 14:00")
    coordinator.press(says("button.done"))
    await coordinator.expect(says("person.file", slots="lun. 09:30, jeu. 14:00"))

    coordinator.press(says("person.edit.languages"))
    await coordinator.expect(says("person.screen.langs", name="Madame Durand"))
    coordinator.press("occitan")
    await expect_ticked(coordinator, "occitan")
    coordinator.press(says("button.done"))
    await coordinator.expect(says("person.file", languages="français, occitan"))

    coordinator.press(says("person.edit.visitors"))
    await coordinator.expect(says("person.screen.gender"))
    coordinator.press(says("person.visitors.female"))
    await coordinator.expect(says("person.file", visitors=says("person.visitors.female")))

    coordinator.press(says("person.edit.consent"))
    await coordinator.expect(says("person.screen.consent", name="Madame Durand"))
    coordinator.press(says("person.consent.written"))
    await coordinator.expect(says("person.ask_consent_date"))
    coordinator.press(says("person.yesterday"))
    written = says("person.consent_given", how=says("person.consent.written"), on="1 mars 2026")
    await coordinator.expect(says("person.file", consent=written))

    coordinator.press(says("person.set_status.paused"))
    await coordinator.expect(says("person.file", name="Madame Durand", status=says("person.status.paused")))
    coordinator.press(says("person.set_status.active"))
    await coordinator.expect(says("person.file", name="Madame Durand", status=says("person.status.active")))
    coordinator.press(says("person.end"))
    await coordinator.expect(says("person.screen.end", name="Madame Durand"))
    coordinator.press(says("person.end_reason.moved"))
    await coordinator.expect(says("person.status.ended"), says("person.end_reason.moved"))

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

    coordinator.press(says("person.set_status.active"))
    await coordinator.expect(says("person.file", name="Madame Durand", status=says("person.status.active")))
    coordinator.press(says("person.edit.consent"))
    await coordinator.expect(says("person.screen.consent"))
    coordinator.press(says("person.withdraw_consent"))
    await coordinator.expect(says("person.file", consent=says("person.consent_missing")))
    assert person(db_path, "status, ended_reason, consent_at, consent_how") == ("active", None, None, None)


async def test_name_phone_and_a_typed_date_refuse_bad_input_and_back_leaves_the_step(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await file_from_report(coordinator, FakeUser(fake_api, 3002, "Jeanne", "fr"), "Madame Roux")
    await open_person(coordinator, "Madame Roux")

    coordinator.press(says("person.edit.name"))
    await coordinator.expect(says("person.ask_name"))
    coordinator.send("🙂🙂")
    await coordinator.expect(says("triage.bad_name"))
    coordinator.send("n" * 5000)
    await coordinator.expect(says("triage.bad_name"))
    coordinator.press(says("button.back"))
    await coordinator.expect(says("person.file", name="Madame Roux"))
    coordinator.send("Hélène Roux")  # the step is over: this is not a name any more
    await coordinator.expect(says("fallback.stray_text"))
    assert person(db_path, "name") == ("Madame Roux",)
    coordinator.press(says("person.edit.name"))
    await coordinator.expect(says("person.ask_name"))
    coordinator.send("  Hélène   Roux ")
    await coordinator.expect(says("person.file", name="Hélène Roux"))

    coordinator.press(says("person.edit.phone"))
    await coordinator.expect(says("person.ask_phone"))
    for wrong in ("12345", "06 12 34 56 7", "appelez-moi", "+0 12 34 56 78", "1" * 5000):
        coordinator.send(wrong)
        await coordinator.expect(says("person.bad_phone"))
    assert person(db_path, "phone") == (None,)
    coordinator.send("+33 6 12 34 56 78")
    await coordinator.expect(says("person.file", phone="06 12 34 56 78"))
    coordinator.press(says("person.edit.phone"))
    await coordinator.expect(says("person.ask_phone"))
    coordinator.send("05.53.66.12.56")
    await coordinator.expect(says("person.file", phone="05 53 66 12 56"))
    sealed = str(person(db_path, "phone")[0])
    assert "05" not in sealed and len(sealed) > 20  # stored sealed, shown as typed normally
    coordinator.press(says("person.edit.phone"))
    await coordinator.expect(says("person.ask_phone"))
    coordinator.press(says("person.remove_phone"))
    await coordinator.expect(says("person.file", phone="-"))
    assert person(db_path, "phone") == (None,)

    coordinator.press(says("person.edit.consent"))
    await coordinator.expect(says("person.screen.consent"))
    coordinator.press(says("person.consent.oral"))
    await coordinator.expect(says("person.ask_consent_date"))
    for wrong in ("31/02/2026", "03/03/2026", "demain", "2026-13-01"):  # the clock says 2 March 2026
        coordinator.send(wrong)
        await coordinator.expect(says("person.bad_date"))
    coordinator.send("15/01/2026")
    oral = says("person.consent_given", how=says("person.consent.oral"), on="15 janv. 2026")
    await coordinator.expect(says("person.file", consent=oral))
    assert person(db_path, "consent_at, consent_how") == ("2026-01-15", "oral")


async def test_the_address_is_geocoded_picked_from_close_matches_or_kept_as_typed_and_a_pin_works(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await file_from_report(coordinator, FakeUser(fake_api, 3003, "Jeanne", "fr"), "Monsieur Blanc")
    await open_person(coordinator, "Monsieur Blanc")

    coordinator.press(says("person.edit.address"))
    await coordinator.expect(says("person.ask_address", name="Monsieur Blanc"))
    coordinator.send("12 rue Sainte-Catherine 33000 Bordeaux")
    await coordinator.expect(says("report.outside_town", town="Agen"))
    coordinator.share_location(*BORDEAUX)
    await coordinator.expect(says("report.outside_town", town="Agen"))
    coordinator.send("15 bd republique")
    await coordinator.expect(says("report.pick_address"))
    coordinator.press("15 Boulevard de la République")
    await coordinator.expect(says("person.file", address="15 Boulevard de la République"))
    address, street_id, lat = person(db_path, "address, street_id, lat")
    assert address == "15 Boulevard de la République" and street_id is not None and lat is not None

    coordinator.press(says("person.edit.address"))
    await coordinator.expect(says("person.ask_address", name="Monsieur Blanc"))
    coordinator.send("la maison bleue derrière le marché")
    await coordinator.expect(says("report.address_unknown"))
    coordinator.press(says("button.keep_typed"))
    await coordinator.expect(says("person.file", address="la maison bleue derrière le marché"))
    assert person(db_path, "address, street_id, lat") == ("la maison bleue derrière le marché", None, None)

    coordinator.press(says("person.edit.address"))
    await coordinator.expect(says("person.ask_address", name="Monsieur Blanc"))
    coordinator.share_location(*IN_AGEN)
    await coordinator.expect(says("person.file", name="Monsieur Blanc"))
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
    first = await coordinator.expect(says("persons.list_header", count=12), says("page.marker", number=1, count=2))
    assert text_of("fr", "persons.list_line", mark="", name="Personne 00", address="0 Rue des Lilas") in first.text
    labels = [b["text"] for b in first.buttons()]
    assert labels[:2] == ["Personne 00", "Personne 01"]
    coordinator.press(says("page.next", number=2))
    second = await coordinator.expect(says("page.marker", number=2, count=2))
    assert "⏹ Hélène Marty" in [b["text"] for b in second.buttons()]

    coordinator.send("/persons helene")
    found = await coordinator.expect(says("persons.list_header", count=1), "helene")
    assert not coordinator.shown(found.text, says("page.marker"))
    assert found.buttons()[0]["callback_data"] == "pe:open:12"
    coordinator.press(says("persons.search"))
    await coordinator.expect(says("persons.ask_search"))
    coordinator.send("REPUBLIQUE")
    await coordinator.expect(says("persons.list_header", count=1), "REPUBLIQUE")
    coordinator.press(says("persons.search"))
    await coordinator.expect(says("persons.ask_search"))
    coordinator.send("nobody by that name")
    await coordinator.expect(says("persons.none"))
    coordinator.press(says("persons.show_all"))
    await coordinator.expect(says("persons.list_header", count=12))

    before = openings(db_path, COORDINATOR_ID)
    coordinator.press("Personne 03")
    await coordinator.expect(says("person.file", name="Personne 03", address="3 Rue des Lilas"))
    assert openings(db_path, COORDINATOR_ID) == before + 1


async def test_professionals_see_the_whole_file_from_an_escalation_others_are_refused_and_every_reading_is_audited(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    pro = FakeUser(fake_api, 3010, "Docteur", "fr")
    await join_expert_unit(coordinator, pro)
    reporter = FakeUser(fake_api, 3011, "Gaston", "fr")
    reference = await file_from_report(coordinator, reporter, "Madame Noir")
    coordinator.press(says("button.see_file"))
    await coordinator.expect(says("person.file", name="Madame Noir"))
    coordinator.press(says("person.edit.phone"))
    await coordinator.expect(says("person.ask_phone"))
    coordinator.send("05 53 00 00 01")
    await coordinator.expect(says("person.file", phone="05 53 00 00 01"))

    coordinator.send("/reports")
    await coordinator.expect(says("triage.empty"))  # nothing left to decide: the report is followed
    coordinator.press(says("report.filter.followed"))
    await coordinator.expect(says("triage.list_header", count=1))
    coordinator.press(reference)
    await coordinator.expect(reference, says("report.status_label.followed"))
    coordinator.press(says("button.escalate"))
    escalated = await pro.expect(says("report.escalated_to_pro", reference=reference), says("report.reporter_hidden"))
    assert [b["callback_data"] for b in escalated.buttons()] == ["pe:open:1"]
    pro.press(says("button.see_file"))
    shown = await pro.expect(says("person.file", name="Madame Noir", phone="05 53 00 00 01"), reference)
    assert "Gaston" not in shown.text
    assert openings(db_path, pro.id) == 1
    pro.send("/persons")
    await pro.expect(says("persons.list_header", count=1))
    pro.press("Madame Noir")
    await pro.expect(says("person.file", name="Madame Noir"))
    await eventually(lambda: openings(db_path, pro.id) == 2, "the second reading in the audit log")

    nosy = FakeUser(fake_api, 3012, "Curieux", "fr")
    nosy.send("/persons")
    await nosy.expect(says("access.refused"))
    for forged in ("pe:open:1", "pe:freq:1:8", "pe:ask:1:name", "pe:loss:1:2026-03-01"):
        nosy.press_data(forged)
    refused = says("access.refused")
    await eventually(
        lambda: sum(nosy.shown(str(a.get("text", "")), refused) for a in fake_api.callback_answers) >= 4, "4 refusals"
    )
    assert openings(db_path, nosy.id) == 0
    assert person(db_path, "visits_per_month, bereavement_on") == (2, None)
    assert all("Madame Noir" not in m.text for m in fake_api.sent_to(nosy.id))


async def test_old_or_forged_file_buttons_change_nothing_and_are_answered(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await file_from_report(coordinator, FakeUser(fake_api, 3020, "Jeanne", "fr"), "Madame Vert")
    before = person(db_path, f"{COLUMNS}, bereavement_on, address")
    coordinator.press_data("pe:open:999")
    await coordinator.expect(says("person.unknown"))
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
    stale = says("fallback.stale_button")
    await eventually(
        lambda: sum(coordinator.shown(str(a.get("text")), stale) for a in fake_api.callback_answers) >= len(forged),
        "an answer to each forged button",
    )
    coordinator.press_data("pe:freq:1:banana")  # not even the shape of a button of ours
    await coordinator.expect_alert(says("fallback.stale_button"))
    assert person(db_path, f"{COLUMNS}, bereavement_on, address") == before
    assert rows(db_path, "SELECT COUNT(*) FROM satisfaction_answers") == [(0,)]
    assert json.loads(str(before[4])) == []
