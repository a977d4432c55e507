"""Webhook mode: only Telegram (which knows the secret) can deliver updates, and only after the inbox commit
is it told the update arrived."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.app import running
from bot.config import Settings, load_settings
from bot.runtime.inbox import InboxApplication
from tests.catalogue import says
from tests.conftest import rows
from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.telegram_users import FakeUser

SECRET = "s3cret-token_for-tests"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def webhook_settings(fake_api: FakeBotApi, db_path: Path) -> Settings:
    port = free_port()
    return load_settings(
        environ={
            "BOT_TOKEN": TOKEN,
            "BOT_API_BASE_URL": fake_api.base_url,
            "BOT_DB_PATH": str(db_path),
            "BOT_MODE": "webhook",
            "BOT_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
            "BOT_WEBHOOK_PORT": str(port),
            "BOT_WEBHOOK_SECRET": SECRET,
        }
    )


@pytest.fixture
async def webhook_bot(webhook_settings: Settings) -> AsyncIterator[InboxApplication]:
    async with running(webhook_settings) as application:
        yield application


def start_update(update_id: int, user_id: int) -> dict[str, object]:
    sender = {"id": user_id, "is_bot": False, "first_name": "Ana", "language_code": "en"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 0,
            "text": "/start",
            "from": sender,
            "chat": {"id": user_id, "type": "private"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_webhook_registration_carries_the_secret(webhook_bot: InboxApplication, fake_api: FakeBotApi) -> None:
    calls = [params for name, params in fake_api.calls if name == "setWebhook"]
    assert calls and calls[-1]["secret_token"] == SECRET


@pytest.mark.parametrize("secret", ["", "wrong-secret"])
async def test_a_call_without_the_right_secret_gets_403_and_writes_nothing(
    webhook_bot: InboxApplication, webhook_settings: Settings, db_path: Path, secret: str
) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    async with httpx.AsyncClient() as client:
        response = await client.post(
            webhook_settings.telegram.webhook.url, content=json.dumps(start_update(77, 4242)), headers=headers
        )
    assert response.status_code == 403
    assert rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM users") == [(0,)]


async def test_an_update_with_the_secret_is_in_the_inbox_when_telegram_gets_its_answer(
    webhook_bot: InboxApplication, webhook_settings: Settings, fake_api: FakeBotApi, db_path: Path
) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            webhook_settings.telegram.webhook.url,
            content=json.dumps(start_update(78, 4243)),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status_code == 200
        assert rows(db_path, "SELECT update_id FROM inbox") == [(78,)]
    await FakeUser(fake_api, 4243, "Ana", "en").expect(says("start.welcome"))
