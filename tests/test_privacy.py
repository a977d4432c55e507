"""Privacy rights end to end: notes and phone numbers sealed in the file, /mydata, /forget, a person's file
erased by a coordinator and absent from the next backup, /audit, and the bot leaving groups silently."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

from bot.app import database_of
from bot.runtime.inbox import InboxApplication
from bot.storage.persons import PersonRepository
from tests.catalogue import says
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import REFERENCE, open_report
from tests.fake_bot_api import FakeBotApi
from tests.stored_data import LOCK_WAIT_S, every_value, raw_bytes
from tests.telegram_users import FakeUser, eventually
from tests.test_selftest import selftest_asking_for_contact

NOTE = "Volets clos depuis mardi, elle ne répond plus"
QUESTION = "Connaissez-vous le nom de sa fille ?"
ANSWER = "Oui, Sandrine Laborde, elle habite Bordeaux"
PHONE = "06 12 34 56 78"


async def report_with_note(user: FakeUser) -> str:
    user.send("/report")
    await user.expect(says("report.ask_where"))
    user.share_location(44.2036, 0.6206)
    await user.expect(says("report.ask_signs"))
    user.press(says("sign.shutters"))
    await user.expect(says("report.ask_signs"))
    user.press(says("button.more_details"))
    await user.expect(says("report.details"))
    user.press(says("button.contact_ok"))
    await user.expect(says("report.details"))
    user.press(says("button.note"))
    await user.expect(says("report.ask_note"))
    user.send(NOTE)
    await user.expect(says("report.ask_signs"), "Volets clos")
    user.press(says("button.send_report"))
    thanks = await user.expect(says("report.sent"))
    found = REFERENCE.search(thanks.text)
    assert found is not None
    return found.group(0)


async def relay_a_question(coordinator: FakeUser, reporter: FakeUser, reference: str) -> None:
    await open_report(coordinator, reference)
    coordinator.press(says("button.ask_reporter"))
    await coordinator.expect(says("triage.ask_question"))
    coordinator.send(QUESTION)
    await coordinator.expect(says("triage.question_sent"))
    await reporter.expect(says("report.question_to_reporter", reference=reference, question=QUESTION))
    reporter.press(says("button.answer"))
    await reporter.expect(says("report.ask_answer"))
    reporter.send(ANSWER)
    await reporter.expect(says("report.answer_sent"))
    await coordinator.expect(says("report.reporter_answer", reference=reference, text=ANSWER))


async def open_a_file(coordinator: FakeUser, reference: str, name: str) -> None:
    await open_report(coordinator, reference)
    coordinator.press(says("button.open_file"))
    await coordinator.expect(says("triage.ask_name"))
    coordinator.send(name)
    await coordinator.expect(says("triage.file_opened", name=name))


async def become_neighbour_and_volunteer(user: FakeUser, coordinator: FakeUser) -> None:
    user.send("/neighbour")
    await user.expect(says("neighbour.ask_street"))
    user.send("republique")
    await user.expect(says("street.pick"))
    user.press("République")
    await user.expect(says("charter.text"))
    user.press(says("button.accept_charter"))
    await user.expect(says("neighbour.registered_main"))
    user.send("/volunteer")
    await user.expect(says("volunteer.ask_kind"))
    user.press(says("volunteer.kind.benevole"))
    await user.expect(says("charter.text"))
    user.press(says("button.accept_charter"))
    await coordinator.expect(says("coordinator.volunteer_applied", name=user.first_name))
    coordinator.press(says("button.approve"))
    await user.expect(says("volunteer.approved"))


def documents_to(api: FakeBotApi, chat_id: int) -> list[dict[str, Any]]:
    return [
        json.loads(params["document"]["content"])
        for method, params in list(api.calls)
        if method == "sendDocument" and int(params["chat_id"]) == chat_id
    ]


async def test_notes_relayed_answers_and_phone_numbers_are_not_in_clear_in_the_database_file(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    key_file = db_path.with_suffix(".key")
    assert key_file.stat().st_mode & 0o777 == 0o600
    reporter = FakeUser(fake_api, 5001, "Odile", "fr")
    reference = await report_with_note(reporter)
    await relay_a_question(coordinator, reporter, reference)
    await open_report(coordinator, reference)
    coordinator.press(says("button.open_file"))
    await coordinator.expect(says("triage.ask_name"))
    coordinator.send("Madame Roux")
    await coordinator.expect(says("triage.file_opened"))
    await PersonRepository(database_of(bot)).update(1, COORDINATOR_ID, {"phone": PHONE})
    coordinator.press_data("pe:open:1")
    await coordinator.expect(says("person.file", name="Madame Roux", phone=PHONE))  # the bot reads what it sealed

    stored = raw_bytes(db_path)
    for secret in (NOTE, "Volets clos", QUESTION, ANSWER, "Sandrine", PHONE, PHONE.replace(" ", "")):
        assert secret.encode() not in stored, secret
    assert b"Madame Roux" in stored  # names of persons followed are not sealed: files are listed by name


async def test_mydata_sends_the_user_a_file_with_everything_the_bot_holds_about_them(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    colette = FakeUser(fake_api, 5101, "Colette", "fr")
    await become_neighbour_and_volunteer(colette, coordinator)
    colette.send("/availability")
    await colette.expect(says("profile.grid"))
    reference = await report_with_note(colette)
    request = await selftest_asking_for_contact(colette)

    colette.send("/mydata")
    await colette.expect(says("privacy.mydata_caption"))
    (data,) = documents_to(fake_api, colette.id)
    assert isinstance(data, dict)
    assert data["user"] == [
        {
            "telegram_id": colette.id,
            "first_name": "Colette",
            "language": None,
            "telegram_language": "fr",
            "created_at": data["user"][0]["created_at"],
        }
    ]
    assert data["volunteer"][0]["status"] == "approved"
    assert data["streets_watched"][0]["street"] == "Boulevard de la République"
    assert data["reports"][0]["reference"] == reference
    assert data["reports"][0]["note"] == NOTE
    assert (data["reports"][1]["reference"], data["reports"][1]["channel"]) == (request, "self_test")
    assert {n["notice"]["key"] for n in data["notices"]} >= {"volunteer.approved"}
    assert {entry["action"] for entry in data["audit_log"]} == {"volunteer.approved"}
    assert set(data) >= {"weekly_availability", "absences", "languages", "volunteer_profile", "report_history"}


async def test_after_forget_no_table_holds_the_name_or_telegram_id_of_the_user_and_their_reports_stay(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    gisele = FakeUser(fake_api, 4_242_421, "Gisèle", "fr")
    await become_neighbour_and_volunteer(gisele, coordinator)
    reference = await report_with_note(gisele)
    await relay_a_question(coordinator, gisele, reference)
    request = await selftest_asking_for_contact(gisele)

    gisele.send("/forget")
    await gisele.expect(says("privacy.forget_confirm"))
    gisele.press(says("button.forget_me"))
    await gisele.expect(says("privacy.forgotten"))
    coordinator.send("/help")  # one more update through the bot after the erasure
    await coordinator.expect(says("help.coordinator"))

    for table, column, value in every_value(db_path, db_path.with_suffix(".key")):
        assert value != gisele.id, (table, column)
        if isinstance(value, str):
            assert str(gisele.id) not in value, (table, column, value)
            assert "Gisèle" not in value and "Gis\\u00e8le" not in value, (table, column, value)
    assert rows(db_path, "SELECT reference, reporter_id, reporter_erasure, channel FROM reports") == [
        (reference, None, 1, "telegram"),
        (request, None, 1, "self_test"),
    ]
    assert rows(db_path, "SELECT actor, action, subject FROM audit_log WHERE action = 'user.erased'") == [
        (-1, "user.erased", "erasure:1")
    ]
    # A redelivery of the erasing press is skipped, and writing again starts afresh.
    gisele.send("/myreports")
    await gisele.expect(says("report.mine_none"))


async def test_a_person_erased_by_a_coordinator_is_absent_from_the_next_backup(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path, tmp_path: Path
) -> None:
    reporter = FakeUser(fake_api, 5201, "Hélène", "fr")
    reference = await report_with_note(reporter)
    await open_a_file(coordinator, reference, "Madame Ortolan")
    await PersonRepository(database_of(bot)).update(1, COORDINATOR_ID, {"phone": PHONE})
    coordinator.press_data("pe:open:1")
    await coordinator.expect(says("person.file", name="Madame Ortolan", phone=PHONE))
    coordinator.press(says("person.edit.satisfaction"))
    await coordinator.expect(says("person.screen.satisf"))
    coordinator.press(says("person.satisfaction.3"))
    await coordinator.expect(says("person.file", name="Madame Ortolan"), says("person.satisfaction.3"))
    coordinator.press(says("person.end"))
    await coordinator.expect(says("person.screen.end"))
    coordinator.press(says("person.end_reason.left_isolation"))
    await coordinator.expect(says("person.status.ended"), says("person.end_reason.left_isolation"))
    coordinator.press(says("button.erase_file"))
    await coordinator.expect(says("privacy.erase_person_confirm", name="Madame Ortolan"))
    coordinator.press(says("button.erase_file_for_good"))
    await coordinator.expect(says("privacy.person_erased"))

    backups = tmp_path / "backups"
    environment = {**os.environ, "BOT_DB_PATH": str(db_path), "BOT_BACKUP_DIR": str(backups)}
    command = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "backup", env=environment, stderr=asyncio.subprocess.PIPE
    )
    _out, errors = await asyncio.wait_for(command.communicate(), timeout=60)
    assert command.returncode == 0, errors
    (copy,) = list(backups.iterdir())
    assert copy.stat().st_mode & 0o777 == 0o600
    assert b"Ortolan" not in copy.read_bytes()
    with closing(sqlite3.connect(copy, timeout=LOCK_WAIT_S)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT COUNT(*) FROM persons").fetchall() == [(0,)]
        assert conn.execute("SELECT COUNT(*) FROM satisfaction_answers").fetchall() == [(0,)]
        assert conn.execute("SELECT COUNT(*) FROM person_endings").fetchall() == [(0,)]
        assert conn.execute("SELECT reference, person_id, person_erasure, address FROM reports").fetchall() == [
            (reference, None, 1, None)
        ]
        assert conn.execute("SELECT actor FROM audit_log WHERE action = 'person.erased'").fetchall() == [
            (COORDINATOR_ID,)
        ]

    coordinator.send("/audit")
    log = await coordinator.expect(says("audit.header"))
    erased = says("audit.subject.erased", number=1)
    assert coordinator.shown(log.text, says("audit.action.person.erased", subject=erased)) and "Claire" in log.text
    assert coordinator.shown(log.text, says("audit.action.person.opened", subject=erased))
    # Words only: no stored code ("person.erased", "erasure:1") reaches the reader.
    assert "person." not in log.text and "erasure:" not in log.text and "user:" not in log.text


async def test_only_a_coordinator_may_erase_a_file_or_read_the_audit_log(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    reporter = FakeUser(fake_api, 5301, "Yvette", "fr")
    reference = await report_with_note(reporter)
    await open_a_file(coordinator, reference, "Monsieur Blanc")
    reporter.press_data("pv:erase_yes:1")
    await reporter.expect_alert(says("access.refused"))
    reporter.send("/audit")
    await reporter.expect(says("access.refused"))
    assert rows(db_path, "SELECT name FROM persons") == [("Monsieur Blanc",)]


async def test_added_to_a_group_the_bot_leaves_without_posting_anything(
    bot: InboxApplication, fake_api: FakeBotApi
) -> None:
    group: dict[str, Any] = {"id": -100_555, "type": "group", "title": "Voisins du quartier"}
    member = {"id": 6001, "is_bot": False, "first_name": "Paul"}
    fake_api.push_update(
        {
            "my_chat_member": {
                "chat": group,
                "from": member,
                "date": 1,
                "old_chat_member": {"status": "left", "user": {"id": 1, "is_bot": True, "first_name": "Lien"}},
                "new_chat_member": {"status": "member", "user": {"id": 1, "is_bot": True, "first_name": "Lien"}},
            }
        }
    )
    fake_api.push_update(
        {
            "message": {
                "message_id": 1,
                "date": 1,
                "chat": group,
                "from": member,
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            }
        }
    )
    await eventually(lambda: fake_api.left_chats.count(group["id"]) == 2, "the bot left the group")
    paul = FakeUser(fake_api, 6001, "Paul", "fr")
    paul.send("/start")  # processed after the group's updates
    await paul.expect(says("start.welcome"))
    assert fake_api.sent_to(-100_555) == []
