"""What the coordinator and the volunteers read is written right, end to end through the fake Bot API: a count
agrees with its noun ("1 binôme", "1 prévue sur 1 due", "1 visite envoyée"), a date written short is not
followed by a second period, the partner is told the street of the home where the pair meets, after a
"can't go" the coordinator hears when the visit now takes place, and a week without a visit is not
published."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from bot.app import running, services_of
from bot.config import Settings
from bot.runtime.inbox import InboxApplication
from tests.catalogue import says
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser
from tests.test_visits import PARIS
from tests.town import Member, Resident, seed_town

# December, whose short French name ends with a period ("déc."): Tuesday 3 December 2030.
WEEK = "2030-W49"
FRIDAY_BEFORE = datetime(2030, 11, 29, 10, tzinfo=PARIS)
TUE = ("tue-pm",)
HOMES = {"Anne": (44.2041, 0.6171), "Paul": (44.2052, 0.6190), "Léa": (44.2060, 0.6200)}
TEAM = [Member(970 + i, name, TUE, home=home) for i, (name, home) in enumerate(HOMES.items())]
NAMES = {m.id: m.name for m in TEAM}
JEANNE = Resident("Jeanne Martin", "12 rue Voltaire", (44.2045, 0.6175))


@asynccontextmanager
async def published(
    settings: Settings, db_path: Path, coordinator: FakeUser, team: Sequence[Member]
) -> AsyncIterator[InboxApplication]:
    """The week planned for Jeanne and published; no meeting hub, so a pair meets at one member's home."""
    await seed_town(db_path, team, [JEANNE])
    planning = settings.planning.model_copy(update={"time_limit_s": 2.0})
    async with running(settings.model_copy(update={"planning": planning}), poll_timeout=1) as bot:
        services_of(bot).calendar.now = lambda: FRIDAY_BEFORE
        coordinator.send(f"/plan {WEEK}")
        await coordinator.expect(says("plan.preview_header", week=49, year=2030), "Jeanne Martin")
        coordinator.press(says("plan.publish_button"))
        await coordinator.expect(says("plan.published"))
        yield bot


def the_pair(db_path: Path) -> tuple[int, int, int]:
    """The two members of the week's outing and the one whose home they meet at."""
    [(first, second, host)] = rows(
        db_path, "SELECT first_volunteer, second_volunteer, meet_host FROM visits WHERE status = 'proposed'"
    )
    return int(str(first)), int(str(second)), int(str(host))


async def test_one_pair_and_one_visit_are_counted_in_the_singular(
    settings: Settings, db_path: Path, coordinator: FakeUser
) -> None:
    async with published(settings, db_path, coordinator, TEAM[:2]):
        [preview] = coordinator.received(says("plan.preview_header", week=49))
        planned, due = says("plan.planned", count=1), says("plan.due", count=1)
        pairs = says("plan.pairs", count=1)
        assert coordinator.shown(preview.text, says("plan.preview_header", planned=planned, due=due, pairs=pairs))
        await coordinator.expect(says("plan.published", sent=says("plan.visits_sent", count=1)))


async def test_a_week_without_a_visit_offers_no_publish_and_a_forged_press_publishes_nothing(
    settings: Settings, db_path: Path, coordinator: FakeUser, fake_api: FakeBotApi
) -> None:
    await seed_town(db_path, TEAM[:2], [])
    async with running(settings, poll_timeout=1) as bot:
        services_of(bot).calendar.now = lambda: FRIDAY_BEFORE
        coordinator.send(f"/plan {WEEK}")
        planned, due = says("plan.planned", count=0), says("plan.due", count=0)
        preview = await coordinator.expect(
            says("plan.preview_header", week=49, planned=planned, due=due), says("plan.nothing_to_publish")
        )
        assert not any(coordinator.shown(button["text"], says("plan.publish_button")) for button in preview.buttons())
        [(plan_id,)] = rows(db_path, "SELECT id FROM week_plans")
        coordinator.press_data(f"pl:pub:{plan_id}")
        await coordinator.expect(says("plan.empty_not_published"))
        assert rows(db_path, "SELECT status FROM week_plans") == [("draft",)]
        assert rows(db_path, "SELECT COUNT(*) FROM outbox") == [(0,)]


async def test_a_confirmation_ends_a_short_date_with_one_period(
    settings: Settings, db_path: Path, coordinator: FakeUser, fake_api: FakeBotApi
) -> None:
    async with published(settings, db_path, coordinator, TEAM[:2]):
        first = the_pair(db_path)[0]
        member = FakeUser(fake_api, first, NAMES[first])
        await member.expect(says("visit.outing"), "Jeanne")
        member.press(says("visit.confirm_button"))
        confirmed = await member.expect(says("visit.confirmed", slot="mar. 3 déc."))
        assert not re.search(r"(?<!\.)\.\.(?!\.)", confirmed.text), confirmed.text


async def test_the_partner_is_told_the_street_of_the_home_where_the_pair_meets(
    settings: Settings, db_path: Path, coordinator: FakeUser, fake_api: FakeBotApi
) -> None:
    async with published(settings, db_path, coordinator, TEAM[:2]):
        first, second, host = the_pair(db_path)
        guest_id = second if host == first else first
        guest = FakeUser(fake_api, guest_id, NAMES[guest_id])
        street = says("visit.meet_partner_street", partner=NAMES[host], street=f"Rue de {NAMES[host]}")
        await guest.expect(says("visit.outing", start="14:00", meeting=street))
        await FakeUser(fake_api, host, NAMES[host]).expect(
            says("visit.outing", start="14:00", meeting=says("visit.meet_your_home"))
        )


async def test_after_a_cant_go_the_coordinator_hears_who_took_the_visit_over_and_when(
    settings: Settings, db_path: Path, coordinator: FakeUser, fake_api: FakeBotApi
) -> None:
    async with published(settings, db_path, coordinator, TEAM):
        _first, second, _host = the_pair(db_path)
        leaving = FakeUser(fake_api, second, NAMES[second])
        await leaving.expect(says("visit.outing"), "Jeanne")
        leaving.press(says("visit.decline_button"))
        await leaving.expect(says("visit.decline_sure"))
        leaving.press(says("visit.decline_sure_button"))
        notice = await coordinator.expect(
            says("visit.declined_coordinator", volunteer=NAMES[second]), says("visit.decline_line_taken")
        )
        [(a, b, day, arrival)] = rows(
            db_path, "SELECT first_volunteer, second_volunteer, day, arrival FROM visits WHERE status = 'proposed'"
        )
        assert day == "2030-12-03"
        pair = f"{NAMES[int(str(a))]} & {NAMES[int(str(b))]}"
        now = says("visit.decline_line_taken", pair=pair, day="mardi 3 décembre", arrival=arrival)
        assert coordinator.shown(notice.text, now), notice.text
