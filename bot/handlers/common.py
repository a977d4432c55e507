"""What every handler needs: a context carrying the services, the person's language and their drafts, and
one way to answer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar, cast

from telegram import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackContext, ContextTypes, ConversationHandler, ExtBot, JobQueue

from bot.domain.callbacks import Button
from bot.domain.texts import NoWords, TooLong
from bot.handlers.drafts import Drafts
from bot.handlers.keyboards import inline_keyboard
from bot.i18n import Translator
from bot.services.container import Services

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None
R = TypeVar("R")


class Context(CallbackContext[ExtBot[None], Drafts, dict[Any, Any], dict[Any, Any]]):
    """PTB's context with what the bot's handlers read: the services, the language of the person the update
    comes from, and their drafts."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self._client_language: str | None = None
        self._translator: Translator | None = None

    @classmethod
    def from_update(cls, update: object, application: Application[Any, Any, Any, Any, Any, Any]) -> Context:
        context = super().from_update(update, application)
        if isinstance(update, Update) and update.effective_user is not None:
            context._client_language = update.effective_user.language_code
        return context

    @property
    def services(self) -> Services:
        found = self.bot_data["services"]
        assert isinstance(found, Services)
        return found

    async def translator(self) -> Translator:
        """The language the person reads: their choice, else their Telegram's, else the town's."""
        if self._translator is None:
            self._translator = await self.services.people.translator_for(self._user_id, self._client_language)
        return self._translator

    @property
    def jobs(self) -> JobQueue[Context]:
        """The application's job queue (PTB's own property cannot name this context's type)."""
        found = self.application.job_queue
        assert found is not None
        return cast("JobQueue[Context]", found)

    @property
    def drafts(self) -> Drafts:
        found = self.user_data
        assert found is not None
        return found


CONTEXT_TYPES = ContextTypes(context=Context, user_data=Drafts)
Callback = Callable[[Update, Context], Coroutine[Any, Any, R]]


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
    _ = await context.translator()
    if update.callback_query is not None:
        await update.callback_query.answer(_("fallback.stale_button"), show_alert=True)


def refused(_: Translator, text: TooLong | NoWords) -> str:
    """Why typed text was not kept, said plainly (nothing was recorded)."""
    match text:
        case TooLong(limit=limit):
            return _("report.too_long", limit=limit)
        case NoWords():
            return _("report.needs_words")


async def step_closed(update: Update, context: Context) -> int:
    """A step whose draft is gone (dropped at an upgrade, or the conversation left meanwhile): say so and end
    the conversation, changing nothing."""
    _ = await context.translator()
    await answer(update, _("common.step_closed"))
    return ConversationHandler.END
