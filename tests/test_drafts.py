"""A person's drafts are typed and survive a restart; drafts written by the previous version (plain JSON
objects, the report's, the person file's and the desk's under their old names and shapes) are read after an
upgrade, and one that no longer reads is dropped with a log line: the step that needed it says it is no
longer open and ends, and nothing is recorded from it."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.app import running
from bot.config import Settings
from bot.domain.visits import Outcome
from bot.handlers.drafts import ConsentDayStep, Drafts, ReportDraft, VisitReportDraft
from bot.i18n import Translations
from tests.catalogue import says
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import report_from_pin
from tests.fake_bot_api import FakeBotApi
from tests.stored_data import LOCK_WAIT_S
from tests.telegram_users import FakeUser

_ = Translations("fr").get("fr")


def keep_as_the_previous_version(db_path: Path, person: int, drafts: object, conversation: str, state: object) -> None:
    """What the previous version left in PTB's state for a person halfway through a conversation (sealed at
    the next start, like every value it wrote in clear)."""
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        conn.execute(
            "INSERT INTO ptb_state (kind, key, value) VALUES ('user_data', ?, ?)", (str(person), json.dumps(drafts))
        )
        conn.execute(
            "INSERT INTO ptb_state (kind, key, value) VALUES (?, ?, ?)",
            (f"conversation:{conversation}", json.dumps([person, person]), json.dumps(state)),
        )


async def test_a_neighbour_s_charter_shown_before_the_upgrade_is_accepted_after_it(
    settings: Settings, fake_api: FakeBotApi, db_path: Path
) -> None:
    async with running(settings, poll_timeout=1):
        pass
    street_id, street = rows(db_path, "SELECT id, name FROM streets ORDER BY id LIMIT 1")[0]
    neighbour = FakeUser(fake_api, 4401, "Nadia", "fr")
    keep_as_the_previous_version(
        db_path, neighbour.id, {"neighbour_street": street_id}, "neighbour_registration", "nb.charter"
    )
    async with running(settings, poll_timeout=1):
        neighbour.press_data("nb:accept")
        await neighbour.expect(_("neighbour.registered_main", street=street))
    assert rows(db_path, "SELECT street_id, telegram_id FROM street_watchers") == [(street_id, neighbour.id)]


async def test_an_unreadable_draft_is_dropped_and_its_step_says_it_is_no_longer_open(
    settings: Settings, fake_api: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.handlers.drafts")
    async with running(settings, poll_timeout=1):
        pass
    applicant = FakeUser(fake_api, 4402, "Yann", "fr")
    # A kind this version does not know, beside a report's draft the previous version wrote (read into its type).
    old = {"volunteer_kind": "astronaut", "report": {"channel": "telegram", "signs": ["mail"]}}
    keep_as_the_previous_version(db_path, applicant.id, old, "volunteer_signup", "vo.charter")
    async with running(settings, poll_timeout=1) as bot:
        applicant.press_data("vo:accept")
        await applicant.expect(_("common.step_closed"))
        assert "drafts.dropped field=volunteer_kind" in caplog.text
        assert bot.user_data[applicant.id].report == ReportDraft(signs=["mail"])
        applicant.press_data("vo:accept")  # the conversation ended: the charter's button is an old one now
        await applicant.expect_alert(_("fallback.stale_button"))
    assert rows(db_path, "SELECT COUNT(*) FROM volunteers") == [(0,)]


async def test_a_visit_report_whose_draft_is_gone_records_nothing(
    settings: Settings, fake_api: FakeBotApi, db_path: Path
) -> None:
    async with running(settings, poll_timeout=1):
        pass
    volunteer = FakeUser(fake_api, 4403, "Léa", "fr")
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        conn.execute(
            "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
            "VALUES (?, 'benevole', 'approved', 'x')",
            (volunteer.id,),
        )
    keep_as_the_previous_version(db_path, volunteer.id, {"visit_report": "not a draft"}, "visit_report", 0)
    async with running(settings, poll_timeout=1):
        volunteer.press_data("vr:mood:4")
        await volunteer.expect(_("common.step_closed"))
    assert rows(db_path, "SELECT COUNT(*) FROM visits WHERE outcome IS NOT NULL") == [(0,)]


def test_drafts_are_stored_whole_and_read_back_as_they_were() -> None:
    drafts = Drafts(
        visit_report=VisitReportDraft(visit=3, outcome=Outcome.DONE, needs=["meals"]),
        answering=12,
        person_edit=ConsentDayStep(person_id=4, how="oral"),
    )
    stored = drafts.dumped()
    assert stored is not None
    assert json.loads(stored) == {
        "answering": 12,
        "visit_report": {"visit": 3, "outcome": "done", "mood": None, "needs": ["meals"], "worry": False},
        "person_edit": {"step": "consent", "person_id": 4, "how": "oral"},
    }
    assert Drafts.restored(stored) == drafts
    drafts.clear()
    assert drafts.dumped() is None


# --- the drafts the previous version wrote for the report, the person file and the desk --------------------------
def street(db_path: Path, name: str) -> tuple[int, str, float, float]:
    found = rows(db_path, f"SELECT id, neighbourhood, lat, lon FROM streets WHERE name = '{name}'")
    street_id, neighbourhood, lat, lon = found[0]
    return int(str(street_id)), str(neighbourhood), float(str(lat)), float(str(lon))


def a_person(db_path: Path) -> int:
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        cursor = conn.execute(
            "INSERT INTO persons (name, address, created_by) VALUES ('Madame Lune', '', ?)", (COORDINATOR_ID,)
        )
        return int(str(cursor.lastrowid))


async def test_a_report_halfway_through_its_address_choice_before_the_upgrade_is_sent_after_it(
    settings: Settings, fake_api: FakeBotApi, db_path: Path
) -> None:
    async with running(settings, poll_timeout=1):
        pass
    street_id, neighbourhood, lat, lon = street(db_path, "Rue Paganel")
    place = {"street_id": street_id, "address": "12 Rue Paganel", "lat": lat, "lon": lon}
    old = {
        "channel": "telegram",
        "place": None,
        "typed": "12 rue paganel",
        "choices": [{**place, "neighbourhood": neighbourhood}],
        "signs": ["mail"],
        "urgency": "later",
        "anonymous": True,
        "contact_ok": False,
        "who": "la dame du 12",
        "note": None,
        "awaiting": None,
        "danger_id": None,
    }
    reporter = FakeUser(fake_api, 4404, "Odile", "fr")
    keep_as_the_previous_version(db_path, reporter.id, {"report": old}, "report", "rp.pick")
    async with running(settings, poll_timeout=1):
        reporter.press_data("rp:addr:0")
        who = says("report.who_is", who="la dame du 12")
        await reporter.expect(says("report.ask_signs", where="12 Rue Paganel"), who)
        reporter.press(says("button.send_report"))
        await reporter.expect(says("report.sent"))
    assert rows(db_path, "SELECT address, street_id, neighbourhood, signs, urgency, who IS NOT NULL FROM reports") == [
        ("12 Rue Paganel", street_id, neighbourhood, '["mail"]', "later", 1)
    ]


async def test_a_report_s_note_awaited_before_the_upgrade_is_taken_after_it(
    settings: Settings, fake_api: FakeBotApi, db_path: Path
) -> None:
    async with running(settings, poll_timeout=1):
        pass
    old = {
        "channel": "phone",
        "place": {"address": "derrière la poste"},
        "typed": "derrière la poste",
        "choices": [],
        "signs": ["need_meals"],
        "anonymous": False,
        "awaiting": "note",
    }
    keep_as_the_previous_version(db_path, COORDINATOR_ID, {"report": old}, "report", "rp.text")
    coordinator = FakeUser(fake_api, COORDINATOR_ID, "Claire", "fr")
    async with running(settings, poll_timeout=1):
        coordinator.send("Elle ne sort plus depuis l'hiver.")
        await coordinator.expect(says("report.ask_signs", where="derrière la poste"), "ne sort plus")
        coordinator.press(says("button.send_report"))
        await coordinator.expect(says("report.entered"))
    assert rows(db_path, "SELECT channel, entered_by, address, street_id, signs FROM reports") == [
        ("phone", COORDINATOR_ID, "derrière la poste", None, '["need_meals"]')
    ]


async def test_a_person_s_address_choice_shown_before_the_upgrade_is_picked_after_it(
    settings: Settings, fake_api: FakeBotApi, db_path: Path
) -> None:
    async with running(settings, poll_timeout=1):
        pass
    person_id = a_person(db_path)
    street_id, _neighbourhood, lat, lon = street(db_path, "Rue Paganel")
    choice = {"address": "14 Rue Paganel", "street_id": street_id, "lat": lat, "lon": lon}
    old = {"id": person_id, "field": "address", "choices": [choice], "typed": "14 rue paganel"}
    keep_as_the_previous_version(db_path, COORDINATOR_ID, {"person_edit": old}, "person_file", "pe.pick")
    coordinator = FakeUser(fake_api, COORDINATOR_ID, "Claire", "fr")
    async with running(settings, poll_timeout=1):
        coordinator.press_data("pe:addr:0")
        await coordinator.expect(says("person.file", name="Madame Lune", address="14 Rue Paganel"))
    assert rows(db_path, "SELECT address, street_id FROM persons") == [("14 Rue Paganel", street_id)]


async def test_a_consent_s_day_awaited_before_the_upgrade_is_recorded_after_it(
    settings: Settings, fake_api: FakeBotApi, db_path: Path
) -> None:
    async with running(settings, poll_timeout=1):
        pass
    person_id = a_person(db_path)
    old = {"person_edit": {"id": person_id, "field": "consent:written", "choices": [], "typed": None}}
    keep_as_the_previous_version(db_path, COORDINATOR_ID, {**old, "persons_query": "lune"}, "person_file", "pe.typing")
    coordinator = FakeUser(fake_api, COORDINATOR_ID, "Claire", "fr")
    async with running(settings, poll_timeout=1):
        coordinator.send("15/01/2026")
        consent = says("person.consent_given", how=says("person.consent.written"), on="15 janv. 2026")
        await coordinator.expect(says("person.file", name="Madame Lune", consent=consent))
        coordinator.press_data("pe:list:0")  # the search typed before the upgrade still holds
        await coordinator.expect(says("persons.list_header", count=1), says("persons.searched_list", query="lune"))
    assert rows(db_path, "SELECT consent_how, consent_at FROM persons") == [("written", "2026-01-15")]


async def test_the_desk_s_name_and_the_reporter_s_answer_awaited_before_the_upgrade_are_taken_after_it(
    settings: Settings, fake_api: FakeBotApi, db_path: Path
) -> None:
    reporter = FakeUser(fake_api, 4405, "Jules", "fr")
    async with running(settings, poll_timeout=1):
        reference = await report_from_pin(reporter)
    keep_as_the_previous_version(db_path, COORDINATOR_ID, {"triage_report": 1}, "triage", "tr.name")
    keep_as_the_previous_version(db_path, reporter.id, {"answering": 1}, "report_answer", "rp.answer")
    coordinator = FakeUser(fake_api, COORDINATOR_ID, "Claire", "fr")
    async with running(settings, poll_timeout=1):
        coordinator.send("Monsieur Soleil")
        await coordinator.expect(says("triage.file_opened", name="Monsieur Soleil"), reference)
        reporter.send("Il vit seul depuis le printemps.")
        await reporter.expect(says("report.answer_sent"))
        answer = says("report.reporter_answer", reference=reference, text="Il vit seul depuis le printemps.")
        await coordinator.expect(answer)
    assert rows(db_path, "SELECT name FROM persons") == [("Monsieur Soleil",)]


async def test_a_report_draft_that_no_longer_reads_is_dropped_and_its_step_says_so(
    settings: Settings, fake_api: FakeBotApi, db_path: Path
) -> None:
    async with running(settings, poll_timeout=1):
        pass
    reporter = FakeUser(fake_api, 4406, "Irène", "fr")
    old = {"report": {"channel": "pigeon", "signs": ["mail"]}}
    keep_as_the_previous_version(db_path, reporter.id, old, "report", "rp.signs")
    async with running(settings, poll_timeout=1):
        reporter.press_data("rp:send")
        await reporter.expect(_("common.step_closed"))
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(0,)]
