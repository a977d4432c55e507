"""The coordinator lifts the desk's limits for an account, with the button of the notice that said it reached
them (bot/services/reports.py counts what one account sends the desk)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.domain.actions.desk_limits import LiftLimits
from bot.handlers.access import on
from bot.handlers.common import Context, answer


async def lift(update: Update, context: Context, pressed: LiftLimits) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    name = await context.services.reports.lift_limits(pressed.account, user.id)
    await answer(update, _("desk.lifted", name=name) if name is not None else _("fallback.stale_button"))


def handlers() -> list[BaseHandler[Update, Context, object]]:
    return [on(LiftLimits, lift)]
