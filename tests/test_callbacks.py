"""Every button's action is declared once: the declaration packs the data, gives the pattern, reads a press
back and says who may press it. Nothing in the bot builds callback data or a pattern by hand, every action
has its handler in the real application, and buttons queued by the previous version still work."""

from __future__ import annotations

import ast
import importlib
import itertools
import logging
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.app import running
from bot.config import Settings
from bot.domain.actions import ACTIONS, parse
from bot.domain.actions.plan_edits import MoveToNewPair
from bot.domain.actions.profile import AddAbsence, SetGender
from bot.domain.actions.triage import ListReports
from bot.domain.actions.visits import ConfirmVisit
from bot.domain.callbacks import MAX_DATA_BYTES, Action, Button
from bot.domain.commands import COMMANDS, Command
from bot.handlers.access import ActionHandler, CommandDoor
from bot.handlers.common import stale
from bot.i18n import Translations
from bot.runtime.inbox import InboxApplication
from tests.fake_bot_api import FakeBotApi
from tests.stored_data import LOCK_WAIT_S
from tests.telegram_users import FakeUser, eventually

# Python's own reading of a pattern, to know the longest text it matches.
regex_parser = importlib.import_module("re._parser")
BOT = Path(__file__).resolve().parent.parent / "bot"
# The one place that turns an action into Telegram's callback data.
KEYBOARDS = BOT / "handlers" / "keyboards.py"


def every_handler(handlers: list[BaseHandler[Any, Any, Any]]) -> Iterator[BaseHandler[Any, Any, Any]]:
    """The application's handlers, those of conversations' entry points, states and fallbacks too."""
    for handler in handlers:
        if isinstance(handler, ConversationHandler):
            inner = [*handler.entry_points, *itertools.chain(*handler.states.values()), *handler.fallbacks]
            yield from every_handler(inner)
        else:
            yield handler


def of(action: type[Action]) -> st.SearchStrategy[str]:
    return st.from_regex(action.pattern(), fullmatch=True)


presses = st.sampled_from(ACTIONS).flatmap(lambda action: st.tuples(st.just(action), of(action)))


@settings(max_examples=500, deadline=None)
@given(pressed=presses)
def test_a_press_reads_as_the_one_action_it_was_packed_from(pressed: tuple[type[Action], str]) -> None:
    action, data = pressed
    read = parse(data)
    # A value the pattern lets through but that does not exist (a 30 February) reads as no action at all;
    # "007" reads as 7, packed again as "7".
    assert read is None or (type(read) is action and parse(read.pack()) == read)
    assert [other for other in ACTIONS if other is not action and other.pattern().fullmatch(data)] == []


def test_today_s_callback_data_reads_as_the_typed_actions() -> None:
    assert parse("vis:ok:123") == ConfirmVisit(123)
    assert parse("tr:list:todo:-:0") == ListReports("todo", None, 0)
    assert parse("pf:gender:none") == SetGender(None)
    assert parse("pf:abs:end:2026-03-02:2026-03-05") == AddAbsence(date(2026, 3, 2), date(2026, 3, 5))
    assert parse("mv:np:12:3:900001:43") == MoveToNewPair(12, 3, 900_001, 43)
    assert ListReports("all", 3, 12).pack() == "tr:list:all:3:12"
    assert parse("pf:abs:end:2026-02-30:2026-03-01") is None
    assert parse("vis:ok:123:extra") is None


def test_the_longest_data_of_every_action_fits_telegram_s_limit() -> None:
    too_long = [
        action.__name__
        for action in ACTIONS
        if regex_parser.parse(action.pattern().pattern).getwidth()[1] > MAX_DATA_BYTES
    ]
    assert too_long == []
    with pytest.raises(ValueError):
        ConfirmVisit(10**12)  # more digits than its declaration allows: never packed, never sent


def test_every_action_and_command_says_who_may_use_it() -> None:
    assert [action.__name__ for action in ACTIONS if not action.roles] == []
    assert [command.name for command in COMMANDS if not command.roles] == []
    with pytest.raises(TypeError):

        class Unruled(Action, prefix="zz:unruled", roles=frozenset()):
            pass

    with pytest.raises(TypeError):
        Command("plan", frozenset())


def test_a_button_calls_back_an_action_or_opens_a_page_never_a_string() -> None:
    with pytest.raises(TypeError):
        Button("visit.confirm_button", "vis:ok:12")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Button("visit.confirm_button")
    with pytest.raises(TypeError):
        Button("visit.map_button", ConfirmVisit(12), web_app="outing?visit=12")
    with pytest.raises(TypeError):
        Button("visit.map_button", url="https://www.openstreetmap.org", web_app="outing?visit=12")
    assert Button.link("visit.route_button", "https://www.openstreetmap.org").action is None
    assert Button.mini_app("visit.map_button", "outing?visit=12").action is None


