"""The bot's own HTTP server, in its process and event loop (tornado, which PTB's webhook already brings).

Whoever serves something over HTTP adds its routes: the monitoring endpoints today (`bot.runtime.metrics`),
the Mini App's pages later. One server, one port (`[web]` in the configuration), off unless a port is set."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import tornado.web
from tornado.httpserver import HTTPServer

from bot.config import WebSettings
from bot.domain.errors import OperatorError

log = logging.getLogger(__name__)
# Routes as tornado takes them: (path pattern, handler class, its initialize() arguments).
Route = tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]


def start_web_server(settings: WebSettings, routes: Sequence[Route]) -> HTTPServer:
    server = HTTPServer(tornado.web.Application(list(routes)))
    try:
        server.listen(settings.port, address=settings.listen)
    except OSError as exc:
        # Taken by another program, or an address this machine does not have: the operator's to fix.
        raise OperatorError(
            "web.cannot_listen", address=settings.listen, port=settings.port, reason=exc.strerror or str(exc)
        ) from None
    log.info("web.listening address=%s port=%s paths=%s", settings.listen, settings.port, [r[0] for r in routes])
    return server
