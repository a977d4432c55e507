"""The coordinator's indicators: pick a period, read the figures, get the monthly chart as a picture."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.handlers.common import Context, answer, buttons, requires, services, translator
from bot.i18n import Translator
from bot.notices import Button
from bot.services.charts import ChartLabels
from bot.services.indicators import PERIODS, Indicators
from bot.services.roles import Role
from bot.storage.reports import Channel


def render(_: Translator, found: Indicators) -> str:
    flow = found.flow
    lines = [
        _(
            "stats.summary",
            first=_.format_date(found.period.first, "medium"),
            last=_.format_date(found.period.last, "medium"),
            reports=flow.reports_total,
            bot=flow.reports[Channel.TELEGRAM],
            phone=flow.reports[Channel.PHONE],
            in_person=flow.reports[Channel.IN_PERSON],
            self_test=flow.reports[Channel.SELF_TEST],
            followed=found.followed,
            newly_followed=flow.newly_followed,
            left_isolation=flow.left_isolation,
            volunteers=found.volunteers,
            new_volunteers=found.new_volunteers,
            covered=found.town.covered,
            streets=found.town.streets,
            share=_.format_percent(found.town.share),
        )
    ]
    lines += [
        _("stats.area", area=a.area, covered=a.covered, streets=a.streets, share=_.format_percent(a.share))
        for a in found.areas
    ]
    lines.append("")
    lines.append(_("stats.not_recorded_yet"))
    return "\n".join(lines)


def chart_labels(_: Translator, found: Indicators) -> ChartLabels:
    return ChartLabels(
        title=_("stats.chart.title"),
        months=[_.format_date(month.period.first, "MMM yy") for month in found.months],
        channels={c.value: _(f"stats.channel.{c.value}") for c in Channel},
        newly_followed=_("stats.chart.newly_followed"),
        count_axis=_("stats.chart.count"),
    )


@requires(Role.COORDINATOR)
async def stats_command(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    rows = [[Button(f"stats.period.{key}", f"stats:{key}")] for key in PERIODS]
    await answer(update, _("stats.choose_period"), buttons(_, rows))


@requires(Role.COORDINATOR)
async def period_chosen(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and query.data is not None and chat is not None
    indicators = services(context).indicators
    period = indicators.period(query.data.removeprefix("stats:"))
    if period is None:
        await answer(update, _("fallback.stale_button"))
        return
    found = await indicators.compute(period)
    await answer(update, render(_, found))
    picture = await indicators.chart(found, chart_labels(_, found))
    await chat.send_photo(
        picture,
        caption=_(
            "stats.chart.caption",
            first=_.format_date(period.first, "medium"),
            last=_.format_date(period.last, "medium"),
        ),
    )


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("stats", stats_command),
        CallbackQueryHandler(period_chosen, pattern=rf"^stats:({'|'.join(PERIODS)})$"),
    ]
