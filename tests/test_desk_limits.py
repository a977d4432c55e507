"""No account can flood the coordinators' desk, and a danger is never queued behind routine notices, end to
end through the fake Bot API: past its limits an account gets a kind answer (a danger still shows the
emergency numbers) and nothing reaches the desk; the coordinators hear once, and one press lifts it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import database_of, running
from bot.config import Settings
from bot.notices import Notice
from bot.runtime.inbox import InboxApplication
from bot.storage.outbox import OutboxRepository
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import draft_from_pin, report_from_pin
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually

MARC = 3001


@pytest.fixture
async def limited_bot(settings: Settings) -> AsyncIterator[InboxApplication]:
    limits = settings.limits.model_copy(update={"dangers": 2, "contact_requests": 2, "reports": 2})
    async with running(settings.model_copy(update={"limits": limits}), poll_timeout=1) as application:
        yield application


def reports_of(db_path: Path, channel: str, urgency: str) -> int:
    found = rows(db_path, f"SELECT COUNT(*) FROM reports WHERE channel = '{channel}' AND urgency = '{urgency}'")
    return int(str(found[0][0]))


def told(api: FakeBotApi, chat: int, fragment: str) -> int:
    return sum(1 for s in api.sent_to(chat) if fragment.lower() in s.text.lower())


async def raise_danger(marc: FakeUser) -> None:
    marc.send("/report")
    await marc.expect("bouton rouge")
    marc.press("Danger immédiat")
    await marc.expect("15", "112")


async def test_a_flood_of_contact_requests_and_dangers_stops_at_the_limits_and_a_coordinator_lifts_them(
    limited_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    marc = FakeUser(fake_api, MARC, "Marc")
    # Forged "contact me" presses: two reach the desk, the others get a kind answer and reach nobody.
    for _ in range(5):
        marc.press_data("selftest:contact")
        await marc.expect("🙏")
    assert reports_of(db_path, "self_test", "soon") == 2
    assert told(fake_api, MARC, "Votre demande est déjà arrivée") == 3

    # Dangers: past the second, the emergency numbers still come first, then a kind word; nothing more is
    # stored, and the desk hears of no new danger.
    for _ in range(2):
        await raise_danger(marc)
        await marc.expect("La coordination est prévenue")
    await raise_danger(marc)
    kind = await marc.expect("Vos alertes de ces dernières heures sont bien arrivées")
    assert "15" in kind.text and "112" in kind.text
    numbers = [s for s in marc.new_messages() if "SAMU" in s.text]
    assert numbers and marc.new_messages().index(numbers[0]) < marc.new_messages().index(kind)
    assert reports_of(db_path, "telegram", "danger") == 2
    await eventually(lambda: told(fake_api, COORDINATOR_ID, "DANGER IMMÉDIAT") == 2, "both dangers on the desk")

    # The coordinator heard once per limit reached, and lifts it with one press: Marc's next danger goes through.
    await coordinator.expect("Limite atteinte", "Marc", "alertes de danger")
    assert told(fake_api, COORDINATOR_ID, "Limite atteinte") == 2  # contact requests, dangers
    coordinator.press("Lever la limite")
    await coordinator.expect("Limite levée pour Marc")
    await raise_danger(marc)
    await marc.expect("La coordination est prévenue")
    assert reports_of(db_path, "telegram", "danger") == 3
    await eventually(lambda: told(fake_api, COORDINATOR_ID, "DANGER IMMÉDIAT") == 3, "the third danger on the desk")


async def test_a_report_over_the_limit_stays_in_the_chat_and_is_stored_once_the_limit_is_lifted(
    limited_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    marc = FakeUser(fake_api, MARC, "Marc")
    for _ in range(2):
        await report_from_pin(marc)
    await draft_from_pin(marc)
    marc.press("Envoyer")
    await marc.expect("Celui-ci reste ici")
    assert reports_of(db_path, "telegram", "soon") == 2
    # The refused report is still on screen: once the limit is lifted, Send stores it.
    await coordinator.expect("Limite atteinte", "signalements")
    coordinator.press("Lever la limite")
    await coordinator.expect("Limite levée")
    marc.press("Envoyer")
    await marc.expect("est enregistré")
    assert reports_of(db_path, "telegram", "soon") == 3


async def test_a_danger_reaches_the_coordinator_ahead_of_the_routine_notices_queued_before_it(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    outbox = OutboxRepository(database_of(bot))
    for n in range(20):
        await outbox.enqueue(COORDINATOR_ID, Notice("report.digest", {"count": n, "lines": "-"}), f"routine:{n}")
    paul = FakeUser(fake_api, 2002, "Paul")
    await raise_danger(paul)
    await eventually(lambda: told(fake_api, COORDINATOR_ID, "DANGER IMMÉDIAT") == 1, "the danger on the desk")
    # One chat gets a message a second: had the danger waited its turn, twenty would have come first.
    texts = [s.text for s in fake_api.sent_to(COORDINATOR_ID)]
    danger = next(i for i, text in enumerate(texts) if "DANGER IMMÉDIAT" in text)
    assert sum(1 for text in texts[:danger] if "Signalements en attente" in text) < 10, texts[:danger]
