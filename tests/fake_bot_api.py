"""A fake Telegram Bot API on 127.0.0.1, reached by the real bot through its configurable base URL.

It keeps what a test needs to act as users (queue updates, press the buttons of messages it received) and
to observe the bot (every call, every message per chat). Faults can be scripted per method (HTTP 429 with
retry_after, 5xx), or the whole API made unreachable, for the reliability tests. It runs in a thread so the
bot, in process or in a subprocess killed with SIGKILL, talks to it over real HTTP.

It refuses what Telegram refuses, with Telegram's answer (HTTP 400 and its description): a text over 4,096
characters or a caption over 1,024 once the HTML is read, an empty text, markup Telegram cannot parse, a
button without an action or with callback data over 64 bytes, more than 100 buttons. Every such refusal is
kept in `refusals`, and every text a reader would see with an entity still in it (escaped twice) in `flags`:
the test suite fails a test that caused either unless the test says it expects them. Answers about the
state of things (a message to edit that is gone, or unchanged) are Telegram's too, but the bot is built to
cope with them (it sends a new message instead), so they are not kept.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

from tests.telegram_html import CannotParse, escaped_twice, utf16_length, visible

BOT_ID = 7_000_000_001
TOKEN = f"{BOT_ID}:AAFakeTokenForTheFakeBotApiServer_123"
BOT_USERNAME = "lien_test_bot"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS = 100
MAX_CALLBACK_ANSWER = 200
MAX_COMMANDS = 100
MAX_COMMAND_DESCRIPTION = 256
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
# Exactly one of these makes an inline button do something; a button with none is refused.
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


@dataclass
class Sent:
    """A message the bot sent (or edited), as the chat shows it now."""

    method: str
    chat_id: int
    message_id: int
    text: str
    reply_markup: dict[str, Any] | None
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)

    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]


@dataclass(frozen=True)
class Refusal:
    """A call Telegram would have answered with 400, and its description."""

    method: str
    chat_id: int | None
    description: str
    text: str
    length: int | None = None
    """The visible length Telegram measured, when the text was too long."""
    after: int = 0
    """How many messages the history held when it happened."""

    def __str__(self) -> str:
        measured = f", {self.length} characters as Telegram counts them" if self.length is not None else ""
        return f"{self.method} to {self.chat_id}: {self.description} (text starts {self.text[:120]!r}{measured})"


@dataclass(frozen=True)
class Flag:
    """Text Telegram accepts but a reader would see wrongly: an entity left after one decoding."""

    method: str
    chat_id: int | None
    entities: tuple[str, ...]
    text: str
    after: int = 0
    """How many messages the history held when it happened."""

    def __str__(self) -> str:
        return (
            f"{self.method} to {self.chat_id}: escaped twice, shows {', '.join(self.entities)} in {self.text[:160]!r}"
        )


@dataclass
class Fault:
    status: int
    retry_after: int | None = None


class _QuietServer(ThreadingHTTPServer):
    """A bot killed with SIGKILL resets its connections: that is the test, not a fault of the fake."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class FakeBotApi:
    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = itertools.count(1)
        self._next_message_id = itertools.count(1)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.messages: dict[tuple[int, int], Sent] = {}
        self.history: list[Sent] = []
        self._by_chat: dict[int, list[Sent]] = {}
        # Called (from the server's threads) with every message sent or edited, for waiters that must not poll.
        self.listeners: list[Callable[[Sent], None]] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.faults: dict[str, list[Fault]] = {}
        self.left_chats: list[int] = []
        # Files users sent (documents), by file_id; the bot downloads them with getFile and the file route.
        self.files: dict[str, bytes] = {}
        self.downloads: list[str] = []
        self._delivered: list[dict[str, Any]] = []
        self._held_chats: set[int] = set()
        self._held_methods: set[str] = set()
        self._release = threading.Event()
        self.held_calls = 0
        # While set, every request is dropped without an answer, as when the network is down.
        self.unreachable = False
        self.dropped_calls: list[str] = []
        self.refusals: list[Refusal] = []
        self.flags: list[Flag] = []
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        # stop() waits until the serving loop looks again (every half second by default): once per test.
        serve = {"poll_interval": 0.02}
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs=serve, daemon=True)

    # --- lifecycle -------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeBotApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- acting as users ---------------------------------------------------------------------------
    def push_update(self, payload: dict[str, Any], update_id: int | None = None) -> int:
        with self._lock:
            uid = next(self._next_update_id) if update_id is None else update_id
            self._updates.append({"update_id": uid, **payload})
            self._lock.notify_all()
            return uid

    @contextmanager
    def together(self) -> Iterator[None]:
        """Updates pushed inside reach the bot in one getUpdates answer, as when people tap at the same moment."""
        with self._lock:
            yield

    def redeliver(self, update_id: int) -> None:
        """Telegram sends an update again (it was not confirmed): same update_id, same content."""
        with self._lock:
            original = next(u for u in self._delivered if u["update_id"] == update_id)
            self._updates.append(dict(original))
            self._lock.notify_all()

    def hold_messages_to(self, chat_id: int) -> None:
        """Messages to this chat hang (as on a stalled network) until `release()`: the bot is mid-update."""
        with self._lock:
            self._held_chats.add(chat_id)
            self._release.clear()

    def hold_calls_to(self, method: str) -> None:
        """Calls of this method hang until `release()`, as when the Bot API stops answering."""
        with self._lock:
            self._held_methods.add(method)
            self._release.clear()

    def release(self) -> None:
        self._held_chats.clear()
        self._held_methods.clear()
        self._release.set()

    def upload(self, content: bytes) -> str:
        """A file a user attached to a message, as Telegram stores it; returns its file_id."""
        with self._lock:
            file_id = f"file-{len(self.files) + 1}"
            self.files[file_id] = content
            return file_id

    def pending_updates(self) -> int:
        with self._lock:
            return len(self._updates)

    # --- observing ---------------------------------------------------------------------------------
    def sent_to(self, chat_id: int) -> list[Sent]:
        with self._lock:
            return list(self._by_chat.get(chat_id, ()))

    def _record(self, sent: Sent) -> None:
        """Keep a message the bot sent or edited; call with the lock held."""
        self.messages[(sent.chat_id, sent.message_id)] = sent
        self.history.append(sent)
        self._by_chat.setdefault(sent.chat_id, []).append(sent)
        self._lock.notify_all()
        for listener in self.listeners:
            listener(sent)

    def call_count(self, method: str) -> int:
        with self._lock:
            return sum(1 for name, _ in self.calls if name == method)

    # --- HTTP ----------------------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: with Nagle on, the second waits for a delayed ACK
            # (40 ms a request on Linux), which would make the fake, not the bot, the bottleneck.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if len(body) < length:
                    # The bot was killed while sending: like Telegram, a request cut short is never served.
                    self.close_connection = True
                    return
                parts = urlparse(self.path).path.strip("/").split("/")
                if api.unreachable:
                    with api._lock:
                        api.dropped_calls.append(parts[-1])
                    self.close_connection = True
                    return
                if parts[0] == "file":
                    # Clients percent-encode file paths, the token's colon included.
                    self._file([unquote(part) for part in parts[1:]])
                    return
                if len(parts) != 2 or parts[0] != f"bot{TOKEN}":
                    self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                params = _parse_body(self.headers.get("Content-Type", ""), body)
                status, payload = api._dispatch(parts[1], params)
                self._reply(status, payload)

            do_GET = do_POST

            def _file(self, parts: list[str]) -> None:
                """`{base}/file/bot<token>/<file_path>`, as Telegram serves what getFile returned."""
                content = api._download(parts)
                if content is None:
                    self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                self._reply(200, content)

            def _reply(self, status: int, payload: dict[str, Any] | bytes) -> None:
                raw = isinstance(payload, bytes)
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/octet-stream" if raw else "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    # The bot stopped (or was killed) during a long poll: nothing to answer.
                    return

        return Handler

    def _dispatch(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.calls.append((method, params))
            scripted = self.faults.get(method)
            fault = scripted.pop(0) if scripted else None
        if fault is not None:
            description = "Too Many Requests" if fault.status == 429 else "Internal Server Error"
            body: dict[str, Any] = {"ok": False, "error_code": fault.status, "description": description}
            if fault.retry_after is not None:
                body["parameters"] = {"retry_after": fault.retry_after}
            return fault.status, body
        held_chat = params.get("chat_id") is not None and int(params["chat_id"]) in self._held_chats
        if held_chat or method in self._held_methods:
            with self._lock:
                self.held_calls += 1
            self._release.wait(timeout=60)
            return 500, {"ok": False, "error_code": 500, "description": "held, then dropped"}
        handler: Callable[[dict[str, Any]], Any] = getattr(self, f"_api_{method.lower()}", self._api_default)
        try:
            return 200, {"ok": True, "result": handler(params)}
        except _ApiError as exc:
            if isinstance(exc, _Refused):
                with self._lock:
                    text = str(params.get("text") or params.get("caption") or "")
                    self.refusals.append(Refusal(method, _chat(params), str(exc), text, exc.length, len(self.history)))
            return 400, {"ok": False, "error_code": 400, "description": str(exc)}

    def _download(self, parts: list[str]) -> bytes | None:
        if len(parts) != 3 or parts[0] != f"bot{TOKEN}" or parts[1] != "documents":
            return None
        file_id = parts[2]
        with self._lock:
            self.downloads.append(file_id)
            return self.files.get(file_id)

    # --- Bot API methods ---------------------------------------------------------------------------
    def _api_default(self, params: dict[str, Any]) -> Any:
        return True

    def _api_getme(self, params: dict[str, Any]) -> Any:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Lien",
            "username": BOT_USERNAME,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _api_getupdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 1.0)
        deadline = time.monotonic() + timeout
        with self._lock:
            # An offset confirms every update before it, as Telegram does.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._lock.wait(deadline - time.monotonic())
            batch = [u for u in self._updates if u["update_id"] >= offset][:100]
            for update in batch:
                if update not in self._delivered:
                    self._delivered.append(update)
            return batch

    # --- Telegram's limits ------------------------------------------------------------------------
    def _read(self, method: str, params: dict[str, Any], field: str, limit: int) -> str:
        """The visible text of `text` or `caption` as Telegram reads it; refuses what Telegram refuses and
        flags what a reader would see escaped twice."""
        raw = str(params.get(field) or "")
        if str(params.get("parse_mode") or "").lower() == "html":
            try:
                shown = visible(raw)
            except CannotParse as exc:
                raise _Refused(f"Bad Request: can't parse entities: {exc}") from exc
        else:
            shown = raw
        # Telegram trims the text before it stores or measures it.
        shown = shown.strip()
        if field == "text" and not shown:
            raise _Refused("Bad Request: message text is empty")
        if (length := utf16_length(shown)) > limit:
            too_long = "message is too long" if field == "text" else "message caption is too long"
            raise _Refused(f"Bad Request: {too_long}", length)
        self._flag(method, params, escaped_twice(shown), shown)
        return shown

    def _flag(self, method: str, params: dict[str, Any], entities: list[str], text: str) -> None:
        if entities:
            with self._lock:
                self.flags.append(Flag(method, _chat(params), tuple(entities), text, len(self.history)))

    def _check_markup(self, method: str, params: dict[str, Any]) -> None:
        markup = _markup(params)
        if markup is None or "inline_keyboard" not in markup:
            return
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _Refused(
                'Bad Request: can\'t parse inline keyboard button: field "inline_keyboard" must be an Array of Arrays'
            )
        buttons = [button for row in rows for button in row]
        if len(buttons) > MAX_BUTTONS:
            raise _Refused("Bad Request: reply markup is too long")
        for button in buttons:
            if not isinstance(button, dict):
                raise _Refused(
                    "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                )
            if not isinstance(button.get("text"), str):
                raise _Refused("Bad Request: can't parse inline keyboard button: Can't find field \"text\"")
            actions = [name for name in _BUTTON_ACTIONS if name in button]
            if not actions:
                raise _Refused(
                    "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )
            if "callback_data" in button:
                data = str(button["callback_data"]).encode("utf-8")
                if not 1 <= len(data) <= MAX_CALLBACK_DATA_BYTES:
                    raise _Refused("Bad Request: BUTTON_DATA_INVALID")
            if "url" in button and not str(button["url"]).startswith(("http://", "https://", "tg://")):
                raise _Refused("Bad Request: BUTTON_URL_INVALID")
        # A label is shown as it is (no HTML): an entity in it was escaped by mistake.
        self._flag(
            method,
            params,
            [e for b in buttons for e in escaped_twice(b["text"])],
            " | ".join(b["text"] for b in buttons),
        )

    def _new_message(self, method: str, params: dict[str, Any], text: str) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        with self._lock:
            message_id = next(self._next_message_id)
            sent = Sent(method, chat_id, message_id, text, _markup(params), params)
            self._record(sent)
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "text": text,
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Lien"},
        }
        if sent.reply_markup and "inline_keyboard" in sent.reply_markup:
            message["reply_markup"] = sent.reply_markup
        return message

    def _api_sendmessage(self, params: dict[str, Any]) -> Any:
        self._read("sendMessage", params, "text", MAX_TEXT)
        self._check_markup("sendMessage", params)
        return self._new_message("sendMessage", params, str(params["text"]))

    def _api_sendlocation(self, params: dict[str, Any]) -> Any:
        self._check_markup("sendLocation", params)
        return self._new_message("sendLocation", params, f"location {params.get('latitude')},{params.get('longitude')}")

    def _api_senddocument(self, params: dict[str, Any]) -> Any:
        self._read("sendDocument", params, "caption", MAX_CAPTION)
        self._check_markup("sendDocument", params)
        return self._new_message("sendDocument", params, str(params.get("caption", "")))

    def _api_sendphoto(self, params: dict[str, Any]) -> Any:
        self._read("sendPhoto", params, "caption", MAX_CAPTION)
        self._check_markup("sendPhoto", params)
        return self._new_message("sendPhoto", params, str(params.get("caption", "")))

    def _api_editmessagetext(self, params: dict[str, Any]) -> Any:
        self._read("editMessageText", params, "text", MAX_TEXT)
        self._check_markup("editMessageText", params)
        key = (int(params["chat_id"]), int(params["message_id"]))
        with self._lock:
            existing = self.messages.get(key)
            if existing is None:
                raise _ApiError("Bad Request: message to edit not found")
            if existing.text == params.get("text") and existing.reply_markup == _markup(params):
                raise _ApiError("Bad Request: message is not modified")
            edited = Sent("editMessageText", key[0], key[1], str(params.get("text", "")), _markup(params), params)
            self._record(edited)
        return {
            "message_id": key[1],
            "date": int(time.time()),
            "text": edited.text,
            "chat": {"id": key[0], "type": "private"},
        }

    def _api_answercallbackquery(self, params: dict[str, Any]) -> Any:
        # Telegram does not document this refusal's wording; the limit is documented.
        if utf16_length(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER:
            raise _Refused("Bad Request: MESSAGE_TOO_LONG")
        with self._lock:
            self.callback_answers.append(params)
        return True

    def _api_setmycommands(self, params: dict[str, Any]) -> Any:
        raw = params.get("commands", [])
        commands = raw if isinstance(raw, list) else json.loads(raw)
        if len(commands) > MAX_COMMANDS:
            raise _Refused("Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name, description = str(command.get("command", "")), str(command.get("description", ""))
            if not _COMMAND.fullmatch(name) or not 1 <= len(description) <= MAX_COMMAND_DESCRIPTION:
                raise _Refused("Bad Request: BOT_COMMAND_INVALID")
        return True

    def _api_getfile(self, params: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id", ""))
        with self._lock:
            content = self.files.get(file_id)
        if content is None:
            raise _ApiError("Bad Request: invalid file_id")
        # Relative, as Telegram answers; the client prefixes the file URL and the token.
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(content),
            "file_path": f"documents/{file_id}",
        }

    def _api_leavechat(self, params: dict[str, Any]) -> Any:
        with self._lock:
            self.left_chats.append(int(params["chat_id"]))
        return True


class _ApiError(Exception):
    """Telegram's 400 about the state of things (a message gone, a file unknown): the bot must cope."""


class _Refused(_ApiError):
    """Telegram's 400 to what the bot sent: too long, malformed, an invalid button. The bot must never."""

    def __init__(self, description: str, length: int | None = None) -> None:
        super().__init__(description)
        self.length = length


def _chat(params: dict[str, Any]) -> int | None:
    chat_id = params.get("chat_id")
    return None if chat_id is None else int(chat_id)


def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
    raw = params.get("reply_markup")
    if raw is None:
        return None
    return raw if isinstance(raw, dict) else dict(json.loads(raw))


def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return dict(json.loads(body))
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        params: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            filename = part.get_filename()
            if filename:
                params[str(name)] = {"filename": filename, "content": payload}
            else:
                params[str(name)] = payload.decode() if isinstance(payload, bytes) else ""
        return params
    return dict(parse_qsl(body.decode(), keep_blank_values=True))
