"""Open calls, end to end through the fake Bot API: a visit left out of a published week (or a "can't go"
nobody could replace) is offered with one press to the volunteers free in its slot, and only to them, with
the street and no personal detail of the person; the first acceptances that make an allowed pair take it
and get the outing as at publication, the others are told it is taken; two presses at the same moment never
give it twice; a call nobody completes ends, across a restart, and the coordinator hears of it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from bot.app import database_of, running, services_of
from bot.config import Settings
from bot.runtime.inbox import InboxApplication
from bot.storage.database import Database
from bot.storage.privacy import PrivacyRepository
from bot.storage.sealing import unlock
from tests.catalogue import Fragment, says
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi
from tests.stored_data import LOCK_WAIT_S
from tests.telegram_users import FakeUser, eventually
from tests.test_visits import (
    PHONE,
    SECRET_NOTE,
    WEEK,
    at,
    count,
    fixed_clock,
    ics_of,
    seal_secrets,
    sent,
    shown_to,
    visit_settings,
)
from tests.town import Member, add_members

ANNE, PAUL, LEA, MARC, SAMI, ZOE, HUGO, IRIS = range(801, 809)
# Of Jeanne's file, what no volunteer asked may see: her name, house number, phone, needs, door code, a note.
SECRETS = ("Jeanne", "Martin", "12 rue", "12, rue", PHONE, SECRET_NOTE, "repas", "numérique", "1234", "2e étage")


# Free on Thursday afternoon, and asked: an experienced volunteer, a newcomer, a service civique member.
ASKED = (
    Member(LEA, "Léa", ("thu-pm",)),
    Member(MARC, "Marc", ("thu-pm",), experienced=False),
    Member(SAMI, "Sami", ("thu-pm",), kind="service_civique", experienced=False),
)
# Free on Thursday afternoon by their grid, and not asked: paused, absent that day, or not free then.
NOT_ASKED = (
    Member(ZOE, "Zoé", ("thu-pm",), paused=True),
    Member(HUGO, "Hugo", ("thu-pm",), absent_on="2030-03-07"),
    Member(IRIS, "Iris", ("tue-pm",)),
)


async def seed(
    db_path: Path,
    members: Sequence[Member],
    jeanne: tuple[float, float],
    durand: tuple[float, float],
    jeanne_slots: Sequence[str] = ("thu-pm",),
) -> None:
    """Two persons due a visit each this week; Jeanne's file holds a phone, needs and a report's note."""
    db = Database(db_path)
    await db.open()
    await add_members(db, members)
    await db.close()
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        conn.execute(
            "INSERT INTO persons (name, address, lat, lon, needs, visits_per_month, slots, created_by) "
            "VALUES ('Jeanne Martin', '12 rue Voltaire', ?, ?, '[\"meals\",\"digital\"]', 4, ?, 1)",
            (*jeanne, json.dumps(list(jeanne_slots))),
        )
        conn.execute(
            "INSERT INTO reports (reference, channel, anonymous, contact_ok, urgency, status, person_id) "
            "VALUES ('S-2030-0001', 'phone', 0, 0, 'soon', 'followed', 1)"
        )
        conn.execute(
            "INSERT INTO persons (name, address, lat, lon, visits_per_month, created_by) "
            "VALUES ('Mme Durand', '3 place Wilson', ?, ?, 4, 1)",
            durand,
        )


async def seed_left_out(db_path: Path) -> None:
    """Anne and Paul can make one visit each this week, on Tuesday: Mme Durand gets it, and Jeanne, who
    prefers Thursdays, is left out."""
    await seed(
        db_path,
        [Member(ANNE, "Anne", ("tue-pm", "thu-pm"), capacity=1), Member(PAUL, "Paul", ("tue-pm",), capacity=1)],
        (44.2045, 0.6175),
        (44.2030, 0.6160),
    )


async def name_her_street(bot: InboxApplication) -> None:
    """Jeanne's file names her street (the town's streets are loaded once the bot has started)."""
    async with database_of(bot).transaction() as tx:
        await tx.execute(
            "UPDATE persons SET street_id = (SELECT id FROM streets WHERE name = 'Rue Voltaire') WHERE id = 1"
        )


async def publish_without_jeanne(coordinator: FakeUser, db_path: Path) -> None:
    coordinator.send(f"/plan {WEEK}")
    await coordinator.expect(says("plan.preview_header", week=10, year=2030), "Jeanne Martin")
    coordinator.press(says("plan.publish_button"))
    await coordinator.expect(says("plan.published", sent=says("plan.visits_sent", count=1)))
    assert rows(db_path, "SELECT person_id, slot_id FROM visits WHERE status = 'proposed'") == [(2, "tue-pm")]


async def launch_for_jeanne(coordinator: FakeUser, db_path: Path) -> int:
    """From the message of the publication: the week's uncovered visits, and one press for Jeanne."""
    coordinator.press(says("opencall.board_button"))
    await coordinator.expect(says("opencall.board_header"), says("opencall.uncovered", name="Jeanne Martin", count=1))
    coordinator.press(says("opencall.call_button", name="Jeanne Martin"))
    await coordinator.expect(says("opencall.launched", count=3, name="Jeanne Martin", day="jeu. 7 mars", start="14:00"))
    found = rows(db_path, "SELECT id FROM open_calls WHERE status = 'open'")
    assert len(found) == 1
    return int(str(found[0][0]))


