"""Names, notes and street names are text, never markup: whatever people type or a file holds (`<`, `&`,
quotes, tags, a link, right-to-left marks, very long words) goes through every screen that shows it, through
the real application, and comes out as Telegram would show it as typed: no message Telegram would refuse
("can't parse entities"), no value escaped twice (`&amp;` shown to the reader), no value turned into a link.

The screens: the report being written, the coordinator's desk, the person's file, the audit log, the streets'
coverage, the volunteers' grid, the plan's preview, the week, the outings the volunteers receive, the open
calls' board and the call itself; and, for the buttons that carry names, a neighbour's streets, the
applications waiting and the team."""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given
from hypothesis import settings as run
from hypothesis import strategies as st

from bot.app import database_of, running
from bot.config import Settings
from bot.storage.database import Database
from tests.catalogue import Fragment, says
from tests.conftest import COORDINATOR_ID
from tests.fake_bot_api import FakeBotApi, Sent
from tests.stored_data import LOCK_WAIT_S
from tests.telegram_html import problems_in, visible
from tests.telegram_users import FakeUser
from tests.test_visits import WEEK, at, fixed_clock, visit_settings
from tests.town import Member, add_members

IN_AGEN = (44.2036, 0.6206)
REPORTER, APPLICANT, ANNE, PAUL, LEA, MARC = 5301, 5302, 701, 702, 703, 704
# What people put where a name goes. None holds a ";": a value never looks like an entity of its own, so an
# entity left after decoding can only be a value escaped twice.
PIECES = st.sampled_from(
    [
        "<",
        ">",
        "&",
        '"',
        "'",
        "<b>",
        "</b>",
        "<i>",
        "</pre>",
        '<a href="https://evil.example">',
        "</a>",
        "<script>",
        "<!--",
        "\u200f",  # right-to-left mark
        "\u202e",  # right-to-left override
        "\u2066",  # left-to-right isolate
    ]
)
WORDS = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=40)


def hostile(max_chars: int) -> st.SearchStrategy[str]:
    parts = st.lists(st.one_of(PIECES, WORDS), min_size=1, max_size=8)
    return (
        parts.map(lambda found: " ".join(" ".join(found).split())[:max_chars].strip())
        .filter(lambda text: any(char.isalpha() for char in text))
        .filter(lambda text: "<!--" not in text or "-->" not in text)
    )


@dataclass(frozen=True)
class Hostile:
    first_name: str  # a Telegram first name (64 characters at most)
    name: str  # a person followed (80 at most)
    street: str  # a street, as another town's file or an older version may have stored it
    note: str  # typed by a reporter; the same text is a door's access notes


async def seed(db_path: Path, values: Hostile) -> None:
    """Two streets of the centre, one watched by the reporter; two volunteers free on Tuesday afternoon who
    make one visit each (one pair, one visit: the second person is left for an open call), and one waiting for
    a decision; two persons."""
    db = Database(db_path)
    await db.open()
    await db.close()
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        street = "INSERT INTO streets (key, name, insee_code, postcode, neighbourhood, lat, lon) "
        street += "VALUES (?, ?, ?, ?, ?, ?, ?)"
        conn.execute(street, ("s1", values.street, "47001", "47000", "Centre-ville", *IN_AGEN))
        conn.execute(street, ("s2", values.street + " bis", "47001", "47000", "Centre-ville", 44.2040, 0.6170))
        users = [(REPORTER, values.first_name), (ANNE, values.first_name), (PAUL, "Paul " + values.first_name)]
        users.append((APPLICANT, values.first_name))
        conn.executemany("INSERT INTO users (telegram_id, first_name) VALUES (?, ?)", users)
        conn.execute(
            "INSERT INTO street_watchers (street_id, telegram_id, is_main, charter_accepted_at) VALUES (1, ?, 1, 'x')",
            (REPORTER,),
        )
        conn.execute(
            "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
            "VALUES (?, 'benevole', 'pending', 'x')",
            (APPLICANT,),
        )
        for volunteer in (ANNE, PAUL):
            conn.execute(
                "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
                "VALUES (?, 'benevole', 'approved', 'x')",
                (volunteer,),
            )
            conn.execute(
                "INSERT INTO volunteer_profiles (telegram_id, experienced, capacity, home_street_id) "
                "VALUES (?, 1, 1, 2)",
                (volunteer,),
            )
            conn.execute("INSERT INTO volunteer_slots VALUES (?, 'tue-pm')", (volunteer,))
        for name, point in ((values.name, (44.2045, 0.6175)), (values.name + " bis", (44.2030, 0.6160))):
            conn.execute(
                "INSERT INTO persons (name, address, street_id, lat, lon, visits_per_month, consent_at, consent_how, "
                "bereavement_on, created_by) VALUES (?, ?, 1, ?, ?, 4, '2030-01-10', 'oral', '2030-01-02', 1)",
                (name, f"12 {values.street}", *point),
            )


