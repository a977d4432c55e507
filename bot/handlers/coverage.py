"""/coverage, for coordinators: per neighbourhood, the streets with a main caring neighbour, with backups only,
and with nobody; one neighbourhood's streets page by page."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.handlers.common import Context, answer, buttons, requires, services, translator
from bot.handlers.mini_app import desk_rows
from bot.i18n import Translator
from bot.notices import Button
from bot.services.roles import Role
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


@requires(Role.COORDINATOR)
async def coverage(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    areas = await services(context).streets.coverage()
    choices = [Button.labelled(area.neighbourhood, f"cv:area:{i}:0") for i, area in enumerate(areas)]
    rows = [choices[i : i + 2] for i in range(0, len(choices), 2)]
    await answer(update, summary(_, areas), buttons(_, rows + desk_rows(context)))


@requires(Role.COORDINATOR)
async def area(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query = update.callback_query
    assert query is not None and query.data is not None
    _prefix, _verb, raw_index, raw_page = query.data.split(":")
    areas = await services(context).streets.coverage()
    index, page = int(raw_index), int(raw_page)
    lines = area_lines(_, areas[index]) if index < len(areas) else []
    pages = max(1, -(-len(lines) // LINES_PER_PAGE))
    if index >= len(areas) or page >= pages:
        await query.answer(_("fallback.stale_button"), show_alert=True)
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
        turns.append(Button("button.previous", f"cv:area:{index}:{page - 1}"))
    if page + 1 < pages:
        turns.append(Button("button.next", f"cv:area:{index}:{page + 1}"))
    rows = [turns] if turns else []
    rows.append([Button("button.back", "cv:all")])
    await answer(update, header + "\n" + ("\n".join(shown) or _("coverage.no_street")), buttons(_, rows))


def handlers() -> list[BaseHandler[Update, Context, object]]:
    return [
        CommandHandler("coverage", coverage),
        CallbackQueryHandler(coverage, pattern=r"^cv:all$"),
        CallbackQueryHandler(area, pattern=r"^cv:area:\d{1,3}:\d{1,3}$"),
    ]
