"""The Mini App's HTTP side, on tornado (already there for the webhook): the two pages, their scripts and
styles from the package under a strict Content-Security-Policy, and a small JSON API behind Telegram's
signed init data (`Authorization: tma <initData>`). It runs in the bot's process, in polling and webhook
mode alike, on its own address and port behind the same TLS proxy as the webhook."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import date, time
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import tornado.web
from tornado.httpserver import HTTPServer

from bot.webapp.auth import Caller, InitDataChecker, Refusal
from bot.webapp.desk import Desk, Json, Refused

log = logging.getLogger(__name__)
STATIC = Path(str(resources.files("bot.webapp") / "static"))
MAX_BODY_BYTES = 16_000
PAGES = {"": "desk.html", "outing": "outing.html"}


def content_policy(tile_url: str) -> str:
    """Everything from ourselves; images also from the tile server; nothing inline, no other origin."""
    tiles = ""
    if tile_url:
        parts = urlparse(tile_url.replace("{s}", "a"))
        tiles = f" {parts.scheme}://{parts.netloc}"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        f"img-src 'self' data:{tiles}; base-uri 'none'; form-action 'none'; "
        "frame-ancestors https://web.telegram.org https://*.telegram.org"
    )


def _secure(handler: tornado.web.RequestHandler, policy: str) -> None:
    handler.set_header("Content-Security-Policy", policy)
    handler.set_header("X-Content-Type-Options", "nosniff")
    handler.set_header("Referrer-Policy", "no-referrer")


class _Secured(tornado.web.RequestHandler):
    def initialize(self, policy: str) -> None:
        _secure(self, policy)


class _Page(_Secured):
    def initialize(self, policy: str, page: str) -> None:  # type: ignore[override]
        super().initialize(policy)
        self.page = page

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write((STATIC / self.page).read_bytes())


class _Static(tornado.web.StaticFileHandler):
    def initialize(self, path: str, policy: str) -> None:  # type: ignore[override]
        super().initialize(path)
        _secure(self, policy)


Route = Callable[["_Api", Caller], Awaitable[Json]]


class _Api(_Secured):
    def initialize(self, policy: str, desk: Desk, checker: InitDataChecker, route: Route, method: str) -> None:  # type: ignore[override]
        super().initialize(policy)
        self.desk = desk
        self.checker = checker
        self.route = route
        self.method = method

    def check_xsrf_cookie(self) -> None:
        # No cookie authenticates anything here: every call carries its signed init data.
        return None

    def body(self) -> Json:
        try:
            found = json.loads(self.request.body or b"{}")
        except ValueError:
            raise Refused(400, "webapp.error.bad_request") from None
        if not isinstance(found, dict):
            raise Refused(400, "webapp.error.bad_request")
        return found

    def number(self, name: str, value: object | None = None) -> int:
        raw = self.get_query_argument(name, None) if value is None else value
        try:
            return int(str(raw))
        except ValueError:
            raise Refused(400, "webapp.error.bad_request") from None

    async def get(self, *args: str) -> None:
        await self._serve("GET", args)

    async def post(self, *args: str) -> None:
        await self._serve("POST", args)

    async def _serve(self, method: str, args: tuple[str, ...]) -> None:
        self.set_header("Cache-Control", "no-store")
        if method != self.method:
            self._answer(405, {"error": "method"})
            return
        caller = self.checker.caller(self.request.headers.get("Authorization"))
        if isinstance(caller, Refusal):
            log.info("webapp.refused reason=%s path=%s", caller.value, self.request.path)
            # Nobody is known yet: the town's language.
            _ = await self.desk.translator(0, None)
            key = f"webapp.error.{caller.value}"
            self._answer(401, {"error": key, "message": _(key)})
            return
        self.parts = args
        try:
            self._answer(200, await self.route(self, caller))
        except Refused as refused:
            log.info("webapp.refused user=%s status=%s key=%s", caller.telegram_id, refused.status, refused.key)
            _ = await self.desk.translator(caller.telegram_id, caller.language_code)
            self._answer(refused.status, {"error": refused.key, "message": _(refused.key)})

    def _answer(self, status: int, payload: Json) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(payload, ensure_ascii=False, default=_plain))


def _plain(value: object) -> str:
    """Days and times of day as the pages read them: 2030-03-05, 14:00."""
    if isinstance(value, time):
        return value.isoformat("minutes")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _query(api: _Api, name: str) -> str | None:
    return api.get_query_argument(name, None)


ROUTES: list[tuple[str, str, Route]] = [
    ("me", "GET", lambda a, c: a.desk.me(c.telegram_id, c.first_name, c.language_code)),
    ("town", "GET", lambda a, c: a.desk.town(c.telegram_id)),
    ("week", "GET", lambda a, c: a.desk.week(c.telegram_id, _query(a, "week"))),
    ("week/draft", "POST", lambda a, c: a.desk.draft(c.telegram_id, a.body().get("week"))),
    (r"plans/(\d{1,9})/publish", "POST", lambda a, c: a.desk.publish(c.telegram_id, int(a.parts[0]))),
    (
        "drafts/swap-choices",
        "GET",
        lambda a, c: a.desk.swap_choices(c.telegram_id, a.number("visit"), a.number("leaving")),
    ),
    (
        "drafts/swap",
        "POST",
        lambda a, c: a.desk.swap(
            c.telegram_id,
            a.number("visit", a.body().get("visit")),
            a.number("leaving", a.body().get("leaving")),
            a.number("coming", a.body().get("coming")),
        ),
    ),
    ("drafts/move-choices", "GET", lambda a, c: a.desk.move_choices(c.telegram_id, a.number("visit"))),
    (
        "drafts/pair-choices",
        "GET",
        lambda a, c: a.desk.pair_choices(c.telegram_id, a.number("visit"), a.number("slot")),
    ),
    ("drafts/move", "POST", lambda a, c: _move(a, c)),
    ("volunteers", "GET", lambda a, c: a.desk.volunteers(c.telegram_id)),
    ("reports", "GET", lambda a, c: a.desk.reports(c.telegram_id, _query(a, "filter") or "todo", _query(a, "area"))),
    (
        r"reports/(\d{1,9})/(\w{1,20})",
        "POST",
        lambda a, c: a.desk.report_action(c.telegram_id, int(a.parts[0]), a.parts[1], a.body()),
    ),
    ("persons", "GET", lambda a, c: a.desk.persons(c.telegram_id, (_query(a, "q") or "")[:100])),
    (r"persons/(\d{1,9})", "GET", lambda a, c: a.desk.person(c.telegram_id, int(a.parts[0]))),
    ("stats", "GET", lambda a, c: a.desk.stats(c.telegram_id, _query(a, "period") or "this_month")),
    (r"outings/(\d{1,9})", "GET", lambda a, c: a.desk.outing(c.telegram_id, int(a.parts[0]))),
    (r"outings/(\d{1,9})/confirm", "POST", lambda a, c: a.desk.answer_outing(c.telegram_id, int(a.parts[0]), True)),
    (r"outings/(\d{1,9})/decline", "POST", lambda a, c: a.desk.answer_outing(c.telegram_id, int(a.parts[0]), False)),
]


def _move(api: _Api, caller: Caller) -> Awaitable[Json]:
    body = api.body()
    target = body.get("target")
    slot = body.get("slot")
    pair = body.get("pair")
    return api.desk.move(
        caller.telegram_id,
        api.number("visit", body.get("visit")),
        None if target is None else api.number("target", target),
        None if slot is None else api.number("slot", slot),
        (api.number("pair", pair[0]), api.number("pair", pair[1]))
        if isinstance(pair, list) and len(pair) == 2
        else None,
    )


def _log_request(handler: tornado.web.RequestHandler) -> None:
    """Method, path and status only: a query may hold what a coordinator searched for (a person's name)."""
    log.info(
        "webapp.request method=%s path=%s status=%s ms=%.0f",
        handler.request.method,
        handler.request.path,
        handler.get_status(),
        1000 * handler.request.request_time(),
    )


def prefix_of(public_url: str) -> str:
    return urlparse(public_url).path.rstrip("/")


def make_app(desk: Desk, bot_token: str) -> tornado.web.Application:
    policy = content_policy(desk.web.tile_url)
    checker = InitDataChecker(bot_token, desk.web.init_data_max_age_s)
    prefix = prefix_of(desk.web.public_url)
    handlers: list[Any] = [
        (f"{prefix}/" + (f"{name}" if name else ""), _Page, {"policy": policy, "page": page})
        for name, page in PAGES.items()
    ]
    handlers.append((f"{prefix}/static/(.*)", _Static, {"path": str(STATIC), "policy": policy}))
    for path, method, route in ROUTES:
        handlers.append(
            (
                f"{prefix}/api/{path}",
                _Api,
                {"policy": policy, "desk": desk, "checker": checker, "route": route, "method": method},
            )
        )
    return tornado.web.Application(handlers, log_function=_log_request)


def start_webapp(desk: Desk, bot_token: str) -> HTTPServer:
    """Serving on the Mini App's address and port; OSError when they cannot be listened on."""
    web = desk.web
    server = HTTPServer(make_app(desk, bot_token), max_body_size=MAX_BODY_BYTES, xheaders=True)
    server.listen(web.port, address=web.listen)
    log.info("webapp.listening port=%s path=%s", web.port, prefix_of(web.public_url) or "/")
    return server
