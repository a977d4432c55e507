"""Never silence: an unknown command, stray text or an outdated button gets a short hint."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.handlers.common import Context, answer, buttons, stale
from bot.handlers.leaving import MENU


async def unknown_command(update: Update, context: Context) -> None:
    _ = await context.translator()
    await answer(update, _("fallback.unknown_command"), buttons(_, [[MENU]]))


async def stray_message(update: Update, context: Context) -> None:
    _ = await context.translator()
    await answer(update, _("fallback.stray_text"), buttons(_, [[MENU]]))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.ALL, stray_message),
        # Any press no declared action took (an old button, a forged one): the one handler not built from the
        # registry, since it is the one that listens to what the registry does not know.
        CallbackQueryHandler(stale),
    ]
