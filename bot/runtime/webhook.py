"""Webhook mode: Telegram calls us. The answer is sent only after the update is committed to the inbox,
so a crash before that makes Telegram deliver it again; a call without our secret token gets 403 and
writes nothing."""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any
from urllib.parse import urlparse

import tornado.web
from telegram import Update
from tornado.httpserver import HTTPServer

from bot.config import WebhookSettings
from bot.runtime.inbox import InboxApplication, payload_of

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1_000_000


class _UpdateEndpoint(tornado.web.RequestHandler):
    def initialize(self, bot_application: InboxApplication, secret: str) -> None:
        self.application_ = bot_application
        self.secret = secret

    def check_xsrf_cookie(self) -> None:
        return None

    async def post(self) -> None:
        supplied = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(supplied.encode(), self.secret.encode()):
            log.warning("webhook.refused reason=secret")
            self.set_status(403)
            return
        update = self._update()
        if update is None:
            log.warning("webhook.refused reason=malformed")
            self.set_status(400)
            return
        await self.application_.inbox.store([(update.update_id, payload_of(update))])
        await self.application_.update_queue.put(update)
        self.set_status(200)

    def _update(self) -> Update | None:
        """The body as an update; None for anything else (not JSON, a list, a number, null, a broken update)."""
        try:
            data: Any = json.loads(self.request.body)
        except ValueError:
            return None
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return None
        try:
            return Update.de_json(data, self.application_.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None


def webhook_path(settings: WebhookSettings) -> str:
    return urlparse(settings.url).path or "/"


async def start_webhook(application: InboxApplication, settings: WebhookSettings) -> HTTPServer:
    app = tornado.web.Application(
        [(webhook_path(settings), _UpdateEndpoint, {"bot_application": application, "secret": settings.secret_token})]
    )
    server = HTTPServer(app, max_body_size=MAX_BODY_BYTES)
    server.listen(settings.port, address=settings.listen)
    await application.bot.set_webhook(
        settings.url, secret_token=settings.secret_token, allowed_updates=Update.ALL_TYPES
    )
    log.info("webhook.listening port=%s path=%s", settings.port, webhook_path(settings))
    return server
