"""Every command and every button a person can reach, tried as each role: only the roles allowed get anything
but a refusal, and a refused attempt changes nothing in the database.

The table below is the access policy. A command or button added to the bot without a line here fails this
test: nobody can add a door without saying who may open it."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from hypothesis import find
from hypothesis import strategies as st
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.runtime.inbox import InboxApplication
from bot.services.roles import Role
from tests.conftest import COORDINATOR_ID
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually

ANYONE, NEIGHBOUR, VOLUNTEER, PRO, COORD = (
    Role.ANYONE,
    Role.NEIGHBOUR,
    Role.VOLUNTEER,
    Role.PROFESSIONAL,
    Role.COORDINATOR,
)
EVERYONE = frozenset(Role)
COORDINATORS = frozenset({COORD})
EXPERTS = frozenset({COORD, PRO})
VOLUNTEERS = frozenset({VOLUNTEER})
NEIGHBOURS = frozenset({NEIGHBOUR})

POLICY: dict[str, frozenset[Role]] = {
    # commands
    "start": EVERYONE,
    "help": EVERYONE,
    "language": EVERYONE,
    "neighbour": EVERYONE,
    "volunteer": EVERYONE,
    "report": EVERYONE,
    "myreports": EVERYONE,
    "newreport": COORDINATORS,
    "pending": COORDINATORS,
    "invitepro": COORDINATORS,
    "reports": COORDINATORS,
    "grid": COORDINATORS,
    "profile": VOLUNTEERS,
    "availability": VOLUNTEERS,
    "mydata": EVERYONE,
    "forget": EVERYONE,
    "audit": COORDINATORS,
    "invitations": COORDINATORS,
    "persons": EXPERTS,
    "coverage": COORDINATORS,
    "mystreets": NEIGHBOURS,
    "selftest": EVERYONE,
    "stats": COORDINATORS,
    # buttons, by pattern
    r"^lang:(fr|en)$": EVERYONE,
    r"^menu:home$": EVERYONE,
    r"^menu:neighbour$": EVERYONE,
    r"^menu:volunteer$": EVERYONE,
    r"^menu:report$": EVERYONE,
    r"^rp:answer:\d{1,9}$": EVERYONE,  # the reporter answers a relayed question; the service checks whose
    r"^vol:(ok|no):\d{1,15}$": COORDINATORS,
    r"^tr:list:(todo|new|triaged|followed|no_action|escalated|closed|all):(-|\d{1,3}):\d{1,4}$": COORDINATORS,
    r"^tr:areas:(todo|new|triaged|followed|no_action|escalated|closed|all)$": COORDINATORS,
    r"^tr:open:\d{1,9}$": COORDINATORS,
    r"^tr:attach:\d{1,9}$": COORDINATORS,
    r"^tr:link:\d{1,9}:\d{1,9}$": COORDINATORS,
    r"^tr:noact:\d{1,9}$": COORDINATORS,
    r"^tr:na:\d{1,9}:(not_isolated|already_helped|duplicate|refused|other)$": COORDINATORS,
    r"^tr:esc:\d{1,9}$": COORDINATORS,
    r"^tr:close:\d{1,9}$": COORDINATORS,
    r"^tr:file:\d{1,9}$": COORDINATORS,
    r"^tr:ask:\d{1,9}$": COORDINATORS,
    r"^pe:open:\d{1,9}$": EXPERTS,
    r"^pe:scr:\d{1,9}:(needs|freq|slots|langs|gender|consent|satisf|end)$": EXPERTS,
    r"^pe:(need:\d{1,9}:(mobility|meals|leisure|company|digital|chores)|slot:\d{1,9}:[a-z0-9-]{1,20}|"
    r"lang:\d{1,9}:[a-z]{2,3}|freq:\d{1,9}:\d{1,2}|gender:\d{1,9}:(any|female|male)|st:\d{1,9}:(active|paused)|"
    r"end:\d{1,9}:(left_isolation|moved|care_home|deceased|not_needed|refused|other)|satisf:\d{1,9}:\d|"
    r"(noconsent|nophone|noloss):\d{1,9})$": EXPERTS,
    r"^pe:(ask:\d{1,9}:(name|address|phone|loss)|consent:\d{1,9}:(oral|written|phone))$": EXPERTS,
    r"^pe:(loss:\d{1,9}|cdate:\d{1,9}:(oral|written|phone)):\d{4}-\d{2}-\d{2}$": EXPERTS,
    r"^pe:(list:\d{1,4}|all)$": EXPERTS,
    r"^pe:find$": EXPERTS,
    r"^cv:all$": COORDINATORS,
    r"^cv:area:\d{1,3}:\d{1,3}$": COORDINATORS,
    r"^nb:mine$": NEIGHBOURS,
    r"^nb:handover:\d{1,9}$": NEIGHBOURS,
    r"^nb:takemain:\d{1,9}$": NEIGHBOURS,
    r"^nb:leave:\d{1,9}$": NEIGHBOURS,
    r"^nb:leaveok:\d{1,9}$": NEIGHBOURS,
    r"^stats:(this_month|last_month|last_12_months|this_year|last_year)$": COORDINATORS,
    # the self-test: its buttons carry the answers so far, which only change the presser's own result
    r"^selftest:intro$": EVERYONE,
    r"^selftest:q:\d{0,4}$": EVERYONE,
    r"^selftest:contact$": EVERYONE,
    r"^selftest:done$": EVERYONE,
    r"^pf:street$": VOLUNTEERS,
    r"^pf:home$": VOLUNTEERS,
    r"^pf:grid$": VOLUNTEERS,
    r"^pf:cap$": VOLUNTEERS,
    r"^pf:lang$": VOLUNTEERS,
    r"^pf:gender$": VOLUNTEERS,
    r"^pf:abs$": VOLUNTEERS,
    r"^pf:slot:[a-z0-9-]{1,20}$": VOLUNTEERS,
    r"^pf:cap:\d$": VOLUNTEERS,
    r"^pf:lang:[a-z]{2,3}$": VOLUNTEERS,
    r"^pf:gender:(f|m|none)$": VOLUNTEERS,
    r"^pf:(pause|resume)$": VOLUNTEERS,
    r"^pf:abs:from:\d{1,3}$": VOLUNTEERS,
    r"^pf:abs:(start:\d{4}-\d{2}-\d{2}|to:\d{4}-\d{2}-\d{2}:\d{1,3})$": VOLUNTEERS,
    r"^pf:abs:end:\d{4}-\d{2}-\d{2}:\d{4}-\d{2}-\d{2}$": VOLUNTEERS,
    r"^pf:abs:del:\d{1,9}$": VOLUNTEERS,
    r"^pv:forget$": EVERYONE,
    r"^pv:erase:\d{1,9}$": COORDINATORS,
    r"^pv:erase_yes:\d{1,9}$": COORDINATORS,
    r"^au:\d{1,5}$": COORDINATORS,
    r"^gr:page:\d{1,4}$": COORDINATORS,
    r"^gr:exp:\d{1,15}:\d{1,4}$": COORDINATORS,
    # the week's plan and its visits: the services check the plan, the pair and the time on top
    "plan": COORDINATORS,
    "week": COORDINATORS,
    r"^pl:pub:\d{1,9}$": COORDINATORS,
    r"^pl:rerun:\d{1,9}$": COORDINATORS,
    r"^pl:show:\d{1,9}$": COORDINATORS,
    r"^pl:swap:\d{1,9}$": COORDINATORS,
    r"^pl:sw1:\d{1,9}$": COORDINATORS,
    r"^pl:sw2:\d{1,9}:\d{1,15}$": COORDINATORS,
    r"^pl:sw3:\d{1,9}:\d{1,15}:\d{1,15}$": COORDINATORS,
    r"^mv:out:\d{1,9}$": COORDINATORS,
    r"^mv:vis:\d{1,9}$": COORDINATORS,
    r"^mv:pick:\d{1,9}$": COORDINATORS,
    r"^mv:sl:\d{1,9}:\d{1,2}$": COORDINATORS,
    r"^mv:to:\d{1,9}:\d{1,9}$": COORDINATORS,
    r"^mv:np:\d{1,9}:\d{1,2}:\d{1,15}:\d{1,15}$": COORDINATORS,
    r"^vis:ok:\d{1,9}$": VOLUNTEERS,
    r"^vis:no:\d{1,9}$": VOLUNTEERS,
    r"^vis:nok:\d{1,9}$": VOLUNTEERS,
    r"^vis:keep$": VOLUNTEERS,
    r"^vr:out:\d{1,9}:(done|nobody_home|refused)$": VOLUNTEERS,
    # open calls: the service checks, on top, that the week is published and that the volunteer was asked
    r"^oc:list:\d{1,9}$": COORDINATORS,
    r"^oc:left:\d{1,9}:\d{1,9}$": COORDINATORS,
    r"^oc:visit:\d{1,9}$": COORDINATORS,
    r"^oc:yes:\d{1,9}$": VOLUNTEERS,
    r"^oc:no:\d{1,9}$": VOLUNTEERS,
    r"^vi:ok:[A-Za-z0-9_-]{8,64}$": EVERYONE,  # the invitation code is the proof, checked in the service
    r"^iv:page:\d{1,4}$": COORDINATORS,
    r"^iv:new:\d{1,9}$": COORDINATORS,
    r"^iv:drop:\d{1,9}$": COORDINATORS,
    r"^iv:pro:\d{1,9}$": COORDINATORS,
    # /team: who has access, and taking it away
    "team": COORDINATORS,
    r"^ac:home$": COORDINATORS,
    r"^ac:list:(pro|vol|nb):\d{1,4}$": COORDINATORS,
    r"^ac:who:(pro|vol|nb):\d{1,15}$": COORDINATORS,
    r"^ac:ask:(rmpro|suspend|reinstate|rmvol):\d{1,15}$": COORDINATORS,
    r"^ac:do:(rmpro|suspend|reinstate|rmvol):\d{1,15}$": COORDINATORS,
    r"^ac:asknb:\d{1,15}:\d{1,9}$": COORDINATORS,
    r"^ac:donb:\d{1,15}:\d{1,9}$": COORDINATORS,
    r"^imp:apply:\d{1,9}$": COORDINATORS,
    r"^imp:drop:\d{1,9}$": COORDINATORS,
}
SELF_ERASING = {r"^pv:forget$"}
USERS = {ANYONE: 41, NEIGHBOUR: 42, VOLUNTEER: 43, PRO: 44, COORD: COORDINATOR_ID}
REFUSAL = "réservée à un autre rôle"


def doors(handlers: list[BaseHandler[object, object, object]]) -> Iterator[tuple[str, str]]:
    """(policy key, what to send) for every command and button reachable without a conversation underway."""
    for handler in handlers:
        if isinstance(handler, ConversationHandler):
            yield from doors(handler.entry_points)
        elif isinstance(handler, CommandHandler):
            for command in handler.commands:
                yield command, f"/{command}"
        elif isinstance(handler, CallbackQueryHandler) and isinstance(handler.pattern, re.Pattern):
            pattern = handler.pattern.pattern
            yield pattern, find(st.from_regex(pattern, fullmatch=True), lambda _: True)


def give_roles(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO users (telegram_id, first_name) VALUES (?, ?)",
            [(uid, f"U{uid}") for uid in USERS.values()],
        )
        conn.execute(
            "INSERT INTO street_watchers (street_id, telegram_id, is_main, charter_accepted_at) "
            "VALUES ((SELECT MIN(id) FROM streets), ?, 1, 'x')",
            (USERS[NEIGHBOUR],),
        )
        conn.execute(
            "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
            "VALUES (?, 'benevole', 'approved', 'x')",
            (USERS[VOLUNTEER],),
        )
        conn.execute("INSERT INTO professionals (telegram_id, added_by) VALUES (?, ?)", (USERS[PRO], COORDINATOR_ID))


def done(db_path: Path, update_id: int) -> bool:
    with sqlite3.connect(db_path) as conn:
        row = conn.execute("SELECT processed_at FROM inbox WHERE update_id = ?", (update_id,)).fetchone()
    return row is not None and row[0] is not None


def snapshot(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Everything but the machinery: the inbox, PTB's conversation state and the outbox's delivery progress."""
    with sqlite3.connect(db_path) as conn:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name not in {"inbox", "ptb_state", "outbox"} and not name.startswith("sqlite_")
        ]
        found = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
        found["outbox"] = conn.execute("SELECT id, recipient, notice, dedup_key FROM outbox ORDER BY id").fetchall()
        return found


