"""The coordinator's desk: reports entered for someone who called or came in, the lifecycle new → triaged →
(followed / no action / escalated) → closed with the reporter told at each step, and a way back from every
typed step."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import services_of
from bot.runtime.inbox import InboxApplication
from tests.catalogue import Says, family, says, text_of
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import join_expert_unit, open_report, report_from_pin
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser


@pytest.mark.parametrize(
    ("channel", "label", "shown"),
    [
        ("phone", says("report.channel.phone"), says("triage.channel.phone")),
        ("in_person", says("report.channel.in_person"), says("triage.channel.in_person")),
    ],
)
async def test_a_coordinator_enters_a_report_received_by_phone_or_in_person(
    bot: InboxApplication,
    fake_api: FakeBotApi,
    coordinator: FakeUser,
    db_path: Path,
    channel: str,
    label: Says,
    shown: Says,
) -> None:
    coordinator.send("/newreport")
    await coordinator.expect(says("report.ask_channel"))
    coordinator.press(label)
    await coordinator.expect(says("report.ask_where"))
    assert not any(coordinator.shown(b["text"], says("button.my_street")) for b in coordinator.keyboard())
    coordinator.send("15 bd republique")
    await coordinator.expect(says("report.pick_address"))
    coordinator.press("République")
    await coordinator.expect(says("report.ask_signs"))
    coordinator.press(says("button.more_details"))
    details = await coordinator.expect(says("report.details"))
    assert not any(coordinator.shown(b["text"], says("button.anonymous")) for b in details.buttons())  # not a user
    coordinator.press(says("button.back"))
    await coordinator.expect(says("report.ask_signs"))
    coordinator.press(says("sign.mail"))
    await coordinator.expect(says("report.ask_signs"))
    coordinator.press(says("button.send_report"))
    done = await coordinator.expect(says("report.entered"))
    assert not coordinator.shown(done.text, says("report.sent"))  # no thanks to the coordinator
    assert rows(db_path, "SELECT channel, reporter_id, entered_by, anonymous, signs, address FROM reports") == [
        (channel, None, COORDINATOR_ID, 0, '["mail"]', "15 Boulevard de la République")
    ]
    coordinator.send("/reports")
    await coordinator.expect(says("triage.list_header", count=1))
    coordinator.press("S-")
    card = await coordinator.expect(shown)
    asking = says("button.ask_reporter")
    assert not any(coordinator.shown(b["text"], asking) for b in card.buttons())  # nobody to relay a question to


async def test_newreport_is_refused_to_anyone_but_a_coordinator(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    marc = FakeUser(fake_api, 6001, "Marc", "fr")
    marc.send("/newreport")
    await marc.expect(says("access.refused"))
    marc.press_data("rp:ch:phone")
    await marc.expect_alert(says("fallback.stale_button"))
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(0,)]


async def test_the_reporter_is_told_when_the_report_is_read_escalated_followed_and_closed(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    pro = FakeUser(fake_api, 6010, "Infirmière", "fr")
    await join_expert_unit(coordinator, pro)
    anna = FakeUser(fake_api, 6011, "Anna", "fr")
    reference = await report_from_pin(anna)

    await open_report(coordinator, reference)
    await anna.expect(says("report.status.triaged", reference=reference))
    anna.send("/myreports")
    await anna.expect(says("report.mine_line", reference=reference, status=says("report.status_label.triaged")))
    assert await services_of(bot).reports.send_digest() == 1  # read, not decided: still in the digest
    coordinator.send("/reports")
    await coordinator.expect(says("triage.list_header", count=1))  # and still to handle

    coordinator.press(reference)
    await coordinator.expect(reference, says("report.status_label.triaged"))
    coordinator.press(says("button.escalate"))
    await pro.expect(says("report.escalated_to_pro", reference=reference))
    await anna.expect(says("report.status.escalated", reference=reference))
    coordinator.press(says("button.open_file"))
    await coordinator.expect(says("triage.ask_name"))
    coordinator.send("Monsieur Rose")
    await coordinator.expect(says("triage.file_opened", name="Monsieur Rose"))
    await anna.expect(says("report.status.taken", reference=reference))
    coordinator.press(says("button.close_report"))
    await coordinator.expect(says("triage.closed"))
    await anna.expect(says("report.status.closed", reference=reference))
    events = rows(db_path, "SELECT kind FROM report_events ORDER BY id")
    assert [e[0] for e in events] == [
        "created",
        "status.triaged",
        "status.escalated",
        "status.followed",
        "status.closed",
    ]
    told = [m.text for m in fake_api.sent_to(anna.id) if any(anna.shown(m.text, s) for s in family("report.status."))]
    assert len(told) == 4  # read, escalated, taken in charge, closed: once each
    assert all("Monsieur Rose" not in text and "Claire" not in text for text in told)


async def test_a_report_with_no_action_tells_the_reporter_with_the_reason_kept_for_the_coordinator(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    noe = FakeUser(fake_api, 6020, "Noé", "fr")
    reference = await report_from_pin(noe)
    await open_report(coordinator, reference)
    coordinator.press(says("button.no_action"))
    await coordinator.expect(says("triage.no_action_why"))
    coordinator.press(says("reason.already_helped"))
    await coordinator.expect(says("triage.no_action_done"))
    closed = await noe.expect(says("report.status.no_action", reference=reference))
    assert not noe.shown(closed.text, says("reason.already_helped"))  # the reason is kept for the coordinator
    assert rows(db_path, "SELECT status, no_action_reason FROM reports") == [("no_action", "already_helped")]
    coordinator.press_data("tr:esc:1")
    await coordinator.expect(says("triage.not_changed"))
    assert rows(db_path, "SELECT status FROM reports") == [("no_action",)]


async def test_back_from_the_name_or_the_question_returns_to_the_report_and_ends_the_step(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    ines = FakeUser(fake_api, 6030, "Inès", "fr")
    reference = await report_from_pin(ines, says("button.contact_ok"))
    await open_report(coordinator, reference)
    coordinator.press(says("button.open_file"))
    await coordinator.expect(says("triage.ask_name"))
    coordinator.press(says("button.back"))
    await coordinator.expect(says("triage.card", reference=reference))
    coordinator.send("Madame Lilas")  # the step is over: not taken as a name
    await coordinator.expect(says("fallback.stray_text"))
    assert rows(db_path, "SELECT COUNT(*) FROM persons") == [(0,)]

    coordinator.press(says("button.ask_reporter"))
    await coordinator.expect(says("triage.ask_question"))
    coordinator.send("🙂")
    await coordinator.expect(says("report.needs_words"))
    coordinator.press(says("button.back"))
    await coordinator.expect(says("triage.card", reference=reference))
    coordinator.send("Depuis quand ?")
    await coordinator.expect(says("fallback.stray_text"))
    assert rows(db_path, "SELECT COUNT(*) FROM report_events WHERE kind = 'question.asked'") == [(0,)]
    assert ines.received(says("report.question_to_reporter")) == []


async def neighbour_of(user: FakeUser, *, main: bool) -> None:
    """`user` becomes a caring neighbour of Boulevard de la République: its main one, or a backup."""
    user.send("/neighbour")
    await user.expect(says("neighbour.ask_street"))
    user.send("republique")
    await user.expect(says("street.pick"))
    user.press(user.api.sent_to(user.id)[-1].buttons()[0]["text"])
    await user.expect(says("charter.text"))
    user.press(says("button.accept_charter"))
    await user.expect(says("neighbour.registered_main" if main else "neighbour.registered_backup"))


async def test_coverage_shows_each_neighbourhood_s_streets_with_a_main_neighbour_backups_only_or_nobody(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    main, backup = FakeUser(fake_api, 6040, "Paul", "fr"), FakeUser(fake_api, 6041, "Lucie", "fr")
    await neighbour_of(main, main=True)
    await neighbour_of(backup, main=False)
    streets = int(str(rows(db_path, "SELECT COUNT(*) FROM streets WHERE neighbourhood = 'Centre-ville'")[0][0]))
    coordinator.send("/coverage")
    centre = says("coverage.area_line", area="Centre-ville", main=1, backups=0, nobody=streets - 1)
    summary = await coordinator.expect(says("coverage.title"), centre)
    coordinator.press("Centre-ville")
    detail = await coordinator.expect(says("coverage.area_header", area="Centre-ville", main=1))
    assert detail.text.splitlines()[1] == text_of(
        "fr", "coverage.main_line", street="Boulevard de la République", name="Paul", count=1
    )
    assert detail.text.count("\n⬜ ") == min(streets - 1, 29)  # 30 lines a page
    assert summary.buttons()[0]["callback_data"] == "cv:area:0:0"

    main.send("/mystreets")
    await main.expect(
        says("neighbour.my_streets"), says("neighbour.street_main", street="Boulevard de la République", count=1)
    )
    main.press(says("button.leave_street"))
    await main.expect(says("neighbour.leave_sure"))
    main.press(says("button.leave_confirm"))
    await main.expect(says("neighbour.left"))
    offer = await backup.expect(says("neighbour.main_left", street="Boulevard de la République"))
    await coordinator.expect(says("coordinator.street_no_main", street="Boulevard de la République"))
    coordinator.send("/coverage")
    await coordinator.expect(says("coverage.area_line", area="Centre-ville", main=0, backups=1, nobody=streets - 1))
    coordinator.press("Centre-ville")
    await coordinator.expect(says("coverage.backups_only_line", street="Boulevard de la République", count=1))

    street_id = rows(db_path, "SELECT id FROM streets WHERE name = 'Boulevard de la République'")[0][0]
    assert [b["callback_data"] for b in offer.buttons()] == [f"nb:takemain:{street_id}"]
    backup.press(says("button.take_main"))
    await backup.expect(says("neighbour.took_main"))
    assert rows(db_path, "SELECT telegram_id, is_main FROM street_watchers") == [(6041, 1)]
    main.press_data(offer.buttons()[0]["callback_data"])  # not theirs any more
    await main.expect_alert(says("access.refused"))

    backup.send("/mystreets")
    await backup.expect(says("neighbour.street_main", count=0))
    backup.press(says("button.leave_street"))
    await backup.expect(says("neighbour.leave_sure"))
    backup.press(says("button.leave_confirm"))
    await backup.expect(says("neighbour.left"), says("neighbour.no_street"))
    await coordinator.expect(says("coordinator.street_uncovered", street="Boulevard de la République"))
    assert rows(db_path, "SELECT COUNT(*) FROM street_watchers") == [(0,)]


async def test_a_main_neighbour_hands_the_street_over_to_the_longest_serving_backup(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    main = FakeUser(fake_api, 6050, "Paul", "fr")
    first, second = FakeUser(fake_api, 6051, "Lucie", "fr"), FakeUser(fake_api, 6052, "Max", "fr")
    for user in (main, first, second):
        await neighbour_of(user, main=user is main)
    main.send("/mystreets")
    await main.expect(says("neighbour.street_main", count=2))
    main.press(says("button.hand_over"))
    await main.expect(
        says("neighbour.handed_over"), says("neighbour.street_backup", street="Boulevard de la République")
    )
    await first.expect(says("neighbour.now_main", street="Boulevard de la République"))
    watchers = rows(db_path, "SELECT telegram_id, is_main FROM street_watchers ORDER BY telegram_id")
    assert watchers == [(6050, 0), (6051, 1), (6052, 0)]
    street_id = rows(db_path, "SELECT id FROM streets WHERE name = 'Boulevard de la République'")[0][0]
    main.press_data(f"nb:handover:{street_id}")  # an old button: they are not the main neighbour any more
    await main.expect(says("neighbour.not_changed"))
    second.press_data(f"nb:takemain:{street_id}")  # the street has a main neighbour
    await second.expect(says("neighbour.not_changed"))
    outsider = FakeUser(fake_api, 6053, "Zoé", "fr")
    outsider.press_data(f"nb:leaveok:{street_id}")
    await outsider.expect_alert(says("access.refused"))
    assert rows(db_path, "SELECT telegram_id, is_main FROM street_watchers ORDER BY telegram_id") == watchers