async def walk_through_every_screen(settings: Settings, api: FakeBotApi, values: Hostile) -> dict[str, list[Sent]]:
    """Every screen the values reach; returns, per screen, the messages it was shown in."""
    screens: dict[str, list[Sent]] = {}
    coordinator = FakeUser(api, COORDINATOR_ID, values.first_name)
    reporter = FakeUser(api, REPORTER, values.first_name)
    # The fake's chats outlive an example: each person reads only what this one sends.
    volunteers = {member: FakeUser(api, member, "?").reads_from_now() for member in (ANNE, PAUL, LEA, MARC)}

    async def shown(user: FakeUser, screen: str, *fragments: Fragment) -> Sent:
        message = await user.expect(*fragments)
        screens.setdefault(screen, []).append(message)
        return message

    async with running(settings, poll_timeout=1) as bot:
        fixed_clock(bot, at(1, 10))
        async with database_of(bot).transaction() as tx:
            await tx.execute("UPDATE persons SET access_notes = seal(?)", (values.note,))

        reporter.send("/mystreets")
        await shown(reporter, "my streets", says("neighbour.my_streets"))
        reporter.send("/report")
        await shown(reporter, "report", says("report.ask_where"))
        reporter.share_location(*IN_AGEN)
        await shown(reporter, "report", says("report.ask_signs"))
        reporter.press(says("sign.shutters"))
        await reporter.expect(says("report.ask_signs"))
        reporter.press(says("button.more_details"))
        await reporter.expect(says("report.details"))
        reporter.press(says("button.note"))
        await reporter.expect(says("report.ask_note"))
        reporter.send(values.note)
        await shown(reporter, "report", says("report.ask_signs"))
        reporter.press(says("button.send_report"))
        await reporter.expect(says("report.sent"))

        coordinator.send("/reports")
        await shown(coordinator, "triage", says("triage.list_header"))
        coordinator.press_data("tr:open:1")
        await shown(coordinator, "triage", says("triage.card"))
        coordinator.press_data("pe:open:1")
        await shown(coordinator, "person file", says("person.file"))
        reporter.send("/mydata")
        await reporter.expect(says("privacy.mydata_caption"))
        coordinator.send("/audit")
        await shown(coordinator, "audit", says("audit.header"))
        coordinator.send("/coverage")
        await shown(coordinator, "coverage", says("coverage.title"))
        coordinator.press_data("cv:area:0:0")
        await shown(coordinator, "coverage", says("coverage.area_header", area="Centre-ville", nobody=1))
        coordinator.send("/team")
        await shown(coordinator, "team", says("team.title"))
        coordinator.press_data("ac:list:vol:0")
        await shown(coordinator, "team", says("team.list", page=1, pages=1))
        coordinator.press_data(f"ac:who:vol:{ANNE}")
        await shown(coordinator, "team", says("team.volunteer", status=says("team.volunteer_status.approved")))
        coordinator.send("/pending")
        await shown(coordinator, "pending", says("coordinator.pending"))
        coordinator.send("/grid")
        await shown(coordinator, "grid", says("grid.header"))

        coordinator.send(f"/plan {WEEK}")
        await shown(
            coordinator,
            "plan preview",
            says("plan.preview_header", week=10, year=2030, status=says("plan.status.draft")),
        )
        coordinator.send(f"/week {WEEK}")
        await shown(coordinator, "week", says("week.header", week=10, year=2030))
        coordinator.press(says("plan.publish_button"))
        await coordinator.expect(says("plan.published", sent=says("plan.visits_sent", count=1)))
        for member in (ANNE, PAUL):
            await shown(volunteers[member], "outings", says("visit.outing"))
        # Two more, free on Tuesday afternoon once the week is out: the ones the open call asks.
        free = [Member(LEA, values.first_name[:20] + " Léa", ("tue-pm",)), Member(MARC, "Marc", ("tue-pm",))]
        await add_members(database_of(bot), free)

        coordinator.press(says("opencall.board_button"))
        await shown(coordinator, "open calls", says("opencall.board_header"))
        coordinator.press("📣")
        await coordinator.expect(says("opencall.launched"))
        await shown(volunteers[LEA], "open calls", says("opencall.ask"))
    return screens


