"""Approved volunteers set their weekly grid, absences and profile with buttons; the coordinator sees
everyone's grid; the planner is given only the slots a volunteer can really take."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from babel.dates import format_date

from bot.app import running, services_of
from bot.config import Settings
from bot.domain.volunteers import Gender
from bot.runtime.inbox import InboxApplication
from bot.services.availability import VolunteerWeek
from tests.catalogue import says
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import WAIT_S, FakeUser

REFUSED = says("access.refused")


async def approved_volunteer(api: FakeBotApi, coordinator: FakeUser, user_id: int, name: str) -> FakeUser:
    """Applies through the signup flow; the coordinator approves with the button of the notice."""
    volunteer = FakeUser(api, user_id, name, "fr")
    volunteer.send("/volunteer")
    await volunteer.expect(says("volunteer.ask_kind"))
    volunteer.press(says("volunteer.kind.benevole"))
    await volunteer.expect(says("charter.text"))
    volunteer.press(says("button.accept_charter"))
    await volunteer.expect(says("volunteer.applied"))
    await coordinator.expect(says("coordinator.volunteer_applied", name=name))
    coordinator.press(says("button.approve"))
    await coordinator.expect(says("coordinator.approved", name=name))
    await volunteer.expect(says("volunteer.approved"))
    return volunteer


async def tick(volunteer: FakeUser, *labels: str) -> list[str]:
    """Open the weekly grid and toggle these half-days; returns the grid's buttons as shown at the end."""
    volunteer.send("/availability")
    shown = await volunteer.expect(says("profile.grid"))
    for label in labels:
        volunteer.press(label)
        shown = await volunteer.expect(says("profile.grid"))
    return [button["text"] for button in shown.buttons()]


