"""The life of a visit, end to end through the fake Bot API: the coordinator publishes a week, each member of a
pair gets the stops, a pin per stop, the walking route and an .ics; one confirms, the other cannot go and a
replacement is planned and told; reminders arrive once each, across restarts; after the visit the pair
reports in a few taps, a worry reaches the professionals and two "nobody home" in a row alert the
coordinator. Nothing of a person's file beyond the first name, the address, the access notes and the time
to ring ever reaches a volunteer."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import database_of, running, services_of
from bot.config import Settings
from bot.runtime.inbox import InboxApplication
from bot.storage.database import Database
from tests.catalogue import DEFAULT_LANGUAGE, Fragment, family, says, shows
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi, Sent
from tests.stored_data import LOCK_WAIT_S, every_value
from tests.telegram_users import FakeUser, eventually

PARIS = ZoneInfo("Europe/Paris")
WEEK = "2030-W10"  # Tuesday 5 March 2030, Thursday 7 March: far from the real clock, which never interferes
ANNE, PAUL, LEA, PRO = 701, 702, 703, 704
NAMES = {ANNE: "Anne", PAUL: "Paul", LEA: "Léa"}
PHONE = "06 11 22 33 44"
SECRET_NOTE = "dettes et dispute avec son fils"
HUB = (44.2040, 0.6170)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 3, day, hour, minute, tzinfo=PARIS)


async def seed(db_path: Path, slots: Sequence[str], visits_per_month: int) -> None:
    """Three experienced volunteers free in the same half-days (one pair goes, one stays free to replace),
    two persons near the hub; Jeanne's file holds a phone, needs and a report's note a pair must not see."""

    async def migrate() -> None:
        db = Database(db_path)
        await db.open()
        await db.close()

    await migrate()
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        for vid, name in NAMES.items():
            conn.execute("INSERT INTO users (telegram_id, first_name) VALUES (?, ?)", (vid, name))
            conn.execute(
                "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
                "VALUES (?, 'benevole', 'approved', 'x')",
                (vid,),
            )
            conn.execute("INSERT INTO volunteer_profiles (telegram_id, experienced, capacity) VALUES (?, 1, 4)", (vid,))
            conn.executemany("INSERT INTO volunteer_slots VALUES (?, ?)", [(vid, slot) for slot in slots])
        conn.execute("INSERT INTO users (telegram_id, first_name) VALUES (?, 'Dr Roux')", (PRO,))
        conn.execute("INSERT INTO professionals (telegram_id, added_by) VALUES (?, 1)", (PRO,))
        conn.execute(
            "INSERT INTO persons (name, address, lat, lon, needs, visits_per_month, created_by) "
            "VALUES ('Jeanne Martin', '12 rue Voltaire', 44.2045, 0.6175, '[\"meals\",\"digital\"]', ?, 1)",
            (visits_per_month,),
        )
        conn.execute(
            "INSERT INTO reports (reference, channel, anonymous, contact_ok, urgency, status, person_id) "
            "VALUES ('S-2030-0001', 'phone', 0, 0, 'soon', 'followed', 1)"
        )
        if visits_per_month < 8:
            conn.execute(
                "INSERT INTO persons (name, address, lat, lon, visits_per_month, created_by) "
                "VALUES ('Mme Durand', '3 place Wilson', 44.2030, 0.6160, 4, 1)"
            )


def visit_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "planning": settings.planning.model_copy(update={"time_limit_s": 2.0}),
            "visits": settings.visits.model_copy(
                update={"hub_name": "Maison des associations", "hub_lat": HUB[0], "hub_lon": HUB[1]}
            ),
        }
    )


async def seal_secrets(bot: InboxApplication) -> None:
    """Jeanne's phone, door code and a report's note, sealed at rest as the bot stores them."""
    async with database_of(bot).transaction() as tx:
        await tx.execute(
            "UPDATE persons SET phone = seal(?), access_notes = seal('Code 1234, 2e étage') WHERE id = 1", (PHONE,)
        )
        await tx.execute("UPDATE reports SET note = seal(?) WHERE id = 1", (SECRET_NOTE,))


def fixed_clock(bot: InboxApplication, moment: datetime) -> None:
    services_of(bot).calendar.now = lambda: moment


def pair_of_week(db_path: Path) -> tuple[int, int]:
    found = rows(db_path, "SELECT DISTINCT first_volunteer, second_volunteer FROM visits WHERE status = 'proposed'")
    assert len(found) == 1, found
    first, second = found[0]
    assert isinstance(first, int) and isinstance(second, int)
    return first, second


def shown_to(api: FakeBotApi, chat_id: int) -> str:
    """Everything a chat was sent: texts, captions, buttons, pins and the files' contents."""
    parts: list[str] = []
    for method, params in api.calls:
        if str(params.get("chat_id")) != str(chat_id):
            continue
        for value in params.values():
            if isinstance(value, dict) and "content" in value:
                parts.append(value["content"].decode("utf-8"))
            else:
                parts.append(str(value))
        parts.append(method)
    return "\n".join(parts)


