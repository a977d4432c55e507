"""/coverage, for coordinators: per neighbourhood, the streets with a main caring neighbour, with backups only,
and with nobody; one neighbourhood's streets page by page."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.domain import commands
from bot.domain.actions.coverage import CoverageArea, CoverageSummary
from bot.domain.callbacks import Button
from bot.handlers.access import command, on, plain
from bot.handlers.common import Context, answer, buttons, stale
from bot.handlers.mini_app import desk_rows
from bot.i18n import Translator
from bot.services.streets import AreaCoverage

LINES_PER_PAGE = 30


def summary(_: Translator, areas: list[AreaCoverage]) -> str:
    lines = [
        _(
            "coverage.area_line",
            area=area.neighbourhood,
            main=len(area.main),
            backups=len(area.backups_only),
            nobody=len(area.nobody),
        )
        for area in areas
    ]
    return _("coverage.title") + "\n" + "\n".join(lines)


def area_lines(_: Translator, area: AreaCoverage) -> list[str]:
    """Streets with a main neighbour, then with backups only, then the long tail of streets with nobody."""
    return [
        *(_("coverage.main_line", street=s.name, name=s.main_name, backups=s.backups) for s in area.main),
        *(_("coverage.backups_only_line", street=s.name, backups=s.backups) for s in area.backups_only),
        *(_("coverage.nobody_line", street=s.name) for s in area.nobody),
    ]


async def coverage(update: Update, context: Context) -> None:
    _ = await context.translator()
    areas = await context.services.streets.coverage()
    choices = [Button.labelled(area.neighbourhood, CoverageArea(i, 0)) for i, area in enumerate(areas)]
    rows = [choices[i : i + 2] for i in range(0, len(choices), 2)]
    await answer(update, summary(_, areas), buttons(_, rows + desk_rows(context)))


async def area(update: Update, context: Context, pressed: CoverageArea) -> None:
    _ = await context.translator()
    areas = await context.services.streets.coverage()
    index, page = pressed.index, pressed.page
    lines = area_lines(_, areas[index]) if index < len(areas) else []
    pages = max(1, -(-len(lines) // LINES_PER_PAGE))
    if index >= len(areas) or page >= pages:
        await stale(update, context)
        return
    chosen = areas[index]
    header = _(
        "coverage.area",
        area=chosen.neighbourhood,
        main=len(chosen.main),
        backups=len(chosen.backups_only),
        nobody=len(chosen.nobody),
        page=page + 1,
        pages=pages,
    )
    shown = lines[page * LINES_PER_PAGE : (page + 1) * LINES_PER_PAGE]
    turns = []
    if page > 0:
        turns.append(Button("button.previous", CoverageArea(index, page - 1)))
    if page + 1 < pages:
        turns.append(Button("button.next", CoverageArea(index, page + 1)))
    rows = [turns] if turns else []
    rows.append([Button("button.back", CoverageSummary())])
    await answer(update, header + "\n" + ("\n".join(shown) or _("coverage.no_street")), buttons(_, rows))


def handlers() -> list[BaseHandler[Update, Context, object]]:
    return [
        command(commands.COVERAGE, coverage),
        on(CoverageSummary, plain(coverage)),
        on(CoverageArea, area),
    ]
