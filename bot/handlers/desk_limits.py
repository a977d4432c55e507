"""The coordinator lifts the desk's limits for an account, with the button of the notice that said it reached
them (bot/services/reports.py counts what one account sends the desk)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.handlers.common import Context, answer, requires, services, translator
from bot.services.roles import Role


@requires(Role.COORDINATOR)
async def lift(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    name = await services(context).reports.lift_limits(int(query.data.removeprefix("dl:lift:")), user.id)
    await answer(update, _("desk.lifted", name=name) if name is not None else _("fallback.stale_button"))


def handlers() -> list[BaseHandler[Update, Context, object]]:
    return [CallbackQueryHandler(lift, pattern=r"^dl:lift:\d{1,15}$")]
