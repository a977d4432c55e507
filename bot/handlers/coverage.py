"""/coverage, for coordinators: per neighbourhood, the streets with a main caring neighbour, with backups only,
and with nobody; one neighbourhood's streets page by page."""

from __future__ import annotations

import functools

from telegram import Update
from telegram.ext import BaseHandler

from bot.domain import commands
from bot.domain.actions.coverage import CoverageArea, CoveragePage, CoverageSummary
from bot.domain.callbacks import Button
from bot.handlers.access import command, on, plain
from bot.handlers.common import Context, stale
from bot.handlers.mini_app import desk_rows
from bot.handlers.pages import Listing, show_page
from bot.i18n import Translator
from bot.services.streets import AreaCoverage

LINES_PER_PAGE = 30
# A neighbourhood a line, its button beside the others two to a row.
AREAS_A_PAGE = 30
AREAS_PER_ROW = 2


def summary(_: Translator, areas: list[AreaCoverage]) -> Listing:
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
    choices = [(Button.labelled(area.neighbourhood, CoverageArea(i, 0)),) for i, area in enumerate(areas)]
    return Listing(_("coverage.title"), lines, line_buttons=choices, per_row=AREAS_PER_ROW, max_lines=AREAS_A_PAGE)


def area_lines(_: Translator, area: AreaCoverage) -> list[str]:
    """Streets with a main neighbour, then with backups only, then the long tail of streets with nobody."""
    return [
        *(_("coverage.main_line", street=s.name, name=s.main_name, count=s.backups) for s in area.main),
        *(_("coverage.backups_only_line", street=s.name, count=s.backups) for s in area.backups_only),
        *(_("coverage.nobody_line", street=s.name) for s in area.nobody),
    ]


async def coverage(update: Update, context: Context, page: int = 0) -> None:
    _ = await context.translator()
    areas = await context.services.streets.coverage()
    await show_page(update, _, summary(_, areas), page, CoveragePage, desk_rows(context))


async def coverage_page(update: Update, context: Context, pressed: CoveragePage) -> None:
    await coverage(update, context, pressed.page)


async def area(update: Update, context: Context, pressed: CoverageArea) -> None:
    _ = await context.translator()
    areas = await context.services.streets.coverage()
    index = pressed.index
    if index >= len(areas):
        await stale(update, context)
        return
    chosen = areas[index]
    header = _(
        "coverage.area_header",
        area=chosen.neighbourhood,
        main=len(chosen.main),
        backups=len(chosen.backups_only),
        nobody=len(chosen.nobody),
    )
    listing = Listing(header, area_lines(_, chosen) or [_("coverage.no_street")], max_lines=LINES_PER_PAGE)
    back = [[Button("button.back", CoverageSummary())]]
    await show_page(update, _, listing, pressed.page, functools.partial(CoverageArea, index), back)


def handlers() -> list[BaseHandler[Update, Context, object]]:
    return [
        command(commands.COVERAGE, coverage),
        on(CoverageSummary, plain(coverage)),
        on(CoveragePage, coverage_page),
        on(CoverageArea, area),
    ]
