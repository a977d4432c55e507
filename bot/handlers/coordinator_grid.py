"""The coordinator's one view of every volunteer's weekly grid, and who counts as experienced."""

from __future__ import annotations

from babel.dates import get_day_names
from telegram import Update
from telegram.ext import BaseHandler

from bot.domain import commands
from bot.domain.actions.grid import GridPage, ToggleExperienced
from bot.domain.callbacks import Button
from bot.domain.slots import WEEKDAYS, Slot
from bot.domain.volunteers import VolunteerProfile
from bot.handlers.access import command, on
from bot.handlers.common import Context, answer, buttons, stale
from bot.handlers.leaving import MENU
from bot.handlers.pages import Listing, show_page
from bot.i18n import Translator

# Short enough for a phone's monospace width: one line per volunteer, one character per slot; a page of
# them with their ⭐ buttons, three to a row.
PAGE_SIZE = 15
MARKS_PER_ROW = 3
NAME_WIDTH = 10


def _columns(slots: tuple[Slot, ...]) -> list[list[Slot]]:
    """The configured slots grouped by day, in week order, each day's slots by start time."""
    days = [sorted((s for s in slots if s.day == day), key=lambda s: s.start) for day in WEEKDAYS]
    return [day for day in days if day]


def _days_row(_: Translator, columns: list[list[Slot]]) -> str:
    short_names = get_day_names("short", locale=_.locale)
    return " " * NAME_WIDTH + " ".join(
        short_names[WEEKDAYS.index(day[0].day)][: max(len(day), 2)].ljust(max(len(day), 2)) for day in columns
    )


def _row(columns: list[list[Slot]], profile: VolunteerProfile, experienced: bool) -> str:
    cells = " ".join(
        "".join("x" if slot.id in profile.slot_ids else "." for slot in day).ljust(max(len(day), 2)) for day in columns
    )
    flags = ("E" if experienced else "") + ("P" if profile.paused else "")
    return f"{profile.first_name[: NAME_WIDTH - 1].ljust(NAME_WIDTH)}{cells} {profile.capacity} {flags}".rstrip()


async def _render(update: Update, context: Context, page: int) -> None:
    _ = await context.translator()
    availability = context.services.availability
    everyone = await availability.everyone()
    if not everyone:
        await answer(update, _("grid.empty"), buttons(_, [[MENU]]))
        return
    experienced = await availability.experienced(everyone)
    columns = _columns(availability.slots)
    # The page a toggle redraws: the one it was pressed on, as the pager counts them.
    marks = [
        (
            Button.labelled(
                f"{'⭐' if p.experienced else '☆'} {p.first_name}", ToggleExperienced(p.telegram_id, i // PAGE_SIZE)
            ),
        )
        for i, p in enumerate(everyone)
    ]
    listing = Listing(
        _("grid.header", count=len(everyone), days=_days_row(_, columns)),
        [_("grid.row", row=_row(columns, p, p.telegram_id in experienced)) for p in everyone],
        _("grid.legend"),
        line_buttons=marks,
        per_row=MARKS_PER_ROW,
        max_lines=PAGE_SIZE,
    )
    await show_page(update, _, listing, page, GridPage, [[MENU]])


async def grid(update: Update, context: Context) -> None:
    await _render(update, context, 0)


async def page_turned(update: Update, context: Context, turned: GridPage) -> None:
    await _render(update, context, turned.page)


async def experience_toggled(update: Update, context: Context, toggled: ToggleExperienced) -> None:
    coordinator = update.effective_user
    assert coordinator is not None
    availability = context.services.availability
    volunteer = await availability.profile(toggled.volunteer_id)
    if volunteer is None:
        await stale(update, context)
        return
    await availability.set_experienced(coordinator.id, volunteer.telegram_id, not volunteer.experienced)
    await _render(update, context, toggled.page)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        command(commands.GRID, grid),
        on(GridPage, page_turned),
        on(ToggleExperienced, experience_toggled),
    ]
