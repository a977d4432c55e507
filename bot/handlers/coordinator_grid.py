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
from bot.i18n import Translator

# Short enough for a phone's monospace width: one line per volunteer, one character per slot.
PAGE_SIZE = 15
NAME_WIDTH = 10


def _columns(slots: tuple[Slot, ...]) -> list[list[Slot]]:
    """The configured slots grouped by day, in week order, each day's slots by start time."""
    days = [sorted((s for s in slots if s.day == day), key=lambda s: s.start) for day in WEEKDAYS]
    return [day for day in days if day]


def _table(_: Translator, columns: list[list[Slot]], profiles: list[VolunteerProfile], experienced: set[int]) -> str:
    short_names = get_day_names("short", locale=_.language)
    header = " " * NAME_WIDTH + " ".join(
        short_names[WEEKDAYS.index(day[0].day)][: max(len(day), 2)].ljust(max(len(day), 2)) for day in columns
    )
    lines = [header]
    for profile in profiles:
        cells = " ".join(
            "".join("x" if slot.id in profile.slot_ids else "." for slot in day).ljust(max(len(day), 2))
            for day in columns
        )
        flags = ("E" if profile.telegram_id in experienced else "") + ("P" if profile.paused else "")
        lines.append(f"{profile.first_name[: NAME_WIDTH - 1].ljust(NAME_WIDTH)}{cells} {profile.capacity} {flags}")
    return "\n".join(line.rstrip() for line in lines)


async def _render(update: Update, context: Context, page: int) -> None:
    _ = await context.translator()
    availability = context.services.availability
    everyone = await availability.everyone()
    if not everyone:
        await answer(update, _("grid.empty"), buttons(_, [[MENU]]))
        return
    pages = (len(everyone) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = everyone[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    experienced = await availability.experienced(shown)
    table = _table(_, _columns(availability.slots), shown, experienced)
    marks = [
        Button.labelled(f"{'⭐' if p.experienced else '☆'} {p.first_name}", ToggleExperienced(p.telegram_id, page))
        for p in shown
    ]
    rows = [marks[i : i + 3] for i in range(0, len(marks), 3)]
    turns = []
    if page > 0:
        turns.append(Button("button.earlier", GridPage(page - 1)))
    if page < pages - 1:
        turns.append(Button("button.later", GridPage(page + 1)))
    text = _("grid.title", count=len(everyone), page=page + 1, pages=pages, table=table)
    await answer(update, text, buttons(_, [*rows, turns, [MENU]]))


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
