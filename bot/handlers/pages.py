"""Every list a coordinator reads, shown page by page through one pager (bot/services/paging.py): each page
fits one Telegram message, a line's buttons stay beside it, ‹ › turn the pages, and the rows every page
carries (Publish under the plan's preview, the filters under the reports) are on every page.

A page is asked for by its number from 0, carried by the list's own typed action (so that each list keeps
its access rule); a number the list no longer reaches (it shrank since the button was drawn, or the data
was forged) shows the nearest page instead of failing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from telegram import Update

from bot.domain.callbacks import Action, Button
from bot.handlers.common import answer, buttons
from bot.i18n import Translator
from bot.services.paging import Page, paginate

MAX_BUTTONS = 100
"""Telegram's most buttons under one message."""
ROOM_FOR_ROWS = 20
"""What a page's line buttons leave to the page turns and the rows every page carries."""


@dataclass(frozen=True, slots=True)
class Listing:
    """A list as the reader gets it: its header, lines and footer rendered from the catalogue (each value
    escaped once); for a list whose lines can be acted on, each line's buttons (`line_buttons`, one tuple a
    line), drawn `per_row` to a row (0: a row for each line), and at most `max_lines` lines a page."""

    header: str
    lines: Sequence[str]
    footer: str = ""
    line_buttons: Sequence[Sequence[Button]] = ()
    per_row: int = 0
    max_lines: int | None = None

    def __post_init__(self) -> None:
        if self.line_buttons and len(self.line_buttons) != len(self.lines):
            raise ValueError("a listing's buttons come one tuple a line")
        if self.line_buttons and self.max_lines is None:
            raise ValueError("a listing with buttons on its lines says how many lines a page holds")
        widest = max((len(row) for row in self.line_buttons), default=0)
        if self.max_lines is not None and self.max_lines * widest > MAX_BUTTONS - ROOM_FOR_ROWS:
            raise ValueError("a page of this listing would hold more buttons than Telegram draws")


def pages_of(_: Translator, listing: Listing) -> list[Page]:
    return paginate(
        listing.header,
        listing.lines,
        listing.footer,
        marker=lambda number, count: _("page.marker", number=number, count=count),
        max_lines=listing.max_lines,
    )


def turns(_: Translator, index: int, count: int, to_page: Callable[[int], Action]) -> list[Button]:
    """« first, ‹ previous, next ›, last »: each labelled with the page it opens, only where it leads
    somewhere other than here or a neighbour's button."""
    row = []
    if index > 1:
        row.append(Button.labelled(_.label("page.first", number=1), to_page(0)))
    if index > 0:
        row.append(Button.labelled(_.label("page.previous", number=index), to_page(index - 1)))
    if index < count - 1:
        row.append(Button.labelled(_.label("page.next", number=index + 2), to_page(index + 1)))
    if index < count - 2:
        row.append(Button.labelled(_.label("page.last", number=count), to_page(count - 1)))
    return row


def page_of(
    _: Translator,
    listing: Listing,
    page: int,
    to_page: Callable[[int], Action],
    fixed_rows: Sequence[Sequence[Button]] = (),
) -> tuple[str, list[list[Button]]]:
    """The text of page `page` (clamped to the pages there are) and its keyboard: the buttons of its lines,
    the page turns, then `fixed_rows`."""
    pages = pages_of(_, listing)
    index = min(max(page, 0), len(pages) - 1)
    shown = pages[index]
    rows: list[list[Button]] = []
    if listing.line_buttons:
        first = sum(len(earlier.lines) for earlier in pages[:index])
        own = listing.line_buttons[first : first + len(shown.lines)]
        if listing.per_row:
            flat = [button for line in own for button in line]
            rows = [flat[i : i + listing.per_row] for i in range(0, len(flat), listing.per_row)]
        else:
            rows = [list(line) for line in own if line]
    turning = turns(_, index, len(pages), to_page)
    return shown.text, [*rows, *([turning] if turning else []), *(list(row) for row in fixed_rows)]


async def show_page(
    update: Update,
    _: Translator,
    listing: Listing,
    page: int,
    to_page: Callable[[int], Action],
    fixed_rows: Sequence[Sequence[Button]] = (),
) -> None:
    """Page `page` of the listing, in place of the message whose button was pressed (or as a new message to
    a command)."""
    text, rows = page_of(_, listing, page, to_page, fixed_rows)
    await answer(update, text, buttons(_, rows))


async def send_parts(update: Update, _: Translator, listing: Listing) -> None:
    """A text read at once rather than browsed (a report of figures): as many messages as it needs, one
    after the other, without page turns; the header begins the first only."""
    parts = paginate("", [listing.header, *listing.lines], listing.footer)
    await answer(update, parts[0].text)
    chat = update.effective_chat
    for part in parts[1:]:
        if chat is not None:
            await chat.send_message(part.text)
