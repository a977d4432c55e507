"""What every handler needs: the services, the user's language, and one way to answer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.domain.callbacks import Button
from bot.handlers.keyboards import inline_keyboard
from bot.i18n import Translator
from bot.services.container import Services

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None
R = TypeVar("R")
Callback = Callable[[Update, Context], Coroutine[Any, Any, R]]


def services(context: Context) -> Services:
    found = context.application.bot_data["services"]
    assert isinstance(found, Services)
    return found


async def translator(update: Update, context: Context) -> Translator:
    user = update.effective_user
    svc = services(context)
    if user is None:
        return svc.translations.get(svc.settings.i18n.default_language)
    record = await svc.users.get(user.id)
    return svc.translations.pick(record.language if record else None, user.language_code)


def buttons(_: Translator, rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    return inline_keyboard(_, tuple(tuple(row) for row in rows))


async def answer(update: Update, text: str, markup: Markup = None) -> Message | None:
    """Edit the message whose button was pressed, or send a new message to a typed one."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        if query.message is not None and isinstance(markup, InlineKeyboardMarkup | type(None)):
            try:
                edited = await query.edit_message_text(text, reply_markup=markup)
                return edited if isinstance(edited, Message) else None
            except BadRequest as exc:
                # Old or identical messages cannot be edited: answer below instead of staying silent.
                log.info("answer.edit_failed reason=%s", exc.message)
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(text, reply_markup=markup)


async def stale(update: Update, context: Context) -> None:
    """A button whose data does not hold (old, forged, or a value not offered): say so, change nothing."""
    _ = await translator(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(_("fallback.stale_button"), show_alert=True)


def draft(context: Context) -> dict[str, Any]:
    """The user's in-progress answers, persisted with the conversation state."""
    data = context.user_data
    assert data is not None
    return data