async def test_every_action_and_command_has_its_handler_and_every_handler_its_declaration(
    bot: InboxApplication,
) -> None:
    handlers = list(every_handler([h for group in bot.handlers.values() for h in group]))
    presses = [h for h in handlers if isinstance(h, CallbackQueryHandler)]
    undeclared = [h for h in presses if not isinstance(h, ActionHandler) and h.callback is not stale]
    assert undeclared == [], "a button's handler not built from the registry"
    assert next(h for h in presses if not isinstance(h, ActionHandler)).pattern is None  # the stale catch-all
    handled = {h.action for h in presses if isinstance(h, ActionHandler)}
    assert sorted(a.__name__ for a in set(ACTIONS) - handled) == [], "actions no handler listens to"
    commands = [h for h in handlers if isinstance(h, CommandHandler)]
    assert [h for h in commands if not isinstance(h, CommandDoor)] == [], "a command without its declaration"
    assert {h.command for h in commands if isinstance(h, CommandDoor)} == set(COMMANDS)


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _text(node: ast.expr) -> bool:
    """A string built in place: a literal, an f-string, or text joined to one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.BinOp) and (_text(node.left) or _text(node.right))


def test_no_callback_data_or_pattern_is_built_outside_the_registry() -> None:
    found = []
    for path in sorted(BOT.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        where = path.relative_to(BOT.parent)
        for call in _calls(tree):
            name = _name(call)
            if name == "Button" and len(call.args) >= 2 and _text(call.args[1]):
                found.append(f"{where}:{call.lineno} Button with callback data as text")
            if name == "labelled" and len(call.args) >= 2 and _text(call.args[1]):
                found.append(f"{where}:{call.lineno} Button.labelled with callback data as text")
            keywords = {k.arg for k in call.keywords}
            if name == "InlineKeyboardButton" and keywords & {"callback_data", "web_app"} and path != KEYBOARDS:
                found.append(f"{where}:{call.lineno} callback data or a Mini App page outside the keyboards' one place")
            by_hand = name == "CommandHandler" or "pattern" in keywords or len(call.args) > 1
            if name in {"CallbackQueryHandler", "CommandHandler"} and path.name != "access.py" and by_hand:
                found.append(f"{where}:{call.lineno} {name} not built from a declaration")
            if name in {"split", "rsplit", "removeprefix", "partition"} and "data" in ast.unparse(call.func):
                found.append(f"{where}:{call.lineno} callback data read by hand")
    assert found == []


async def test_a_button_queued_by_the_previous_version_is_delivered_with_the_same_data(
    settings: Settings, fake_api: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(settings, poll_timeout=1):
        pass  # the database, as the previous version left it
    member = FakeUser(fake_api, 4301, "Léa", "fr")
    # As the previous version wrote it (sealed at the next start): a Confirm button, and one whose action the
    # bot no longer has.
    notice = (
        '{"key": "visit.kept", "params": {}, "buttons": [[["visit.confirm_button", "vis:ok:12", null, null]], '
        '[["button.back", "zz:gone:1", null]], [["visit.route_button", "", null, "https://www.openstreetmap.org"]]]}'
    )
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        conn.execute("INSERT INTO outbox (recipient, notice, dedup_key) VALUES (?, ?, 'old')", (member.id, notice))
    caplog.set_level(logging.WARNING, logger="bot.storage.outbox")
    async with running(settings, poll_timeout=1):
        await eventually(lambda: bool(fake_api.sent_to(member.id)), "the queued notice")
    sent = fake_api.sent_to(member.id)
    assert [m.text for m in sent] == [Translations("fr").get("fr")("visit.kept")]
    assert [(b.get("callback_data"), b.get("url")) for b in sent[0].buttons()] == [
        ("vis:ok:12", None),
        (None, "https://www.openstreetmap.org"),
    ]
    assert "outbox.buttons_dropped key=visit.kept count=1" in caplog.text


async def test_a_press_without_data_is_answered_as_an_outdated_button(
    bot: InboxApplication, fake_api: FakeBotApi
) -> None:
    person = FakeUser(fake_api, 4302, "Rose", "fr")
    person.press_data("")
    await person.expect_alert(Translations("fr").get("fr")("fallback.stale_button"))
