"""Whoever withdraws is out of the repair, end to end through the fake Bot API: a volunteer who cannot go is
never handed a visit of that half-day again, and a volunteer who erases themselves leaves every outing still
ahead before any repair runs: nobody is told they take a visit over, no partner gets an outing with them."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

from bot.app import running
from bot.config import Settings
from tests.catalogue import DEFAULT_LANGUAGE, says, shows
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi
from tests.stored_data import LOCK_WAIT_S
from tests.telegram_users import FakeUser, eventually
from tests.test_visits import HUB, WEEK, at, fixed_clock, visit_settings
from tests.town import Member, Resident, seed_town

HUGO, INES, PAUL, ZOE = 851, 852, 853, 854
NEAR = (HUB[0] + 0.0005, HUB[1] + 0.0004)
ACTIVE = "status IN ('proposed', 'confirmed')"


def taken_only_by(text: str, names: tuple[str, ...]) -> bool:
    """Whether every line of a coordinator's notice that says who took a visit over names a pair of `names`."""
    pairs = [says("visit.decline_line_taken", pair=f"{a} & {b}") for a, b in itertools.product(names, repeat=2)]
    return all(
        any(shows(line, pair, DEFAULT_LANGUAGE) for pair in pairs)
        for line in text.splitlines()
        if shows(line, says("visit.decline_line_taken"), DEFAULT_LANGUAGE)
    )


def outings_with_others(api: FakeBotApi, chat: int, names: tuple[str, ...]) -> list[str]:
    """The outings the chat was sent with a partner who is not one of `names`."""
    partnered = [says("visit.outing", partner=name) for name in names]
    return [
        s.text
        for s in api.sent_to(chat)
        if shows(s.text, says("visit.outing"), DEFAULT_LANGUAGE)
        and not any(shows(s.text, partner, DEFAULT_LANGUAGE) for partner in partnered)
    ]


async def test_a_volunteer_who_cannot_go_is_never_given_a_visit_of_that_half_day_again(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    # Jacqueline is visited on Tuesday by Hugo and Inès. Paul is free on Tuesday too, but only for one visit,
    # which Mme Noguès needs: when Hugo cannot go, the only pair left for Jacqueline on Tuesday is Inès and
    # Hugo himself.
    await seed_town(
        db_path,
        [
            Member(HUGO, "Hugo", ("tue-pm",), capacity=4),
            Member(INES, "Inès", ("tue-pm",), capacity=4),
            Member(PAUL, "Paul", ("tue-pm",), capacity=1),
        ],
        [
            Resident("Jacqueline Martin", "4 rue Voltaire", NEAR),
            Resident("Mme Noguès", "6 rue Voltaire", (NEAR[0] + 0.0002, NEAR[1])),
        ],
    )
    async with running(visit_settings(settings), poll_timeout=1) as bot:
        fixed_clock(bot, at(1, 10))
        coordinator.send(f"/plan {WEEK}")
        await coordinator.expect(says("plan.preview_header", week=10, year=2030, status=says("plan.status.draft")))
        coordinator.press(says("plan.publish_button"))
        await coordinator.expect(says("plan.published"))
        hugo = FakeUser(fake_api, HUGO, "Hugo")
        await hugo.expect(says("visit.outing"))
        visit = rows(db_path, f"SELECT MIN(id) FROM visits WHERE {HUGO} IN (first_volunteer, second_volunteer)")[0][0]

        hugo.press_data(f"vis:nok:{visit}")
        await hugo.expect(says("visit.declined"))
        notice = await coordinator.expect(says("visit.declined_coordinator", volunteer="Hugo"))
        assert taken_only_by(notice.text, ("Inès", "Paul")), notice.text  # nobody reads "repris par … Hugo"
        assert rows(
            db_path, f"SELECT COUNT(*) FROM visits WHERE {ACTIVE} AND {HUGO} IN (first_volunteer, second_volunteer)"
        ) == [(0,)]


def publish_by_hand(db_path: Path, outings: list[tuple[str, str, int, int, int]]) -> None:
    """Week 10 of 2030 published as the bot would have stored it: (slot, day, pair, person) per outing."""
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        plan = conn.execute(
            "INSERT INTO week_plans (year, iso_week, status, created_by, published_by) "
            "VALUES (2030, 10, 'published', 1, 1)"
        ).lastrowid
        for slot, day, first, second, person in outings:
            conn.execute(
                "INSERT INTO visits (plan_id, person_id, slot_id, day, first_volunteer, second_volunteer, position, "
                "arrival, departure, walk_min, meet_lat, meet_lon) "
                "VALUES (?, ?, ?, ?, ?, ?, 1, '14:05', '14:50', 1, ?, ?)",
                (plan, person, slot, day, first, second, *HUB),
            )


async def test_a_volunteer_who_erases_themselves_leaves_every_outing_before_any_repair_and_is_planned_no_more(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    # Zoé goes out twice: on Tuesday with Hugo to Jeanne, on Thursday with Paul to Mme Noguès. Nobody but Zoé
    # can go with Hugo on Tuesday; Inès is free on Thursday.
    jeanne, nogues = await seed_town(
        db_path,
        [
            Member(ZOE, "Zoé", ("tue-pm", "thu-pm"), capacity=4),
            Member(HUGO, "Hugo", ("tue-pm",), capacity=4),
            Member(PAUL, "Paul", ("thu-pm",), capacity=4),
            Member(INES, "Inès", ("thu-pm",), capacity=4),
        ],
        [
            Resident("Jeanne Durand", "4 rue Voltaire", NEAR),
            Resident("Mme Noguès", "6 rue Voltaire", (NEAR[0] + 0.0002, NEAR[1])),
        ],
    )
    publish_by_hand(db_path, [("tue-pm", "2030-03-05", HUGO, ZOE, jeanne), ("thu-pm", "2030-03-07", PAUL, ZOE, nogues)])
    async with running(visit_settings(settings), poll_timeout=1) as bot:
        fixed_clock(bot, at(1, 10))
        zoe, hugo, paul = (
            FakeUser(fake_api, who, name) for who, name in ((ZOE, "Zoé"), (HUGO, "Hugo"), (PAUL, "Paul"))
        )

        zoe.send("/forget")
        await zoe.expect(says("privacy.forget_confirm"))
        zoe.press(says("button.forget_me"))
        await zoe.expect(says("privacy.forgotten"))
        await hugo.expect(says("visit.declined_partner"))
        await paul.expect(says("visit.declined_partner"))
        await eventually(
            lambda: (
                rows(db_path, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_reason IS NULL") == [(0,)]
            ),
            "every notice delivered",
            wait_s=60,
        )
        # Nobody was told Zoé takes a visit over, nor got an outing with her (had one been queued, the erasure
        # would show her as "…"): Inès and Paul go on Thursday, to both.
        staying = ("Hugo", "Paul", "Inès")
        for who in (HUGO, PAUL, INES):
            assert outings_with_others(fake_api, who, staying) == [], who
        for notice in fake_api.sent_to(coordinator.id):
            assert taken_only_by(notice.text, staying), notice.text
        active = rows(db_path, f"SELECT DISTINCT slot_id, first_volunteer, second_volunteer FROM visits WHERE {ACTIVE}")
        assert active == [("thu-pm", INES, PAUL)]
        coordinator.send(f"/week {WEEK}")
        week = await coordinator.expect(says("week.header", week=10, year=2030))
        still_on = [line for line in week.text.splitlines() if line.startswith(("⏳", "✅"))]
        assert still_on and all("?" not in line for line in still_on), week.text
