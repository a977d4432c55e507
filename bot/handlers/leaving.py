"""The way out of every conversation: /cancel, the Cancel button, or /start, which also drops the drafts."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import BaseHandler, ConversationHandler

from bot.domain import commands
from bot.domain.actions.start import Cancel, Home
from bot.domain.callbacks import Button
from bot.handlers.access import command, on, plain
from bot.handlers.common import Context, buttons

CANCEL = Button("button.cancel", Cancel())
MENU = Button("button.menu", Home())


async def cancel(update: Update, context: Context) -> object:
    _ = await context.translator()
    context.drafts.clear()
    if update.callback_query is not None:
        await update.callback_query.answer()
    chat = update.effective_chat
    if chat is not None:
        # Two messages: a reply keyboard (the location button) can only be removed by a new message.
        await chat.send_message(_("common.cancelled"), reply_markup=ReplyKeyboardRemove())
        await chat.send_message(_("common.what_next"), reply_markup=buttons(_, [[MENU]]))
    return ConversationHandler.END


def cancel_handlers() -> list[BaseHandler[Update, Context, object]]:
    return [
        command(commands.CANCEL, cancel),
        command(commands.START, cancel),
        on(Cancel, plain(cancel)),
    ]
