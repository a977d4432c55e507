"""What an operator's Prometheus scrapes and a supervisor asks: updates processed and failed, the inbox and
outbox backlogs, the age of the oldest notice waiting, planning time, and whether Telegram and the disk work."""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.error
import urllib.request
from collections.abc import AsyncIterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import running, services_of
from bot.config import Settings
from bot.domain.errors import OperatorError
from bot.i18n import translator
from bot.notices import Notice
from bot.runtime.inbox import InboxApplication
from bot.storage.outbox import OutboxRepository
from tests.catalogue import says
from tests.fake_bot_api import FakeBotApi, Fault
from tests.telegram_users import FakeUser, eventually


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def watched_bot(settings: Settings) -> AsyncIterator[tuple[InboxApplication, str]]:
    web = settings.web.model_copy(update={"port": free_port()})
    async with running(settings.model_copy(update={"web": web}), poll_timeout=1) as application:
        yield application, f"http://127.0.0.1:{web.port}"


async def get(url: str) -> tuple[int, str]:
    def fetch() -> tuple[int, str]:
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                return int(answer.status), answer.read().decode()
        except urllib.error.HTTPError as refused:
            return int(refused.code), refused.read().decode()

    return await asyncio.to_thread(fetch)


async def scrape(base: str) -> dict[str, float]:
    status, text = await get(f"{base}/metrics")
    assert status == 200
    return {
        sample.name + "".join(f"[{v}]" for v in sample.labels.values()): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_the_metrics_count_updates_backlogs_the_oldest_notice_and_planning(
    watched_bot: tuple[InboxApplication, str], fake_api: FakeBotApi
) -> None:
    bot, base = watched_bot
    visitor = FakeUser(fake_api, 1401, "Rose", "fr")
    visitor.send("/start")
    await visitor.expect(says("start.welcome"))
    fake_api.faults["sendMessage"] = [Fault(400)]  # the next answer fails: its update counts as failed
    visitor.send("/start")
    await visitor.expect(says("error.generic"))
    fake_api.hold_messages_to(1402)
    await OutboxRepository(bot.bot_data["database"]).enqueue(1402, Notice("visit.kept"), "held")
    await services_of(bot).planning.plan(2026, 49)
    await eventually(lambda: fake_api.held_calls > 0, "the held notice tried")
    await asyncio.sleep(1.1)

    figures = await scrape(base)

    assert figures["lien_updates_processed_total"] == 2
    assert figures["lien_updates_failed_total"] == 1
    assert figures["lien_inbox_backlog"] == 0
    assert figures["lien_outbox_backlog"] == 1
    assert figures["lien_outbox_oldest_pending_seconds"] >= 1
    assert figures["lien_planning_seconds_count"] == 1
    assert figures["lien_healthy[telegram.polling]"] == 1
    fake_api.release()


async def test_the_health_check_answers_503_naming_what_fails_while_telegram_is_out_of_reach(
    watched_bot: tuple[InboxApplication, str], fake_api: FakeBotApi
) -> None:
    _bot, base = watched_bot
    assert await get(f"{base}/health") == (200, json.dumps({"status": "ok", "failing": []}))
    fake_api.unreachable = True
    await eventually(lambda: len(fake_api.dropped_calls) > 0, "a poll dropped", wait_s=30)

    async def failing() -> bool:
        status, body = await get(f"{base}/health")
        return status == 503 and "telegram.polling" in json.loads(body)["failing"]

    for _ in range(200):
        if await failing():
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the health check never said Telegram is out of reach")
    assert (await scrape(base))["lien_healthy[telegram.polling]"] == 0
    fake_api.unreachable = False


async def test_a_web_port_already_taken_stops_the_bot_with_one_line_naming_it(settings: Settings) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        web = settings.web.model_copy(update={"port": port})
        with pytest.raises(OperatorError) as refused:
            async with running(settings.model_copy(update={"web": web}), poll_timeout=1):
                pass
    said = refused.value.render(translator("en"))
    assert says("web.cannot_listen", address="127.0.0.1", port=port).found_in(said, "en")
