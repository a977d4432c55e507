"""Never silence: an unknown command, stray text or an outdated button gets a short hint."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.handlers.common import Context, answer, buttons, translator
from bot.handlers.leaving import MENU


async def unknown_command(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    await answer(update, _("fallback.unknown_command"), buttons(_, [[MENU]]))


async def stray_message(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    await answer(update, _("fallback.stray_text"), buttons(_, [[MENU]]))


async def stale_button(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query = update.callback_query
    assert query is not None
    await query.answer(_("fallback.stale_button"), show_alert=True)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.ALL, stray_message),
        CallbackQueryHandler(stale_button),
    ]
