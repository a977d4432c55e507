"""The outbox hands out urgent notices first and keeps each chat's order within a priority; a use case's
transaction holds its notices (queued with it or not at all); notices queued by the previous version, whose
parameter names said how to show them, still read the same after the upgrade."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date, time

import pytest

from bot.cli.database import unlock_configured
from bot.config import Settings
from bot.domain.actions.visits import ConfirmVisit
from bot.i18n import Translations
from bot.notices import Lines, Listing, Message, Notice, Pin, Priority, render
from bot.storage.database import Database
from bot.storage.outbox import OutboxRepository
from tests.conftest import rows

ANNE, PAUL = 701, 702


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = Database(settings.storage.db_path)
    await database.open()
    await unlock_configured(database, settings)
    yield database
    await database.close()


async def handed_out(outbox: OutboxRepository) -> list[tuple[int, str]]:
    """Deliver everything, as the worker does: each time, what is due now; returns (chat, key) in order."""
    order = []
    while due := await outbox.due(0.0):
        for queued in due:
            order.append((queued.recipient, queued.notice.key or "pin"))
            await outbox.mark_sent(queued.id)
    return order


async def test_urgent_notices_leave_first_and_an_outings_pins_never_come_before_its_text(db: Database) -> None:
    outbox = OutboxRepository(db)
    await outbox.enqueue(ANNE, Notice("visit.outing"), "outing")
    await outbox.enqueue(ANNE, Notice("", pin=Pin(44.2, 0.6)), "pin")
    await outbox.enqueue(PAUL, Notice("report.digest"), "digest")
    await outbox.enqueue(ANNE, Notice("report.danger_alert"), "danger", Priority.URGENT)
    await outbox.enqueue(PAUL, Notice("visit.worry"), "worry", Priority.URGENT)
    assert await handed_out(outbox) == [
        (ANNE, "report.danger_alert"),
        (PAUL, "visit.worry"),
        (ANNE, "visit.outing"),
        (PAUL, "report.digest"),
        (ANNE, "pin"),
    ]


async def test_a_notice_waiting_out_a_retry_holds_back_the_later_ones_of_its_chat_but_not_an_urgent_one(
    db: Database,
) -> None:
    outbox = OutboxRepository(db)
    await outbox.enqueue(ANNE, Notice("visit.outing"), "outing")
    await outbox.enqueue(ANNE, Notice("", pin=Pin(44.2, 0.6)), "pin")
    [text] = await outbox.due(0.0)
    await outbox.retry_later(text.id, at=100.0)
    assert await outbox.due(50.0) == []
    await outbox.enqueue(ANNE, Notice("report.danger_alert"), "danger", Priority.URGENT)
    assert [q.notice.key for q in await outbox.due(50.0)] == ["report.danger_alert"]


async def test_notices_queued_inside_a_transaction_are_queued_with_it_or_not_at_all(db: Database) -> None:
    outbox = OutboxRepository(db)
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO users (telegram_id, first_name) VALUES (?, 'Anne')", (ANNE,))
            await outbox.enqueue(ANNE, Notice("visit.outing"), "outing")
            raise RuntimeError("the machine stops here")
    assert rows(db.path, "SELECT COUNT(*) FROM users") == [(0,)]
    assert rows(db.path, "SELECT COUNT(*) FROM outbox") == [(0,)]

    async with db.transaction() as tx:
        await tx.execute("INSERT INTO users (telegram_id, first_name) VALUES (?, 'Anne')", (ANNE,))
        # A step that fails inside is undone alone (a savepoint); the rest commits together.
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await outbox.enqueue(ANNE, Notice("visit.worry"), "worry")
                raise RuntimeError("this step only")
        await outbox.enqueue(ANNE, Notice("visit.outing"), "outing")
    assert rows(db.path, "SELECT dedup_key FROM outbox") == [("outing",)]


async def test_another_task_waits_for_a_transaction_to_finish_and_sees_it_whole(db: Database) -> None:
    outbox = OutboxRepository(db)
    seen: list[int] = []
    inside = asyncio.Event()

    async def publish() -> None:
        async with db.transaction():
            await outbox.enqueue(ANNE, Notice("visit.outing"), "a")
            inside.set()
            await asyncio.sleep(0.05)  # the other task tries to read meanwhile
            await outbox.enqueue(PAUL, Notice("visit.outing"), "b")

    async def read() -> None:
        await inside.wait()
        seen.append(len(await outbox.due(0.0)))

    await asyncio.gather(publish(), read())
    assert seen == [2]


async def test_a_notice_queued_before_values_carried_their_type_reads_the_same_after_the_upgrade(
    db: Database, settings: Settings
) -> None:
    # As the previous version queued an outing's text: the names' suffixes said how to show the values.
    legacy = {
        "key": "visit.outing",
        "params": {
            "partner": "Paul",
            "day_date": "2030-03-05",
            "start": "14:00",
            "end": "15:30",
            "stops_lines": [
                {
                    "key": "visit.stop_line",
                    "params": {"position": 1, "arrival": "14:05", "name": "Jeanne", "address": "12 rue Voltaire"},
                },
                {"key": "visit.stop_access", "params": {"notes": "Code 1234"}},
            ],
            "meeting_lines": [{"key": "visit.meet_hub", "params": {"hub": "Maison des associations"}}],
        },
        "buttons": [[["visit.confirm_button", "vis:ok:1", None]]],
    }
    worry = {
        "key": "visit.worry",
        "params": {
            "name": "Jeanne Martin",
            "address": "12 rue Voltaire",
            "day_date": "2030-03-05",
            "volunteer": "Anne",
            "mood_key": "visit.mood.2",
            "needs_keys": ["sign.need_meals", "sign.need_digital"],
            "note": "-",
        },
        "buttons": [],
    }
    async with db.transaction() as tx:
        for n, notice in enumerate((legacy, worry)):
            await tx.execute(
                "INSERT INTO outbox (recipient, notice, dedup_key) VALUES (?, seal(?), ?)",
                (ANNE, json.dumps(notice, ensure_ascii=False), f"old:{n}"),
            )
    stops = Lines(
        (
            Message(
                "visit.stop_line",
                {"position": 1, "arrival": time(14, 5), "name": "Jeanne", "address": "12 rue Voltaire"},
            ),
            Message("visit.stop_access", {"notes": "Code 1234"}),
        )
    )
    typed = [
        Notice(
            "visit.outing",
            {
                "partner": "Paul",
                "day": date(2030, 3, 5),
                "start": time(14),
                "end": time(15, 30),
                "stops": stops,
                "meeting": Message("visit.meet_hub", {"hub": "Maison des associations"}),
            },
        ),
        Notice(
            "visit.worry",
            {
                "name": "Jeanne Martin",
                "address": "12 rue Voltaire",
                "day": date(2030, 3, 5),
                "volunteer": "Anne",
                "mood": Message("visit.mood.2"),
                "needs": Listing((Message("sign.need_meals"), Message("sign.need_digital"))),
                "note": "-",
            },
        ),
    ]
    outbox = OutboxRepository(db)
    queued = []
    while due := await outbox.due(0.0):
        queued += due
        for notice in due:
            await outbox.mark_sent(notice.id)
    for language in ("fr", "en"):
        _ = Translations("fr").get(language)
        shown = [render(_, q.notice.key, q.notice.params) for q in queued]
        assert shown == [render(_, n.key, n.params) for n in typed]
    french = Translations("fr").get("fr")
    outing = render(french, queued[0].notice.key, queued[0].notice.params)
    assert (
        "mardi 5 mars" in outing
        and "14:05 — Jeanne, 12 rue Voltaire" in outing
        and "à Maison des associations" in outing
    )
    assert queued[0].notice.buttons[0][0].action == ConfirmVisit(1)
