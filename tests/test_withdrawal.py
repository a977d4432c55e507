"""Whoever withdraws is out of the repair, end to end through the fake Bot API: a volunteer who cannot go is
never handed a visit of that half-day again, and a volunteer who erases themselves leaves every outing still
ahead before any repair runs: nobody is told they take a visit over, no partner gets an outing with them."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from bot.app import running
from bot.config import Settings
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually
from tests.test_visits import HUB, WEEK, at, fixed_clock, visit_settings
from tests.town import Member, Resident, seed_town

HUGO, INES, PAUL, ZOE = 851, 852, 853, 854
NEAR = (HUB[0] + 0.0005, HUB[1] + 0.0004)
ACTIVE = "status IN ('proposed', 'confirmed')"
# "repris par Inès & Paul, jeudi 7 mars à 14:01", as the HTML of the message spells it.
TAKERS = re.compile(r"repris par (Hugo|Paul|Inès) &amp; (Hugo|Paul|Inès),")


def partners_named(api: FakeBotApi, chat: int, after: int) -> list[str]:
    """The partners named in the outings the chat was sent after its `after`-th message."""
    outings = [s.text for s in api.sent_to(chat)[after:] if s.text.startswith("🚶")]
    return [found.group(1) for text in outings if (found := re.search(r"</b> avec (.+)\n", text))]


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
        await coordinator.expect("Semaine 10 de 2030", "brouillon")
        coordinator.press("Publier")
        await coordinator.expect("Publié")
        hugo = FakeUser(fake_api, HUGO, "Hugo")
        await hugo.expect("Visites")
        visit = rows(db_path, f"SELECT MIN(id) FROM visits WHERE {HUGO} IN (first_volunteer, second_volunteer)")[0][0]

        hugo.press_data(f"vis:nok:{visit}")
        await hugo.expect("C'est noté")
        notice = await coordinator.expect("Hugo ne peut pas venir")
        assert "Hugo" not in notice.text.split("\n", 1)[1], notice.text  # nobody reads "repris par … Hugo"
        assert rows(
            db_path, f"SELECT COUNT(*) FROM visits WHERE {ACTIVE} AND {HUGO} IN (first_volunteer, second_volunteer)"
        ) == [(0,)]


def publish_by_hand(db_path: Path, outings: list[tuple[str, str, int, int, int]]) -> None:
    """Week 10 of 2030 published as the bot would have stored it: (slot, day, pair, person) per outing."""
    with sqlite3.connect(db_path) as conn:
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
        await zoe.expect("Effacer vos données")
        zoe.press("Oui, tout effacer")
        await zoe.expect("vos données sont effacées")
        await hugo.expect("ne pourra pas venir")
        await paul.expect("ne pourra pas venir")
        await eventually(
            lambda: (
                rows(db_path, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_reason IS NULL") == [(0,)]
            ),
            "every notice delivered",
            wait_s=60,
        )
        # Nobody was told Zoé takes a visit over, nor got an outing with her (had one been queued, the erasure
        # would show her as "…"): Inès and Paul go on Thursday, to both.
        for who in (HUGO, PAUL, INES):
            assert set(partners_named(fake_api, who, 0)) <= {"Hugo", "Paul", "Inès"}, who
        for notice in fake_api.sent_to(coordinator.id):
            for line in notice.text.splitlines():
                assert "repris par" not in line or TAKERS.search(line), line
        active = rows(db_path, f"SELECT DISTINCT slot_id, first_volunteer, second_volunteer FROM visits WHERE {ACTIVE}")
        assert active == [("thu-pm", INES, PAUL)]
        coordinator.send(f"/week {WEEK}")
        week = await coordinator.expect("Semaine 10 de 2030")
        still_on = [line for line in week.text.splitlines() if line.startswith(("⏳", "✅"))]
        assert still_on and all("?" not in line for line in still_on), week.text