async def eventually(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("never happened")
        await asyncio.sleep(0.01)


async def facts(bot: InboxApplication, day: date) -> dict[int, VolunteerWeek]:
    year, week, _weekday = day.isocalendar()
    return {v.id: v for v in await services_of(bot).availability.week(year, week)}


def day_label(day: date) -> str:
    return str(format_date(day, "EEE d MMM", locale="fr"))


async def test_half_days_ticked_on_the_week_keyboard_are_kept_across_a_restart(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    async with running(settings, poll_timeout=1):
        sami = await approved_volunteer(fake_api, coordinator, 801, "Sami")
        grid = await tick(sami, "lun. 09:30", "mer. 14:00", "ven. 09:30", "ven. 09:30")
        # The whole week on one keyboard: the twelve configured half-days and Done.
        assert len(grid) == 13
        assert sorted(label for label in grid if label.startswith("✅")) == ["✅ lun. 09:30", "✅ mer. 14:00"]
    async with running(settings, poll_timeout=1):
        grid = await tick(sami)
        assert sorted(label for label in grid if label.startswith("✅")) == ["✅ lun. 09:30", "✅ mer. 14:00"]
    assert rows(db_path, "SELECT slot_id FROM volunteer_slots WHERE telegram_id = 801 ORDER BY slot_id") == [
        ("mon-am",),
        ("wed-pm",),
    ]


async def test_an_absence_chosen_with_buttons_removes_only_the_slots_of_its_days(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    lina = await approved_volunteer(fake_api, coordinator, 802, "Lina")
    await tick(lina, "lun. 09:30", "mer. 14:00", "ven. 09:30")
    next_monday = date.today() + timedelta(days=7 - date.today().weekday())
    wednesday = next_monday + timedelta(days=2)
    lina.send("/profile")
    await lina.expect(says("profile.menu"))
    lina.press(says("button.profile_absences"))
    await lina.expect(says("profile.no_absences"))
    lina.press(says("button.add_absence"))
    await lina.expect(says("profile.absence_start"))
    lina.press(day_label(next_monday))
    await lina.expect(says("profile.absence_end"))
    lina.press(day_label(wednesday))
    listed = await lina.expect(says("profile.absences"))
    assert listed.buttons()[0]["text"] == f"🗑 {day_label(next_monday)} → {day_label(wednesday)}"

    assert (await facts(bot, next_monday))[802].slot_ids == {"fri-am"}
    assert (await facts(bot, next_monday + timedelta(days=7)))[802].slot_ids == {"mon-am", "wed-pm", "fri-am"}

    lina.press("🗑")
    await lina.expect(says("profile.no_absences"))
    assert (await facts(bot, next_monday))[802].slot_ids == {"mon-am", "wed-pm", "fri-am"}


async def test_visits_a_week_languages_and_gender_reach_the_planner(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    ana = await approved_volunteer(fake_api, coordinator, 803, "Ana")
    ana.send("/profile")
    await ana.expect(says("profile.menu", capacity=says("profile.visits_a_week", count=2)))
    ana.press(says("button.profile_capacity"))
    await ana.expect(says("profile.capacity"))
    ana.press("4")
    await ana.expect(says("profile.menu", capacity=says("profile.visits_a_week", count=4)))
    ana.press(says("button.profile_languages"))
    await ana.expect(says("profile.languages"))
    ana.press("portugais")
    await ana.expect(says("profile.languages"))
    ana.press(says("button.done"))
    await ana.expect(says("profile.menu", languages="français, portugais"))
    ana.press(says("button.profile_gender"))
    await ana.expect(says("profile.gender"))
    ana.press(says("profile.gender.f"))
    await ana.expect(says("profile.menu", gender=says("profile.gender.f")))
    ana_facts = (await facts(bot, date.today()))[803]
    assert (ana_facts.capacity, ana_facts.languages, ana_facts.gender) == (4, frozenset({"fr", "pt"}), Gender.FEMALE)
    assert ana_facts.home is None and not ana_facts.experienced


async def test_a_volunteer_sets_their_home_street_by_typing_it(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    paul = await approved_volunteer(fake_api, coordinator, 804, "Paul")
    paul.send("/profile")
    await paul.expect(says("profile.menu"))
    paul.press(says("button.profile_street"))
    await paul.expect(says("profile.ask_street"))
    paul.send("republique")
    await paul.expect(says("street.pick"))
    paul.press("République")
    await paul.expect(says("profile.menu", street="Boulevard de la République"))
    home = (await facts(bot, date.today()))[804].home
    assert home is not None and abs(home.lat - 44.2) < 0.1


async def test_a_paused_volunteer_is_not_available_until_they_resume(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    noe = await approved_volunteer(fake_api, coordinator, 805, "Noé")
    await tick(noe, "mar. 14:00")
    noe.send("/profile")
    await noe.expect(says("profile.menu"))
    noe.press(says("button.pause"))
    await noe.expect(says("profile.status_paused"))
    assert 805 not in await facts(bot, date.today())
    noe.press(says("button.resume"))
    await noe.expect(says("profile.status_active"))
    assert (await facts(bot, date.today()))[805].slot_ids == {"tue-pm"}


async def test_someone_not_approved_is_refused_every_volunteer_button_and_changes_nothing(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await approved_volunteer(fake_api, coordinator, 806, "Léa")
    intruder = FakeUser(fake_api, 807, "Max", "fr")
    intruder.send("/volunteer")
    await intruder.expect(says("volunteer.ask_kind"))
    intruder.press(says("volunteer.kind.benevole"))
    await intruder.expect(says("charter.text"))
    intruder.press(says("button.accept_charter"))
    await intruder.expect(says("volunteer.applied"))
    tables = ["volunteer_profiles", "volunteer_slots", "volunteer_languages", "volunteer_absences", "audit_log"]
    before = {t: rows(db_path, f"SELECT * FROM {t}") for t in tables}
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    presses = [
        "pf:home",
        "pf:grid",
        "pf:slot:mon-am",
        "pf:cap",
        "pf:cap:3",
        "pf:lang",
        "pf:lang:en",
        "pf:gender",
        "pf:gender:f",
        "pf:pause",
        "pf:resume",
        "pf:abs",
        "pf:abs:from:0",
        f"pf:abs:start:{tomorrow}",
        f"pf:abs:end:{tomorrow}:{tomorrow}",
        "pf:abs:del:1",
        "pf:street",
        "gr:exp:806:0",
        "gr:page:0",
    ]

    def refusals() -> int:
        return sum(intruder.shown(str(answer.get("text", "")), REFUSED) for answer in fake_api.callback_answers)

    for data in presses:
        before_press = refusals()
        intruder.press_data(data)
        await eventually(lambda: refusals() > before_press)  # noqa: B023 - awaited before the next press
    for command in ("/profile", "/availability", "/grid"):
        intruder.send(command)
        await intruder.expect(REFUSED)
    assert {t: rows(db_path, f"SELECT * FROM {t}") for t in tables} == before


async def test_forged_slot_and_absence_data_from_a_volunteer_change_nothing(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    eva = await approved_volunteer(fake_api, coordinator, 808, "Eva")
    yesterday, today = date.today() - timedelta(days=1), date.today()
    for data in (
        "pf:slot:sun-am",  # not a configured slot
        "pf:cap:9",
        "pf:lang:xx",
        f"pf:abs:end:{yesterday}:{today}",  # starts in the past
        f"pf:abs:end:{today}:{yesterday}",  # ends before it starts
        "pf:abs:end:2026-02-30:2026-03-01",
        "pf:abs:del:999",
    ):
        eva.press_data(data)
        await eva.expect_alert(says("fallback.stale_button"))
        fake_api.callback_answers.clear()
    for table in ("volunteer_profiles", "volunteer_slots", "volunteer_languages", "volunteer_absences"):
        assert rows(db_path, f"SELECT * FROM {table}") == []


async def test_the_coordinator_sees_everyones_grid_in_one_view_and_marks_who_is_experienced(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    sami = await approved_volunteer(fake_api, coordinator, 809, "Sami")
    lina = await approved_volunteer(fake_api, coordinator, 810, "Lina")
    await tick(sami, "lun. 09:30", "lun. 14:00")
    await tick(lina, "sam. 14:00")
    coordinator.send("/grid")
    view = await coordinator.expect(says("grid.header"))
    table = [line.removeprefix("<code>").removesuffix("</code>") for line in view.text.splitlines()]
    assert table[2:4] == ["Lina      .. .. .. .. .. .x 2", "Sami      xx .. .. .. .. .. 2"]

    coordinator.press("☆ Sami")
    await coordinator.expect("Sami      xx .. .. .. .. .. 2 E")
    assert (await facts(bot, date.today()))[809].experienced
    assert rows(db_path, "SELECT actor, action FROM audit_log WHERE subject = 'user:809' ORDER BY id")[-1] == (
        900_001,
        "volunteer.experienced",
    )

    sami.send("/grid")
    await sami.expect(REFUSED)
    sami.press_data("gr:exp:809:0")
    await sami.expect_alert(REFUSED)
    assert (await facts(bot, date.today()))[809].experienced