async def alerted(user: FakeUser, fragment: Fragment) -> None:
    """The answer to the user's last press is an alert saying `fragment`."""
    press = user.last_callback_id
    await eventually(
        lambda: any(
            a.get("callback_query_id") == press and user.shown(str(a.get("text", "")), fragment)
            for a in user.api.callback_answers
        ),
        f"{user.first_name} told {fragment}",
    )


def calls_state(db_path: Path) -> list[tuple[object, ...]]:
    return [
        *rows(db_path, "SELECT * FROM open_calls ORDER BY id"),
        *rows(db_path, "SELECT * FROM open_call_invitees ORDER BY call_id, volunteer"),
        *rows(db_path, "SELECT * FROM visits ORDER BY id"),
    ]


def people(api: FakeBotApi, members: Sequence[Member]) -> dict[int, FakeUser]:
    return {m.id: FakeUser(api, m.id, m.name) for m in members}


def jeanne_visits(db_path: Path) -> list[tuple[object, ...]]:
    return rows(
        db_path,
        "SELECT slot_id, first_volunteer, second_volunteer FROM visits "
        "WHERE person_id = 1 AND status IN ('proposed', 'confirmed')",
    )


async def test_a_visit_left_out_is_offered_only_to_those_free_in_its_slot_without_personal_details_first_pair_takes_it(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await seed_left_out(db_path)
    async with running(visit_settings(settings), poll_timeout=1) as bot:
        await seal_secrets(bot)
        await name_her_street(bot)
        fixed_clock(bot, at(1, 10))
        await publish_without_jeanne(coordinator, db_path)
        # After publication, more volunteers are free on Thursday afternoon; Anne too, but her one visit of
        # the week is made (Tuesday, with Paul).
        await add_members(database_of(bot), [*ASKED, *NOT_ASKED])
        call_id = await launch_for_jeanne(coordinator, db_path)
        coordinator.press(says("opencall.call_button", name="Jeanne Martin"))  # pressed again: the call is under way
        await coordinator.expect(says("opencall.refused.not_needed"))
        assert rows(db_path, "SELECT COUNT(*) FROM open_calls") == [(1,)]

        asked = people(fake_api, ASKED)
        for volunteer in asked.values():
            await volunteer.expect(
                says("opencall.ask", day="jeudi 7 mars", start="14:00", place="Rue Voltaire (Centre-ville)", minutes=50)
            )
        for member in (ANNE, PAUL, ZOE, HUGO, IRIS):
            assert count(fake_api, member, says("opencall.ask")) == 0, member
        # Nothing of Jeanne's file but her street reached those asked.
        for volunteer in asked.values():
            everything = shown_to(fake_api, volunteer.id)
            for secret in SECRETS:
                assert secret not in everything, (volunteer.first_name, secret)

        # Sami, a service civique member, says yes first: he waits for an experienced partner. Marc, not yet
        # experienced, may not go with him and waits too. Léa may: the pair is Sami and Léa.
        asked[SAMI].press(says("opencall.yes_button"))
        await asked[SAMI].expect(says("opencall.answer.held", day="jeu. 7 mars", start="14:00"))
        asked[MARC].press(says("opencall.yes_button"))
        await asked[MARC].expect(says("opencall.answer.held"))
        assert jeanne_visits(db_path) == []
        asked[LEA].press(says("opencall.yes_button"))
        await asked[LEA].expect(says("opencall.answer.filled"))
        assert jeanne_visits(db_path) == [("thu-pm", LEA, SAMI)]

        # They get the outing as at publication: partner, stops, a pin, the route, the calendar, Confirm.
        outing = await asked[SAMI].expect(says("visit.outing", partner="Léa"), "Jeanne", "12 rue Voltaire", "Code 1234")
        assert any(asked[SAMI].shown(b["text"], says("visit.confirm_button")) for b in outing.buttons())
        await asked[LEA].expect(says("visit.outing", partner="Sami"), "Jeanne")
        await eventually(lambda: len(ics_of(fake_api, SAMI)) == 1, "the calendar file")
        assert len(sent(fake_api, SAMI, "sendLocation")) == 1
        asked[SAMI].press(says("visit.confirm_button"))
        await asked[SAMI].expect(says("visit.confirmed"))

        await asked[MARC].expect(
            says("opencall.taken", day="jeudi 7 mars", start="14:00", place="Rue Voltaire (Centre-ville)")
        )
        await coordinator.expect(says("opencall.filled_coordinator", name="Jeanne Martin", pair="Léa & Sami"))
        # Marc's press replayed no longer works; nor do the buttons forged by Iris, who was never asked, nor
        # the coordinator's, who is no volunteer.
        before = calls_state(db_path)
        asked[MARC].press_data(f"oc:yes:{call_id}")
        await alerted(asked[MARC], says("opencall.closed_alert"))
        iris = FakeUser(fake_api, IRIS, "Iris")
        for data in (f"oc:yes:{call_id}", f"oc:no:{call_id}"):
            iris.press_data(data)
            await alerted(iris, says("opencall.not_for_you"))
        coordinator.press_data(f"oc:yes:{call_id}")
        await alerted(coordinator, says("access.refused"))
        assert calls_state(db_path) == before
        for secret in SECRETS:
            assert secret not in shown_to(fake_api, MARC), secret
        assert jeanne_visits(db_path) == [("thu-pm", LEA, SAMI)]


async def test_two_volunteers_accepting_at_the_same_moment_never_both_get_the_visit(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await seed_left_out(db_path)
    async with running(visit_settings(settings), poll_timeout=1) as bot:
        fixed_clock(bot, at(1, 10))
        await publish_without_jeanne(coordinator, db_path)
        late = [Member(LEA, "Léa", ("thu-pm",)), Member(MARC, "Marc", ("thu-pm",)), Member(SAMI, "Sami", ("thu-pm",))]
        await add_members(database_of(bot), late)
        await launch_for_jeanne(coordinator, db_path)
        asked = people(fake_api, late)
        for volunteer in asked.values():
            await volunteer.expect(says("opencall.ask"))
        asked[LEA].press(says("opencall.yes_button"))
        await asked[LEA].expect(says("opencall.answer.held"))

        # Marc and Sami, who may each go with Léa, tap at the same moment: both presses reach the bot in one
        # batch of updates and are processed side by side.
        with fake_api.together():
            asked[MARC].press(says("opencall.yes_button"))
            asked[SAMI].press(says("opencall.yes_button"))
        presses = {member: asked[member].last_callback_id for member in (MARC, SAMI)}

        def outcome(member: int) -> str | None:
            if count(fake_api, member, says("opencall.answer.filled")):
                return "taken"
            late_answers = [a for a in fake_api.callback_answers if a.get("callback_query_id") == presses[member]]
            too_late = says("opencall.closed_alert")
            return "too late" if any(asked[member].shown(str(a.get("text")), too_late) for a in late_answers) else None

        await eventually(lambda: outcome(MARC) is not None and outcome(SAMI) is not None, "both presses answered")
        assert sorted(str(outcome(m)) for m in (MARC, SAMI)) == ["taken", "too late"]
        winner, loser = (MARC, SAMI) if outcome(MARC) == "taken" else (SAMI, MARC)
        assert jeanne_visits(db_path) == [("thu-pm", LEA, winner)]
        assert rows(db_path, "SELECT status, first_volunteer, second_volunteer FROM open_calls") == [
            ("filled", LEA, winner)
        ]
        await asked[loser].expect(says("opencall.taken"))
        await asked[winner].expect(says("visit.outing", partner="Léa"), "Jeanne")
        await coordinator.expect(says("opencall.filled_coordinator"))
        assert count(fake_api, coordinator.id, says("opencall.filled_coordinator")) == 1
        assert count(fake_api, loser, says("visit.outing")) == 0


async def test_a_call_nobody_completes_ends_across_a_restart_and_the_coordinator_hears_of_it(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await seed_left_out(db_path)
    settings = visit_settings(settings)
    asked = people(fake_api, ASKED)
    async with running(settings, poll_timeout=1) as bot:
        fixed_clock(bot, at(1, 10))
        await publish_without_jeanne(coordinator, db_path)
        await add_members(database_of(bot), [*ASKED, *NOT_ASKED])
        await launch_for_jeanne(coordinator, db_path)
        assert rows(db_path, "SELECT expires_at FROM open_calls") == [("2030-03-01T21:00:00Z",)]  # 12 hours on
        for volunteer in asked.values():
            await volunteer.expect(says("opencall.ask"))
        asked[SAMI].press(says("opencall.yes_button"))
        await asked[SAMI].expect(says("opencall.answer.held"))
        asked[MARC].press(says("opencall.no_button"))
        await asked[MARC].expect(says("opencall.answer.declined"))

    # The bot is stopped past the call's end. The week is in 2030 and the restarted bot reads today's clock:
    # the end is brought back before today, as if that time had passed while it was stopped.
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        conn.execute("UPDATE open_calls SET expires_at = '2001-01-01T00:00:00Z'")
    async with running(settings, poll_timeout=1) as bot:
        await coordinator.expect(says("opencall.expired_coordinator", name="Jeanne Martin", accepted="Sami", count=3))
        await asked[SAMI].expect(says("opencall.lapsed"))
        assert rows(db_path, "SELECT status, visit_id FROM open_calls") == [("expired", None)]
        assert jeanne_visits(db_path) == []
        asked[LEA].press(says("opencall.yes_button"))
        await alerted(asked[LEA], says("opencall.closed_alert"))
        await asked[LEA].expect(says("opencall.closed"))
        # Settling again tells nobody twice; the visit is still to cover, and a new call may be launched.
        assert await services_of(bot).open_calls.settle_due() == 0
        assert count(fake_api, coordinator.id, says("opencall.expired_coordinator")) == 1
        lapsed = says("opencall.lapsed")
        assert count(fake_api, SAMI, lapsed) == 1 and count(fake_api, MARC, lapsed) == 0
        coordinator.send(f"/week {WEEK}")
        await coordinator.expect(says("week.header", week=10, year=2030), "Mme Durand")
        coordinator.press(says("opencall.board_button"))
        await coordinator.expect(
            says("opencall.uncovered", name="Jeanne Martin", count=1),
            says("opencall.line_expired", name="Jeanne Martin"),
        )


async def test_a_cant_go_nobody_replaces_gets_an_open_call_from_the_notice_and_the_pair_out_in_that_slot_is_not_asked(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    """Jeanne lives north of the hub, Mme Durand as far south: no pair can walk to both in one afternoon, so
    each has a pair of her own, and when one of Jeanne's pair cannot go, the repair finds nobody free."""
    members = [
        Member(m, name, ("tue-pm",)) for m, name in ((ANNE, "Anne"), (PAUL, "Paul"), (LEA, "Léa"), (MARC, "Marc"))
    ]
    await seed(db_path, members, (44.21165, 0.6170), (44.19635, 0.6170), jeanne_slots=())
    names = {m.id: m.name for m in members}
    async with running(visit_settings(settings), poll_timeout=1) as bot:
        fixed_clock(bot, at(1, 10))
        coordinator.send(f"/plan {WEEK}")
        await coordinator.expect(says("plan.preview_header", week=10, year=2030), "Jeanne Martin")
        coordinator.press(says("plan.publish_button"))
        await coordinator.expect(says("plan.published", sent=says("plan.visits_sent", count=2)))
        pairs = rows(db_path, "SELECT person_id, first_volunteer, second_volunteer FROM visits ORDER BY person_id")
        (_, staying, leaving), (_, *others) = pairs
        assert isinstance(staying, int) and isinstance(leaving, int)
        declined_visit = rows(db_path, "SELECT id FROM visits WHERE person_id = 1")[0][0]

        volunteer = FakeUser(fake_api, leaving, names[leaving])
        await volunteer.expect(says("visit.outing"))
        volunteer.press(says("visit.decline_button"))
        await volunteer.expect(says("visit.decline_sure"))
        volunteer.press(says("visit.decline_sure_button"))
        await coordinator.expect(
            says("visit.declined_coordinator", volunteer=names[leaving]),
            says("visit.decline_line_open"),
            says("visit.decline_open_call_hint"),
        )
        assert jeanne_visits(db_path) == []

        await add_members(database_of(bot), [Member(IRIS, "Iris", ("tue-pm",))])
        coordinator.press(says("opencall.call_button", name="Jeanne Martin"))
        await coordinator.expect(
            says("opencall.launched", count=2, name="Jeanne Martin", day="mar. 5 mars", start="14:00")
        )
        stayer, iris = FakeUser(fake_api, staying, names[staying]), FakeUser(fake_api, IRIS, "Iris")
        for asked in (stayer, iris):
            place = "Avenue Henri Barbusse (Montanou)"  # the street nearest her door
            await asked.expect(says("opencall.ask", day="mardi 5 mars", start="14:00", place=place))
        for member in (leaving, *others):
            assert count(fake_api, int(str(member)), says("opencall.ask")) == 0, member

        stayer.press(says("opencall.yes_button"))
        await stayer.expect(says("opencall.answer.held"))
        iris.press(says("opencall.yes_button"))
        await iris.expect(says("opencall.answer.filled"))
        await iris.expect(says("visit.outing", partner=names[staying]), "Jeanne", "12 rue Voltaire")
        await coordinator.expect(says("opencall.filled_coordinator"))
        assert jeanne_visits(db_path) == [("tue-pm", *sorted((staying, IRIS)))]
        assert rows(db_path, "SELECT replaces FROM visits WHERE person_id = 1 AND status = 'proposed'") == [
            (declined_visit,)
        ]


async def test_a_volunteer_who_erases_their_data_leaves_no_trace_in_the_calls(
    settings: Settings, db_path: Path
) -> None:
    await seed_left_out(db_path)
    db = Database(db_path)
    await db.open()
    await unlock(db, settings.privacy.data_key, settings.privacy.key_path(db.path))
    await add_members(db, [Member(LEA, "Léa", ("thu-pm",)), Member(MARC, "Marc", ("thu-pm",))])
    async with db.transaction() as tx:
        plan = await tx.execute(
            "INSERT INTO week_plans (year, iso_week, status, created_by) VALUES (2030, 10, 'published', 1)"
        )
        call = await tx.execute(
            "INSERT INTO open_calls (plan_id, person_id, slot_id, day, status, first_volunteer, second_volunteer, "
            "launched_by, expires_at) VALUES (?, 1, 'thu-pm', '2030-03-07', 'filled', ?, ?, 1, '2030-03-01T21:00:00Z')",
            (plan, LEA, MARC),
        )
        await tx.execute_many(
            "INSERT INTO open_call_invitees (call_id, volunteer, kind, experienced, capacity, answer) "
            "VALUES (?, ?, 'benevole', 1, 2, 'accepted')",
            [(call, LEA), (call, MARC)],
        )
    exported = await PrivacyRepository(db).everything_about(MARC)
    assert exported["open_calls"] == [
        {"day": "2030-03-07", "slot_id": "thu-pm", "answer": "accepted", "answered_at": None}
    ]
    erasure = await PrivacyRepository(db).erase_user(MARC)
    await db.close()
    # The erasure's number stands in for Marc, and the pair stays in order (smaller first).
    assert rows(db_path, "SELECT first_volunteer, second_volunteer FROM open_calls") == [(-erasure, LEA)]
    assert rows(db_path, "SELECT volunteer FROM open_call_invitees") == [(LEA,)]
