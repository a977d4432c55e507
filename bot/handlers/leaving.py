"""The way out of every conversation: /cancel, the Cancel button, or /start, which also drops the drafts."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.handlers.common import Context, buttons, draft, translator
from bot.notices import Button

CANCEL = Button("button.cancel", "cancel")
MENU = Button("button.menu", "menu:home")


async def cancel(update: Update, context: Context) -> object:
    _ = await translator(update, context)
    draft(context).clear()
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
        CommandHandler("cancel", cancel),
        CommandHandler("start", cancel),
        CallbackQueryHandler(cancel, pattern=r"^cancel$"),
    ]
