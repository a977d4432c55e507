"""A person's drafts are typed and survive a restart; drafts written by the previous version (plain JSON
objects) are read after an upgrade, and one that no longer reads is dropped with a log line: the step that
needed it says it is no longer open and ends, and nothing is recorded from it."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.app import running
from bot.config import Settings
from bot.handlers.drafts import Drafts, VisitReportDraft
from bot.i18n import Translations
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser

_ = Translations("fr").get("fr")


def keep_as_the_previous_version(db_path: Path, person: int, drafts: object, conversation: str, state: object) -> None:
    """What the previous version left in PTB's state for a person halfway through a conversation (sealed at
    the next start, like every value it wrote in clear)."""
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO ptb_state (kind, key, value) VALUES ('user_data', ?, ?)", (str(person), json.dumps(drafts))
        )
        conn.execute(
            "INSERT INTO ptb_state (kind, key, value) VALUES (?, ?, ?)",
            (f"conversation:{conversation}", json.dumps([person, person]), json.dumps(state)),
        )


async def test_a_neighbour_s_charter_shown_before_the_upgrade_is_accepted_after_it(
    settings: Settings, fake_api: FakeBotApi, db_path: Path
) -> None:
    async with running(settings, poll_timeout=1):
        pass
    street_id, street = rows(db_path, "SELECT id, name FROM streets ORDER BY id LIMIT 1")[0]
    neighbour = FakeUser(fake_api, 4401, "Nadia", "fr")
    keep_as_the_previous_version(
        db_path, neighbour.id, {"neighbour_street": street_id}, "neighbour_registration", "nb.charter"
    )
    async with running(settings, poll_timeout=1):
        neighbour.press_data("nb:accept")
        await neighbour.expect(_("neighbour.registered_main", street=street))
    assert rows(db_path, "SELECT street_id, telegram_id FROM street_watchers") == [(street_id, neighbour.id)]


async def test_an_unreadable_draft_is_dropped_and_its_step_says_it_is_no_longer_open(
    settings: Settings, fake_api: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.handlers.drafts")
    async with running(settings, poll_timeout=1):
        pass
    applicant = FakeUser(fake_api, 4402, "Yann", "fr")
    # A kind this version does not know, beside a report's draft that is not typed yet (kept as it is).
    old = {"volunteer_kind": "astronaut", "report": {"channel": "telegram", "signs": ["mail"]}}
    keep_as_the_previous_version(db_path, applicant.id, old, "volunteer_signup", "vo.charter")
    async with running(settings, poll_timeout=1) as bot:
        applicant.press_data("vo:accept")
        await applicant.expect(_("common.step_closed"))
        assert "drafts.dropped field=volunteer_kind" in caplog.text
        assert bot.user_data[applicant.id].untyped == {"report": old["report"]}
        applicant.press_data("vo:accept")  # the conversation ended: the charter's button is an old one now
        await applicant.expect_alert(_("fallback.stale_button"))
    assert rows(db_path, "SELECT COUNT(*) FROM volunteers") == [(0,)]


async def test_a_visit_report_whose_draft_is_gone_records_nothing(
    settings: Settings, fake_api: FakeBotApi, db_path: Path
) -> None:
    async with running(settings, poll_timeout=1):
        pass
    volunteer = FakeUser(fake_api, 4403, "Léa", "fr")
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
            "VALUES (?, 'benevole', 'approved', 'x')",
            (volunteer.id,),
        )
    keep_as_the_previous_version(db_path, volunteer.id, {"visit_report": "not a draft"}, "visit_report", 0)
    async with running(settings, poll_timeout=1):
        volunteer.press_data("vr:mood:4")
        await volunteer.expect(_("common.step_closed"))
    assert rows(db_path, "SELECT COUNT(*) FROM visits WHERE outcome IS NOT NULL") == [(0,)]


def test_drafts_are_stored_as_the_previous_version_read_them() -> None:
    drafts = Drafts(visit_report=VisitReportDraft(visit=3, outcome="done", needs=["meals"]))
    drafts.untyped["answering"] = 12
    stored = drafts.dumped()
    assert stored is not None
    assert json.loads(stored) == {
        "answering": 12,
        "visit_report": {"visit": 3, "outcome": "done", "needs": ["meals"]},
    }
    assert Drafts.restored(stored) == drafts
    drafts.clear()
    assert drafts.dumped() is None
