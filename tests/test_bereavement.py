"""Bereavement follow-up: the date of loss schedules check-ins at the configured intervals, the coordinator is
reminded on the day (by the daily job, or at start for the days the bot was stopped), once, across restarts.
The town's clock is the test's: days pass by setting it."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from bot.app import running, services_of
from bot.config import Settings
from bot.runtime.inbox import InboxApplication
from tests.catalogue import DEFAULT_LANGUAGE, says, shows
from tests.conftest import Clock, rows
from tests.desk import file_from_report, open_person
from tests.fake_bot_api import FakeBotApi
from tests.stored_data import LOCK_WAIT_S
from tests.telegram_users import FakeUser, eventually

INTERVALS = (14, 30, 91, 182, 365)  # the configured default: 2 weeks, 1, 3, 6 and 12 months


def checkins(db_path: Path) -> list[tuple[object, ...]]:
    return rows(db_path, "SELECT due_on, reminded_at IS NOT NULL FROM bereavement_checkins ORDER BY due_on")


def reminders(api: FakeBotApi, chat_id: int) -> list[str]:
    return [m.text for m in api.sent_to(chat_id) if shows(m.text, says("person.checkin_due"), DEFAULT_LANGUAGE)]


async def test_the_date_of_loss_schedules_check_ins_at_the_configured_intervals_and_can_be_changed_or_stopped(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path, clock: Clock
) -> None:
    assert services_of(clocked_bot).settings.reports.bereavement_checkin_days == list(INTERVALS)
    await file_from_report(coordinator, FakeUser(fake_api, 4001, "Odile", "fr"), "Madame Lune", says("sign.bereaved"))
    await open_person(coordinator, "Madame Lune")
    coordinator.press(says("person.edit.bereavement"))
    await coordinator.expect(says("person.ask_loss"))
    coordinator.send("03/03/2026")  # tomorrow, for the clock
    await coordinator.expect(says("person.bad_date"))
    coordinator.send("14/02/2026")
    loss = date(2026, 2, 14)
    expected = [loss + timedelta(days=d) for d in INTERVALS if loss + timedelta(days=d) >= clock.day]
    assert len(expected) == 4  # two weeks after the loss was already past: not scheduled
    await coordinator.expect(
        says("person.checkins_scheduled"),
        "16 mars 2026, 16 mai 2026",
        says("person.file", bereavement=says("person.bereavement", loss="14 févr. 2026", next="16 mars 2026")),
    )
    assert checkins(db_path) == [(day.isoformat(), 0) for day in expected]
    assert rows(db_path, "SELECT bereavement_on FROM persons") == [("2026-02-14",)]

    coordinator.press(says("person.edit.bereavement"))
    await coordinator.expect(says("person.ask_loss"))
    coordinator.press(says("person.today"))
    await coordinator.expect(says("person.checkins_scheduled"), "16 mars 2026, 1 avr. 2026")  # the first two
    assert checkins(db_path) == [((clock.day + timedelta(days=d)).isoformat(), 0) for d in INTERVALS]

    coordinator.press(says("person.edit.bereavement"))
    await coordinator.expect(says("person.ask_loss"))
    coordinator.press(says("person.stop_bereavement"))
    await coordinator.expect(says("person.file", bereavement="-"))
    assert checkins(db_path) == []
    assert rows(db_path, "SELECT bereavement_on FROM persons") == [(None,)]
    assert rows(db_path, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.changed:bereavement_on'") == [(3,)]


def caught_up(bot: InboxApplication) -> bool:
    """The check-ins that fell due while the bot was stopped have been looked at."""
    assert bot.job_queue is not None
    return not bot.job_queue.get_jobs_by_name("persons.checkins.at_start")


async def test_check_ins_remind_the_coordinator_on_the_day_once_even_across_restarts(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    clock = Clock(date(2026, 3, 2))
    async with running(settings, poll_timeout=1, today=clock) as bot:
        assert bot.job_queue is not None
        assert [job.name for job in bot.job_queue.jobs() if job.name == "persons.checkins"] == ["persons.checkins"]
        await file_from_report(coordinator, FakeUser(fake_api, 4002, "Odile", "fr"), "Madame Gris")
        await open_person(coordinator, "Madame Gris")
        coordinator.press(says("person.edit.bereavement"))
        await coordinator.expect(says("person.ask_loss"))
        coordinator.press(says("person.today"))
        await coordinator.expect(says("person.checkins_scheduled"))
        persons = services_of(bot).persons
        await eventually(lambda: caught_up(bot), "the run at start")
        assert await persons.remind_checkins() == 0  # nothing due yet

        clock.day = date(2026, 3, 16)  # two weeks later: the daily job runs
        assert await persons.remind_checkins() == 1
        reminder = await coordinator.expect(says("person.checkin_due", name="Madame Gris", due="2026-03-16"))
        assert [b["callback_data"] for b in reminder.buttons()] == ["pe:open:1"]
        assert await persons.remind_checkins() == 0  # the same day again: already reminded
        assert await persons.remind_checkins(today=date(2026, 3, 20)) == 0  # the job called with a given date
        coordinator.press(says("button.see_file"))
        next_checkin = says("person.bereavement", next="1 avr. 2026")
        await coordinator.expect(says("person.file", name="Madame Gris", bereavement=next_checkin))

    clock.day = date(2026, 6, 5)  # the bot was stopped while two check-ins fell due
    async with running(settings, poll_timeout=1, today=clock):
        await coordinator.expect(says("person.checkin_due", due="2026-04-01"))
        await coordinator.expect(says("person.checkin_due", due="2026-06-01"))
    assert [reminded for _day, reminded in checkins(db_path)] == [1, 1, 1, 0, 0]

    # Killed after a reminder was queued but before it was marked: the next run queues nothing twice.
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        conn.execute("UPDATE bereavement_checkins SET reminded_at = NULL WHERE due_on = '2026-06-01'")
    async with running(settings, poll_timeout=1, today=clock) as bot:
        await eventually(lambda: caught_up(bot), "the run at start")
        await eventually(lambda: checkins(db_path)[2] == ("2026-06-01", 1), "the check-in marked again")
        assert await services_of(bot).persons.remind_checkins() == 0
        await open_person(coordinator, "Madame Gris")
        coordinator.press(says("person.end"))
        await coordinator.expect(says("person.screen.end"))
        coordinator.press(says("person.end_reason.deceased"))
        await coordinator.expect(says("person.status.ended"), says("person.end_reason.deceased"))
    queued = rows(
        db_path, "SELECT COUNT(*), COUNT(DISTINCT dedup_key) FROM outbox WHERE dedup_key LIKE 'person.checkin:%'"
    )
    assert queued == [(3, 3)]
    assert len(reminders(fake_api, coordinator.id)) == 3

    clock.day = date(2026, 9, 1)  # the six-month check-in is due, but the follow-up has ended
    async with running(settings, poll_timeout=1, today=clock) as bot:
        await eventually(lambda: caught_up(bot), "the run at start")
        assert await services_of(bot).persons.remind_checkins() == 0
    assert len(reminders(fake_api, coordinator.id)) == 3
