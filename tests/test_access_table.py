"""Every command and every button a person can reach, tried as each role through the real application: only
the roles the declaration allows get anything but a refusal, and a refused attempt changes nothing in the
database.

The access policy is the declarations themselves (bot/domain/actions/, bot/domain/commands.py): a door cannot
be added without saying who may open it, and this test tries every door the application listens to."""

from __future__ import annotations

import importlib
import itertools
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler

from bot.domain.actions import ACTIONS
from bot.domain.actions.privacy import ForgetMe
from bot.domain.callbacks import Action
from bot.domain.roles import Role
from bot.handlers.access import ActionHandler, CommandDoor
from bot.i18n import Translations
from bot.runtime.inbox import InboxApplication
from tests.conftest import COORDINATOR_ID
from tests.fake_bot_api import FakeBotApi
from tests.stored_data import LOCK_WAIT_S

USERS = {
    Role.ANYONE: 41,
    Role.NEIGHBOUR: 42,
    Role.VOLUNTEER: 43,
    Role.PROFESSIONAL: 44,
    Role.COORDINATOR: COORDINATOR_ID,
}
REFUSAL = Translations("fr").get("fr")("access.refused")
_update_ids = itertools.count(50_000)
# Python's own reading of a pattern, walked to write the simplest data it matches.
_regex = importlib.import_module("re._parser")
_constants = importlib.import_module("re._constants")


def _simplest(parsed: Any) -> str:
    """The first alternative of each choice, a 1 for each digit (ids 1, days 1111-11-11), each repeat as few
    times as allowed."""
    text = ""
    for op, arg in parsed:
        if op is _constants.LITERAL:
            text += chr(arg)
        elif op is _constants.IN:
            kind, value = arg[0]
            text += "1" if kind is _constants.CATEGORY else chr(value[0] if kind is _constants.RANGE else value)
        elif op is _constants.MAX_REPEAT:
            low, _high, inner = arg
            text += _simplest(inner) * low
        elif op is _constants.SUBPATTERN:
            text += _simplest(arg[-1])
        elif op is _constants.BRANCH:
            text += _simplest(arg[1][0])
    return text


def example(action: type[Action]) -> str:
    return _simplest(_regex.parse(action.pattern().pattern))


def doors(handlers: list[BaseHandler[Any, Any, Any]]) -> Iterator[tuple[str, frozenset[Role], str]]:
    """(name, roles allowed, what to send) for every command and button reachable without a conversation
    underway."""
    for handler in handlers:
        if isinstance(handler, ConversationHandler):
            yield from doors(handler.entry_points)
        elif isinstance(handler, CommandDoor):
            yield handler.command.name, handler.command.roles, f"/{handler.command.name}"
        elif isinstance(handler, ActionHandler):
            yield handler.action.__name__, handler.action.roles, example(handler.action)


def give_roles(db_path: Path) -> None:
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO users (telegram_id, first_name) VALUES (?, ?)",
            [(uid, f"U{uid}") for uid in USERS.values()],
        )
        conn.execute(
            "INSERT INTO street_watchers (street_id, telegram_id, is_main, charter_accepted_at) "
            "VALUES ((SELECT MIN(id) FROM streets), ?, 1, 'x')",
            (USERS[Role.NEIGHBOUR],),
        )
        conn.execute(
            "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
            "VALUES (?, 'benevole', 'approved', 'x')",
            (USERS[Role.VOLUNTEER],),
        )
        conn.execute(
            "INSERT INTO professionals (telegram_id, added_by) VALUES (?, ?)",
            (USERS[Role.PROFESSIONAL], COORDINATOR_ID),
        )


def snapshot(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Everything but the machinery: the inbox, PTB's conversation state and the outbox's delivery progress."""
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name not in {"inbox", "ptb_state", "outbox"} and not name.startswith("sqlite_")
        ]
        found = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
        found["outbox"] = conn.execute("SELECT id, recipient, notice, dedup_key FROM outbox ORDER BY id").fetchall()
        return found


def _sender(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"U{user_id}", "language_code": "fr"}


def _message(user_id: int, **content: Any) -> dict[str, Any]:
    chat = {"id": user_id, "type": "private"}
    return {"message_id": 1, "date": int(time.time()), "chat": chat, "from": _sender(user_id), **content}


def _update(user_id: int, sent: str, callback_id: str) -> dict[str, Any]:
    if sent.startswith("/"):
        command = {"type": "bot_command", "offset": 0, "length": len(sent)}
        return {"message": _message(user_id, text=sent, entities=[command])}
    shown = {**_message(user_id, text="…"), "from": {"id": 1, "is_bot": True, "first_name": "Lien"}}
    query = {"id": callback_id, "from": _sender(user_id), "chat_instance": "x", "data": sent, "message": shown}
    return {"callback_query": query}


async def _process(bot: InboxApplication, payload: dict[str, Any]) -> None:
    """The update as polling would hand it over: through the inbox, the handlers and the persistence."""
    await bot.process_update(Update.de_json({"update_id": next(_update_ids), **payload}, bot.bot))


@pytest.mark.parametrize("role", list(USERS), ids=[role.value for role in USERS])
async def test_every_door_opens_only_for_the_roles_allowed_and_a_refusal_changes_nothing(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path, role: Role
) -> None:
    give_roles(db_path)
    user_id = USERS[role]
    # The roles this person holds: everyone holds ANYONE, each of them one role more.
    holds = {Role.ANYONE, role}
    reachable = [door for group in bot.handlers.values() for door in doors(list(group))]
    # Erasing oneself ends that person's roles: tried last, so the other doors are tried with the role intact.
    reachable.sort(key=lambda door: door[0] == ForgetMe.__name__)
    wrong: list[str] = []
    for index, (name, allowed, sent) in enumerate(reachable):
        before = snapshot(db_path)
        start = len(fake_api.sent_to(user_id))
        callback_id = f"{role.value}-{index}"
        await _process(bot, _update(user_id, sent, callback_id))
        said = [m.text for m in fake_api.sent_to(user_id)[start:]]
        alerts = [a.get("text", "") for a in fake_api.callback_answers if a.get("callback_query_id") == callback_id]
        refused = any(REFUSAL in text for text in [*said, *alerts])
        if refused == bool(holds & allowed):
            wrong.append(f"{role.value} {'refused' if refused else 'let in'} at {name} ({sent!r})")
        if refused:
            changed = sorted(table for table, found in snapshot(db_path).items() if found != before.get(table))
            if changed:
                wrong.append(f"{role.value} refused at {name} ({sent!r}) but {', '.join(changed)} changed")
        else:
            await _process(bot, _update(user_id, "/cancel", ""))  # leave whatever conversation the door opened
    assert wrong == [], "\n".join(wrong)
    assert len(reachable) >= 60


def test_each_door_is_tried_with_data_its_action_reads() -> None:
    unread = [action.__name__ for action in ACTIONS if action.parse(example(action)) is None]
    assert unread == []