def sent(api: FakeBotApi, chat_id: int, method: str) -> list[Sent]:
    return [s for s in api.sent_to(chat_id) if s.method == method]


def url_buttons(messages: Sequence[Sent]) -> list[str]:
    return [b["url"] for m in messages for b in m.buttons() if "url" in b]


def ics_of(api: FakeBotApi, chat_id: int) -> list[str]:
    return [str(s.params["document"]["content"].decode("utf-8")) for s in sent(api, chat_id, "sendDocument")]


def data_files(api: FakeBotApi, chat_id: int) -> list[bytes]:
    """What /mydata sent: the JSON documents among the chat's files (the others are calendars)."""
    return [
        s.params["document"]["content"]
        for s in sent(api, chat_id, "sendDocument")
        if not s.params["document"]["content"].startswith(b"BEGIN:VCALENDAR")
    ]


def count(api: FakeBotApi, chat_id: int, fragment: Fragment) -> int:
    """How many messages to a chat (of a reader of the town's language) show the fragment."""
    return sum(1 for s in api.sent_to(chat_id) if shows(s.text, fragment, DEFAULT_LANGUAGE))


async def publish(coordinator: FakeUser) -> None:
    coordinator.send(f"/plan {WEEK}")
    await coordinator.expect(says("plan.preview_header", week=10, year=2030), "Jeanne Martin")
    coordinator.press(says("plan.publish_button"))
    await coordinator.expect(says("plan.published", sent=says("plan.visits_sent", count=2)))


