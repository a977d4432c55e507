"""The coordinator approves or refuses volunteers, and invites professionals of the expert unit."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.handlers.common import Context, answer, buttons, requires, services, translator
from bot.handlers.menus import keep_menu
from bot.notices import Button
from bot.services.invitations import professional_link
from bot.services.registration import DecisionOutcome
from bot.services.roles import Role


@requires(Role.COORDINATOR)
async def decide(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query = update.callback_query
    coordinator = update.effective_user
    assert query is not None and query.data is not None and coordinator is not None
    _prefix, verdict, raw_id = query.data.split(":")
    volunteer_id = int(raw_id)
    outcome = await services(context).registration.decide_volunteer(coordinator.id, volunteer_id, verdict == "ok")
    await keep_menu(context.bot, services(context), volunteer_id)
    volunteer = await services(context).volunteers.get(volunteer_id)
    name = volunteer.first_name if volunteer else "?"
    key = {
        DecisionOutcome.DONE: "coordinator.approved" if verdict == "ok" else "coordinator.refused",
        DecisionOutcome.ALREADY_DECIDED: "coordinator.already_decided",
        DecisionOutcome.UNKNOWN: "coordinator.unknown_volunteer",
    }[outcome]
    await answer(update, _(key, name=name))


@requires(Role.COORDINATOR)
async def pending(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    waiting = await services(context).volunteers.pending()
    if not waiting:
        await answer(update, _("coordinator.no_pending"))
        return
    rows = [
        [
            Button.labelled(_.label("button.approve_name", name=v.first_name), f"vol:ok:{v.telegram_id}"),
            Button.labelled(_.label("button.refuse_name", name=v.first_name), f"vol:no:{v.telegram_id}"),
        ]
        for v in waiting
    ]
    await answer(update, _("coordinator.pending", count=len(waiting)), buttons(_, rows))


@requires(Role.COORDINATOR)
async def invite_professional(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    coordinator = update.effective_user
    assert coordinator is not None
    svc = services(context)
    issued = await svc.registration.invite_professional(coordinator.id)
    until = datetime.fromisoformat(issued.expires_at).astimezone(ZoneInfo(svc.settings.reports.timezone))
    link = professional_link(context.bot.username, issued.code)
    await answer(update, _("coordinator.professional_invitation_until", link=link, until=_.format_date(until.date())))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CallbackQueryHandler(decide, pattern=r"^vol:(ok|no):\d{1,15}$"),
        CommandHandler("pending", pending),
        CommandHandler("invitepro", invite_professional),
    ]
