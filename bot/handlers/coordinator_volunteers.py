"""The coordinator approves or refuses volunteers, and invites professionals of the expert unit."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.handlers.common import Context, answer, buttons, requires, services, translator
from bot.handlers.menus import keep_menu
from bot.notices import Button
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
            Button.labelled(_("button.approve_name", name=v.first_name), f"vol:ok:{v.telegram_id}"),
            Button.labelled(_("button.refuse_name", name=v.first_name), f"vol:no:{v.telegram_id}"),
        ]
        for v in waiting
    ]
    await answer(update, _("coordinator.pending", count=len(waiting)), buttons(_, rows))


@requires(Role.COORDINATOR)
async def invite_professional(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    coordinator = update.effective_user
    assert coordinator is not None
    code = await services(context).registration.invite_professional(coordinator.id)
    link = f"https://t.me/{context.bot.username}?start=pro-{code}"
    await answer(update, _("coordinator.professional_invitation", link=link))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CallbackQueryHandler(decide, pattern=r"^vol:(ok|no):\d{1,15}$"),
        CommandHandler("pending", pending),
        CommandHandler("invitepro", invite_professional),
    ]