def every_button(message: Sent) -> list[dict[str, Any]]:
    """The buttons under a message, and the big ones it puts under the message field."""
    keyboard = (message.reply_markup or {}).get("keyboard", [])
    return [*message.buttons(), *(button for row in keyboard for button in row)]


def test_hostile_values_go_through_every_screen_as_text(
    fake_api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    base = visit_settings(settings)

    @given(
        first_name=hostile(64),
        name=hostile(76),  # room for " bis", the second person's name
        street=hostile(150),
        note=hostile(300),
    )
    @example(
        first_name='<a href="https://evil.example">CCAS</a>',
        name='<b>Jo & "Al"</b>',
        street="Rue <b>Basse & Haute",
        note="</pre> <i>volets & \u202eclos",
    )
    @example(first_name="\u200fعلي & <", name="M" * 70 + " <", street="Rue " + "x" * 120, note="a < b > c & d")
    @run(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    def through_the_bot(first_name: str, name: str, street: str, note: str) -> None:
        values = Hostile(first_name, name, street, note)
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        here = base.model_copy(update={"storage": base.storage.model_copy(update={"db_path": folder / "lien.sqlite3"})})
        asyncio.run(seed(here.storage.db_path, values))
        since = len(fake_api.history)
        screens = asyncio.run(walk_through_every_screen(here, fake_api, values))
        assert problems_in(fake_api, since) == []
        # Shown whole, as typed: not eaten as markup, not turned into a link.
        expected = {
            "report": [values.street, values.note],
            "triage": [values.first_name, values.street, values.note],
            "person file": [values.name, values.street],
            "audit": [values.first_name],
            "team": [values.first_name],
            # The second street has nobody: its own line ("⬜ street") escapes the name too.
            "coverage": [values.street, values.first_name, f"⬜ {values.street} bis"],
            "plan preview": [values.name, values.first_name],
            "week": [values.name, values.first_name],
            "outings": [values.street, values.note],
            "open calls": [values.name, values.street],
        }
        for screen, wanted in expected.items():
            seen = "\n".join(visible(message.text) for message in screens[screen])
            for value in wanted:
                assert value in seen, (screen, value, seen[:500])
        labels = {screen: " ".join(b["text"] for m in screens[screen] for b in every_button(m)) for screen in screens}
        assert values.first_name in labels["pending"] and values.street in labels["my streets"]
        assert values.first_name in labels["team"]
        assert values.street in labels["report"]
        assert set(screens) == {*expected, "grid", "pending", "my streets"}

    through_the_bot()