async def test_every_door_opens_only_for_the_roles_allowed_and_a_refusal_changes_nothing(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    give_roles(db_path)
    reachable = [door for group in bot.handlers.values() for door in doors(list(group))]
    # Erasing oneself ends that person's roles: tried last, so the other doors are tried with the role intact.
    reachable.sort(key=lambda door: door[0] in SELF_ERASING)
    undeclared = sorted({key for key, _ in reachable} - set(POLICY))
    assert undeclared == [], "add these to the access policy"
    wrong: list[str] = []
    cases = 0
    for role, user_id in USERS.items():
        person = FakeUser(fake_api, user_id, f"U{user_id}", "fr")
        for key, sent in reachable:
            cases += 1
            before = snapshot(db_path)
            start = len(fake_api.sent_to(user_id))
            if sent.startswith("/"):
                person.send(sent)
            else:
                person.press_data(sent)
            callback = person.last_callback_id if not sent.startswith("/") else None
            last = person.send("/cancel")  # leave whatever conversation the attempt opened
            # One person's updates are processed in order: once the last is done, so are the others.
            await eventually(lambda last=last: done(db_path, last), f"update {last} processed")
            said = [m.text for m in fake_api.sent_to(user_id)[start:]]
            alerts = [a.get("text", "") for a in fake_api.callback_answers if a.get("callback_query_id") == callback]
            refused = any(REFUSAL in text for text in [*said, *alerts])
            allowed = role in POLICY[key]
            if refused == allowed:
                wrong.append(f"{role.value} {'refused' if refused else 'let in'} at {sent!r}")
            after = snapshot(db_path) if refused else before
            changed = sorted(table for table in after if after[table] != before.get(table))
            if changed:
                wrong.append(f"{role.value} refused at {sent!r} but {', '.join(changed)} changed")
    assert wrong == [], "\n".join(wrong[:40])
    assert cases == len(USERS) * len(reachable) >= 250
