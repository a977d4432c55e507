"""The Mini App in tests: init data signed as Telegram signs it (written here from Telegram's documentation,
apart from the library the bot uses to check it), a client that calls the API with it, and the bot's settings
with the Mini App served on a free local port."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.config import Settings
from tests.fake_bot_api import TOKEN
from tests.test_webhook import free_port


def with_mini_app(settings: Settings, tiles: str = "") -> Settings:
    """The settings with the Mini App on a free port of this machine; no map tiles (no network in tests)."""
    port = free_port()
    webapp = settings.webapp.model_copy(
        update={"public_url": f"http://127.0.0.1:{port}/app", "port": port, "tile_url": tiles}
    )
    return settings.model_copy(update={"webapp": webapp})


def signed_init_data(
    user_id: int, first_name: str = "Claire", language: str = "fr", *, token: str = TOKEN, age_s: float = 0
) -> str:
    """What Telegram gives the page: the fields, and `hash` = HMAC-SHA256 over the sorted "key=value" lines with
    the key HMAC-SHA256("WebAppData", bot token)."""
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps({"id": user_id, "first_name": first_name, "language_code": language}, separators=(",", ":")),
        "auth_date": str(int(time.time() - age_s)),
    }
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


class MiniAppClient:
    """Calls the Mini App's API as its page does, with someone's init data."""

    def __init__(self, settings: Settings, init_data: str) -> None:
        self.base = settings.webapp.public_url
        self.headers = {"Authorization": f"tma {init_data}"}

    async def get(self, path: str, **params: Any) -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await client.get(f"{self.base}/api/{path}", params=params, headers=self.headers)

    async def post(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await client.post(f"{self.base}/api/{path}", json=body or {}, headers=self.headers)


def client(settings: Settings, user_id: int, first_name: str = "Claire", **signing: Any) -> MiniAppClient:
    return MiniAppClient(settings, signed_init_data(user_id, first_name, **signing))
