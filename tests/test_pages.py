"""A list shown page by page: each line's buttons on the page of their line, the rows every page carries on
every page, page turns that lead to the neighbours and the ends, a page number past the end showing the last
page, and never more buttons than Telegram draws. End to end, a page press is a typed action: a forged page
number reads the nearest page, and someone not allowed the list is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import database_of
from bot.domain.actions.privacy import AuditPage
from bot.domain.actions.triage import ListReports, OpenReport
from bot.domain.callbacks import Button
from bot.handlers.pages import MAX_BUTTONS, Listing, page_of
from bot.i18n import Translations
from bot.runtime.inbox import InboxApplication
from tests.catalogue import says, shows
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser

_ = Translations("fr").get("fr")
REPORTS = 95
FIXED = [[Button("plan.rerun_button", ListReports("all", None, 0))]]


def listing(count: int = REPORTS) -> Listing:
    return Listing(
        _("triage.list_header", count=count),
        [f"Signalement n°{n}" for n in range(count)],
        line_buttons=[(Button.labelled(f"S-{n}", OpenReport(n + 1)),) for n in range(count)],
        max_lines=10,
    )


def to_page(page: int) -> ListReports:
    return ListReports("all", None, page)


def labels(rows: list[list[Button]]) -> list[str]:
    return [button.text or button.label_key for row in rows for button in row]


def test_each_line_has_its_buttons_on_its_page_and_the_fixed_rows_on_every_page() -> None:
    for page in range(10):
        text, rows = page_of(_, listing(), page, to_page, FIXED)
        shown = [line.removeprefix("Signalement n°") for line in text.splitlines() if line.startswith("Signalement")]
        assert [f"S-{n}" for n in shown] == [label for label in labels(rows) if label.startswith("S-")]
        assert rows[-1] == FIXED[0]
        assert _("page.marker", number=page + 1, count=10) in text


def test_the_turns_lead_to_the_first_the_neighbours_and_the_last_page() -> None:
    _text, rows = page_of(_, listing(), 4, to_page)
    turns = rows[-1]
    wanted = [("page.first", 1), ("page.previous", 4), ("page.next", 6), ("page.last", 10)]
    assert [b.text for b in turns] == [_.label(key, number=number) for key, number in wanted]
    assert [b.action for b in turns] == [to_page(0), to_page(3), to_page(5), to_page(9)]
    first = page_of(_, listing(), 0, to_page)[1][-1]
    assert [b.text for b in first] == [_.label("page.next", number=2), _.label("page.last", number=10)]


def test_a_page_past_the_end_shows_the_last_and_a_negative_one_the_first() -> None:
    assert page_of(_, listing(), 400, to_page) == page_of(_, listing(), 9, to_page)
    assert page_of(_, listing(), -3, to_page) == page_of(_, listing(), 0, to_page)
    assert not shows(page_of(_, listing(5), 3, to_page)[0], says("page.marker"), "fr")


def test_a_listing_that_could_hold_more_buttons_than_telegram_draws_is_refused() -> None:
    with pytest.raises(ValueError, match="buttons"):
        Listing("x", ["a"] * 3, line_buttons=[(Button.labelled("a", OpenReport(1)),) * 3] * 3, max_lines=30)
    _text, rows = page_of(_, listing(), 0, to_page, FIXED)
    assert sum(len(row) for row in rows) < MAX_BUTTONS


async def test_a_forged_page_number_reads_the_last_page_and_a_volunteer_is_refused_the_log(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    async with database_of(clocked_bot).transaction() as tx:
        for n in range(45):
            await tx.execute(
                # The oldest entry is about an erased person, whose number the log shows.
                "INSERT INTO audit_log (actor, action, subject) VALUES (1, 'person.opened', ?)",
                ("erasure:7" if n == 0 else f"person:{n}",),
            )
    coordinator.press_data(AuditPage(99_999).pack())
    last = await coordinator.expect(says("audit.header"), says("page.marker", number=3, count=3))
    assert coordinator.shown(
        last.text, says("audit.action.person.opened", subject=says("audit.subject.erased", number=7))
    )
    stranger = FakeUser(fake_api, 4242, "Intrus")
    stranger.press_data(AuditPage(1).pack())
    await stranger.expect_alert(says("access.refused"))