async def test_a_published_week_reaches_each_pair_a_decline_is_repaired_and_reminders_come_once_across_restarts(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await seed(db_path, ["tue-pm"], 4)
    settings = visit_settings(settings)
    async with running(settings, poll_timeout=1) as bot:
        await seal_secrets(bot)
        fixed_clock(bot, at(1, 10))
        await publish(coordinator)
        first, second = pair_of_week(db_path)
        spare = ({ANNE, PAUL, LEA} - {first, second}).pop()
        staying, leaving = FakeUser(fake_api, first, NAMES[first]), FakeUser(fake_api, second, NAMES[second])

        # Each member: partner, meeting point and time, the ordered stops, a pin and a walking link per stop,
        # the route from the meeting point, and the calendar file.
        outing = await staying.expect(
            says("visit.outing", partner=NAMES[second], start="14:00"), "Maison des associations", "Jeanne"
        )
        assert "12 rue Voltaire" in outing.text and "Code 1234, 2e étage" in outing.text
        assert "3 place Wilson" in outing.text and "Mme D." in outing.text
        await eventually(lambda: len(ics_of(fake_api, first)) == 1, "the calendar file")
        pins = sent(fake_api, first, "sendLocation")
        assert sorted((float(p.params["latitude"]), float(p.params["longitude"])) for p in pins) == [
            (44.203, 0.616),
            (44.2045, 0.6175),
        ]
        links = url_buttons([outing, *pins])
        assert links[0].startswith(
            f"https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route={HUB[0]:.6f},{HUB[1]:.6f};"
        )
        assert len(links) == 3  # meeting point to the first door, then one walk to each door
        ics = ics_of(fake_api, first)[0]
        assert ics.startswith("BEGIN:VCALENDAR\r\n") and "DTSTART:20300305T130000Z" in ics and "END:VEVENT" in ics

        staying.press(says("visit.confirm_button"))
        await staying.expect(says("visit.confirmed"))
        await eventually(
            lambda: (
                {r[0] for r in rows(db_path, "SELECT status FROM visits")} == {"proposed"}
                and len(
                    rows(
                        db_path,
                        f"SELECT 1 FROM visits WHERE {'first' if first < second else 'second'}_answer = 'confirmed'",
                    )
                )
                == 2
            ),
            "the confirmation recorded",
        )

        await leaving.expect(says("visit.outing", partner=NAMES[first]))
        leaving.press(says("visit.decline_button"))
        await leaving.expect(says("visit.decline_sure"))
        leaving.press(says("visit.decline_sure_button"))
        await leaving.expect(says("visit.declined"))
        await coordinator.expect(
            says("visit.declined_coordinator", volunteer=NAMES[second]), says("visit.decline_line_taken")
        )
        await staying.expect(says("visit.declined_partner", partner=NAMES[second]))
        replacement = FakeUser(fake_api, spare, NAMES[spare])
        await replacement.expect(says("visit.outing"), "Jeanne", "12 rue Voltaire")
        await staying.expect(says("visit.outing", partner=NAMES[spare]), "Jeanne")
        # Only the declined visits changed: the same persons, the same slot, the partner kept.
        kept = rows(
            db_path, "SELECT person_id, first_volunteer, second_volunteer FROM visits WHERE status = 'proposed'"
        )
        assert sorted(p for p, _, _ in kept) == [1, 2]
        assert all({a, b} == {first, spare} for _, a, b in kept)
        assert {r[0] for r in rows(db_path, "SELECT status FROM visits WHERE replaces IS NULL")} == {"replaced"}

    # The bot restarts between publication and the reminders: nothing is lost, nothing doubled.
    async with running(settings, poll_timeout=1) as bot:
        visits = services_of(bot).reminders
        assert (await visits.send_due(at(4, 18, 5))).reminders == 2
        await visits.send_due(at(4, 19))
    async with running(settings, poll_timeout=1) as bot:
        visits = services_of(bot).reminders
        await visits.send_due(at(4, 20))
        await visits.send_due(at(5, 13, 10))
        await visits.send_due(at(5, 13, 30))
        day_before, hour_before = says("visit.remind_day"), says("visit.remind_hour")
        await eventually(
            lambda: all(count(fake_api, m, hour_before) == 1 for m in (first, spare)), "the hour-before reminders"
        )
        assert all(count(fake_api, m, day_before) == 1 for m in (first, spare))
        assert count(fake_api, second, day_before) == 0 and count(fake_api, second, hour_before) == 0

    # What the volunteers were shown holds no part of the file beyond first name, address, access notes, time.
    for member in (first, second, spare):
        everything = shown_to(fake_api, member)
        for secret in ("Martin", "Durand", PHONE, SECRET_NOTE, "repas", "numérique", "meals", "digital"):
            assert secret not in everything, (member, secret)


async def test_a_worrying_visit_reaches_the_professionals_and_two_visits_with_nobody_home_alert_the_coordinator(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await seed(db_path, ["tue-pm", "thu-pm"], 8)  # two visits due to Jeanne this week, one each half-day
    settings = visit_settings(settings)
    professional = FakeUser(fake_api, PRO, "Dr Roux")
    async with running(settings, poll_timeout=1) as bot:
        await seal_secrets(bot)
        fixed_clock(bot, at(1, 10))
        await publish(coordinator)
        visits = rows(db_path, "SELECT id, day, first_volunteer FROM visits ORDER BY day")
        (tuesday, _, tue_member), (thursday, _, thu_member) = visits
        assert isinstance(tue_member, int) and isinstance(thu_member, int)

        # Tuesday: the visit is made; Jeanne seemed low, meals are a need, and something is worrying.
        fixed_clock(bot, at(5, 17, 30))
        assert (await services_of(bot).reminders.send_due()).prompts == 1
        member = FakeUser(fake_api, tue_member, NAMES[tue_member])
        await member.expect(says("visit.after_question", name="Jeanne"))
        member.press(says("visit.outcome.done"))
        await member.expect(says("visit.mood_question", name="Jeanne"))
        member.press("🙁")  # the mood buttons are faces only
        await member.expect(says("visit.needs_question"))
        member.press(says("sign.need_meals"))
        await eventually(
            lambda: any(
                b["text"].startswith("✅") and member.shown(b["text"], says("sign.need_meals"))
                for s in member.new_messages()
                for b in s.buttons()
            ),
            "the need ticked",
        )
        member.press(says("visit.next_button"))
        await member.expect(says("visit.worry_question"))
        member.press(says("visit.worry_yes"))
        await member.expect(says("visit.note_question"))
        member.send("Elle est tombée hier et n'a plus rien dans le frigo")
        await member.expect(says("visit.report_thanks"))
        await professional.expect(
            says(
                "visit.worry",
                name="Jeanne Martin",
                address="12 rue Voltaire",
                mood=says("visit.mood.2"),
                needs=says("sign.need_meals"),
                note="Elle est tombée hier et n'a plus rien dans le frigo",
            )
        )
        await coordinator.expect(says("visit.worry", name="Jeanne Martin"))
        assert rows(db_path, f"SELECT outcome, mood, worry FROM visits WHERE id = {tuesday}") == [("done", 2, 1)]

        # The partner's press on the same question changes nothing: the first report counts.
        partner = FakeUser(fake_api, next(m for m in NAMES if m != tue_member and m in _pair(db_path, tuesday)))
        partner.press(says("visit.outcome.nobody_home"))
        await partner.expect(says("visit.report_closed"))

        # Thursday: nobody home. Tuesday's visit was made, so one "nobody home" alone alerts nobody.
        fixed_clock(bot, at(7, 17, 30))
        await services_of(bot).reminders.send_due()
        member = FakeUser(fake_api, thu_member, NAMES[thu_member])
        await member.expect(says("visit.after_question", name="Jeanne", day="jeudi 7 mars"))
        member.press(says("visit.outcome.nobody_home"))
        await member.expect(says("visit.worry_question"))
        member.press(says("visit.worry_no"))
        await member.expect(says("visit.note_question"))
        member.press(says("visit.no_note_button"))
        await member.expect(says("visit.report_thanks"))
        assert sum(count(fake_api, coordinator.id, alert) for alert in family("visit.alert_")) == 0
        assert rows(db_path, f"SELECT outcome, status FROM visits WHERE id = {thursday}") == [("nobody_home", "missed")]

        # The week after: nobody home again, and the coordinator hears of it.
        fixed_clock(bot, at(8, 10))
        coordinator.send("/plan 2030-W11")
        await coordinator.expect(says("plan.preview_header", week=11, year=2030))
        coordinator.press(says("plan.publish_button"))
        await coordinator.expect(says("plan.published"))
        fixed_clock(bot, at(12, 17, 30))
        await services_of(bot).reminders.send_due()
        next_visit = rows(db_path, "SELECT first_volunteer FROM visits WHERE day = '2030-03-12'")[0][0]
        assert isinstance(next_visit, int)
        member = FakeUser(fake_api, next_visit, NAMES[next_visit])
        await member.expect(says("visit.after_question", name="Jeanne", day="mardi 12 mars"))
        member.press(says("visit.outcome.nobody_home"))
        await member.expect(says("visit.worry_question"))
        member.press(says("visit.worry_no"))
        await member.expect(says("visit.note_question"))
        member.press(says("visit.no_note_button"))
        await coordinator.expect(says("visit.alert_nobody_home", name="Jeanne Martin"))

        coordinator.send("/week 2030-W10")
        week = await coordinator.expect(says("week.header", week=10, year=2030))
        assert coordinator.shown(week.text, says("visit.status.done"))
        assert coordinator.shown(week.text, says("visit.outcome.nobody_home"))


def _pair(db_path: Path, visit_id: Any) -> set[int]:
    found = rows(db_path, f"SELECT first_volunteer, second_volunteer FROM visits WHERE id = {visit_id}")
    return {int(str(v)) for v in found[0]}


async def test_forged_buttons_change_no_visit_and_a_draft_is_re_run_until_published(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await seed(db_path, ["tue-pm"], 4)
    async with running(visit_settings(settings), poll_timeout=1) as bot:
        await seal_secrets(bot)
        fixed_clock(bot, at(1, 10))
        coordinator.send(f"/plan {WEEK}")
        await coordinator.expect(says("plan.preview_header", week=10, year=2030, status=says("plan.status.draft")))
        coordinator.press(says("plan.rerun_button"))
        await coordinator.expect(says("plan.preview_header", week=10, year=2030, status=says("plan.status.draft")))
        assert rows(db_path, "SELECT COUNT(*) FROM week_plans") == [(1,)]  # the draft replaced, not doubled
        first, second = pair_of_week(db_path)
        spare = FakeUser(fake_api, ({ANNE, PAUL, LEA} - {first, second}).pop())
        # A volunteer cannot publish, and cannot answer or report for a pair they are not in.
        plan_id = rows(db_path, "SELECT id FROM week_plans")[0][0]
        spare.press_data(f"pl:pub:{plan_id}")
        await spare.expect_alert(says("access.refused"))
        coordinator.press(says("plan.publish_button"))
        await coordinator.expect(says("plan.published"))
        visit_id = rows(db_path, "SELECT MIN(id) FROM visits")[0][0]
        spare.press_data(f"vis:nok:{visit_id}")
        await spare.expect(says("visit.not_open"))
        fixed_clock(bot, at(5, 17, 30))
        spare.press_data(f"vr:out:{visit_id}:nobody_home")
        await spare.expect(says("visit.report_closed"))
        assert {r[0] for r in rows(db_path, "SELECT status FROM visits")} == {"proposed"}
        assert rows(db_path, "SELECT COUNT(*) FROM visits WHERE outcome IS NOT NULL") == [(0,)]
        # A published week is not planned again over the pairs' heads.
        coordinator.send(f"/plan {WEEK}")
        await coordinator.expect(says("plan.already_published"))


async def test_a_volunteer_who_erases_themselves_is_replaced_on_their_outings_and_leaves_no_trace_in_them(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await seed(db_path, ["tue-pm"], 4)
    async with running(visit_settings(settings), poll_timeout=1) as bot:
        fixed_clock(bot, at(1, 10))
        await publish(coordinator)
        first, second = pair_of_week(db_path)
        spare = ({ANNE, PAUL, LEA} - {first, second}).pop()
        staying, leaving = FakeUser(fake_api, first, NAMES[first]), FakeUser(fake_api, second, NAMES[second])
        await leaving.expect(says("visit.outing", partner=NAMES[first]))
        leaving.send("/mydata")
        await eventually(lambda: len(data_files(fake_api, second)) == 1, "the data file")
        mine = json.loads(data_files(fake_api, second)[0])
        outing = [("2030-03-05", "tue-pm", "proposed")] * 2
        assert [(v["day"], v["slot_id"], v["status"]) for v in mine["visits"]] == outing

        leaving.send("/forget")
        await leaving.expect(says("privacy.forget_confirm"))
        leaving.press(says("button.forget_me"))
        await leaving.expect(says("privacy.forgotten"))
        # The pair is not left waiting: the partner hears of it and someone else takes the outing.
        await staying.expect(says("visit.declined_partner"))
        await FakeUser(fake_api, spare, NAMES[spare]).expect(says("visit.outing"), "Jeanne", "12 rue Voltaire")
        kept = rows(db_path, "SELECT first_volunteer, second_volunteer FROM visits WHERE status = 'proposed'")
        assert sorted(kept) == [(min(first, spare), max(first, spare))] * 2

    for table, column, value in every_value(db_path, db_path.with_suffix(".key")):
        assert value != second, (table, column)
        if isinstance(value, str) and table != "streets":  # "Rue Paul Bert" is nobody's data
            assert NAMES[second] not in value, (table, column, value)
    handed_over = rows(db_path, "SELECT first_volunteer, second_volunteer FROM visits WHERE status != 'proposed'")
    assert set(handed_over) == {(-1, first)}  # the erasure's number in place of the id, the pair still ordered
