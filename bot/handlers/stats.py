"""The coordinator's indicators: pick a period, read the figures, get the monthly chart as a picture."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.domain import commands
from bot.domain.actions.stats import StatsPeriod
from bot.domain.callbacks import Button
from bot.domain.indicators import PERIODS
from bot.domain.reports import Channel
from bot.handlers.access import command, on
from bot.handlers.common import Context, answer, buttons
from bot.handlers.pages import Listing, send_parts
from bot.i18n import Translator
from bot.services.charts import ChartLabels
from bot.services.indicators import Indicators, Period


def render(_: Translator, found: Indicators) -> Listing:
    """The figures, then a line a neighbourhood: a report read at once, sent as consecutive messages when a
    town's neighbourhoods make it longer than one."""
    flow, visits = found.flow, found.flow.visits
    summary = _(
        "stats.summary",
        first=_.format_date(found.period.first, "medium"),
        last=_.format_date(found.period.last, "medium"),
        reports=flow.reports_total,
        bot=flow.reports[Channel.TELEGRAM],
        phone=flow.reports[Channel.PHONE],
        in_person=flow.reports[Channel.IN_PERSON],
        self_test=flow.reports[Channel.SELF_TEST],
        followed=found.followed,
        newly_followed=_("stats.newly_followed", count=flow.newly_followed),
        left_isolation=flow.left_isolation,
        planned=visits.planned,
        done=visits.done,
        missed=visits.missed,
        cancelled=visits.cancelled,
        volunteers=found.volunteers,
        new_volunteers=_("stats.new_volunteers", count=found.new_volunteers),
        active=found.active_volunteers,
    )
    lines = []
    if found.wellbeing is None:
        lines.append(_("stats.wellbeing_none"))
    else:
        lines.append(_("stats.wellbeing", average=_.format_tenths(found.wellbeing.value), count=found.wellbeing.count))
    satisfaction = found.satisfaction
    if satisfaction.answers:
        lines.append(
            _(
                "stats.satisfaction",
                count=satisfaction.satisfied,
                answers=satisfaction.answers,
                share=_.format_percent(satisfaction.share),
            )
        )
    else:
        lines.append(_("stats.satisfaction_none"))
    town = found.town
    lines.append(_("stats.coverage", covered=town.covered, streets=town.streets, share=_.format_percent(town.share)))
    lines += [
        _("stats.area", area=a.area, covered=a.covered, streets=a.streets, share=_.format_percent(a.share))
        for a in found.areas
    ]
    return Listing(summary, lines)


def chart_labels(_: Translator, found: Indicators) -> ChartLabels:
    return ChartLabels(
        title=_("stats.chart.title"),
        months=[_.format_date(month.period.first, "MMM yy") for month in found.months],
        channels={c.value: _(f"stats.channel.{c.value}") for c in Channel},
        newly_followed=_("stats.chart.newly_followed"),
        visits_done=_("stats.chart.visits_done"),
        count_axis=_("stats.chart.count"),
    )


async def _send(update: Update, context: Context, period: Period) -> None:
    """The figures as text, then the monthly chart as a picture."""
    _ = await context.translator()
    chat = update.effective_chat
    assert chat is not None
    indicators = context.services.indicators
    found = await indicators.compute(period)
    await send_parts(update, _, render(_, found))
    picture = await indicators.chart(found, chart_labels(_, found))
    await chat.send_photo(
        picture,
        caption=_(
            "stats.chart.caption",
            first=_.format_date(period.first, "medium"),
            last=_.format_date(period.last, "medium"),
        ),
    )


async def stats_command(update: Update, context: Context) -> None:
    """/stats offers the usual periods; /stats 2025, /stats 2025-11 or /stats 2025-01-01 2025-06-30 any other."""
    _ = await context.translator()
    if context.args:
        period = context.services.indicators.typed_period(context.args)
        if period is None:
            await answer(update, _("stats.bad_period"))
        else:
            await _send(update, context, period)
        return
    rows = [[Button(f"stats.period.{key}", StatsPeriod(key))] for key in PERIODS]
    await answer(update, _("stats.choose_period"), buttons(_, rows))


async def period_chosen(update: Update, context: Context, chosen: StatsPeriod) -> None:
    await _send(update, context, context.services.indicators.period(chosen.period))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        command(commands.STATS, stats_command),
        on(StatsPeriod, period_chosen),
    ]
