"""What the coordinator and the volunteers read is written right, end to end through the fake Bot API: a count
agrees with its noun ("1 binôme", "1 visite envoyée"), a date written short is not followed by a second
period, the partner is told the street of the home where the pair meets, and after a "can't go" the
coordinator hears when the visit now takes place."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from bot.app import running, services_of
from bot.config import Settings
from bot.runtime.inbox import InboxApplication
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
        await coordinator.expect("Semaine 49 de 2030", "Jeanne Martin")
        coordinator.press("Publier")
        await coordinator.expect("Publié")
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
        preview = next(s for s in coordinator.api.sent_to(coordinator.id) if "Semaine 49" in s.text)
        assert "· 1 binôme ·" in preview.text
        await coordinator.expect("Publié : 1 visite envoyée aux bénévoles")


async def test_a_confirmation_ends_a_short_date_with_one_period(
    settings: Settings, db_path: Path, coordinator: FakeUser, fake_api: FakeBotApi
) -> None:
    async with published(settings, db_path, coordinator, TEAM[:2]):
        first = the_pair(db_path)[0]
        member = FakeUser(fake_api, first, NAMES[first])
        await member.expect("Visites", "Jeanne")
        member.press("Je confirme")
        confirmed = await member.expect("C'est confirmé pour mar. 3 déc.")
        assert not re.search(r"(?<!\.)\.\.(?!\.)", confirmed.text), confirmed.text


async def test_the_partner_is_told_the_street_of_the_home_where_the_pair_meets(
    settings: Settings, db_path: Path, coordinator: FakeUser, fake_api: FakeBotApi
) -> None:
    async with published(settings, db_path, coordinator, TEAM[:2]):
        first, second, host = the_pair(db_path)
        guest_id = second if host == first else first
        guest = FakeUser(fake_api, guest_id, NAMES[guest_id])
        outing = await guest.expect("Visites", "Rendez-vous à 14:00")
        assert f"chez {NAMES[host]}, Rue de {NAMES[host]}." in outing.text
        hosting = await FakeUser(fake_api, host, NAMES[host]).expect("Visites", "Rendez-vous à 14:00")
        assert "chez vous." in hosting.text


async def test_after_a_cant_go_the_coordinator_hears_who_took_the_visit_over_and_when(
    settings: Settings, db_path: Path, coordinator: FakeUser, fake_api: FakeBotApi
) -> None:
    async with published(settings, db_path, coordinator, TEAM):
        _first, second, _host = the_pair(db_path)
        leaving = FakeUser(fake_api, second, NAMES[second])
        await leaving.expect("Visites", "Jeanne")
        leaving.press("Je ne peux pas")
        await leaving.expect("Vous ne pouvez pas venir")
        leaving.press("Oui, je ne peux pas")
        notice = await coordinator.expect(f"{NAMES[second]} ne peut pas venir", "repris par")
        [(a, b, day, arrival)] = rows(
            db_path, "SELECT first_volunteer, second_volunteer, day, arrival FROM visits WHERE status = 'proposed'"
        )
        assert day == "2030-12-03"
        assert f"repris par {NAMES[int(str(a))]} &amp; {NAMES[int(str(b))]}, mardi 3 décembre à {arrival}" in (
            notice.text
        )
