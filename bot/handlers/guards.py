"""Run before every other handler: private chats only, remember who wrote, and leave edits unread."""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.handlers.common import Context

log = logging.getLogger(__name__)


async def private_only(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is not None and chat.type != Chat.PRIVATE:
        # Personal data must never reach a group: leave without posting anything.
        log.info("chat.left_group chat=%s", chat.id)
        if chat.type in (Chat.GROUP, Chat.SUPERGROUP, Chat.CHANNEL):
            await context.bot.leave_chat(chat.id)
        raise ApplicationHandlerStop
    user = update.effective_user
    if user is not None and not user.is_bot:
        await context.services.people.remember(user.id, user.first_name or "?", user.language_code)
    if update.edited_message is not None:
        # An edit of a message already answered: acting on it would replay a step of a flow (a street, a
        # note) the person has since left, so they are asked to send the correction instead.
        log.info("update.edit_ignored update_id=%s", update.update_id)
        _ = await context.translator()
        await update.edited_message.reply_text(_("edit.ignored"))
        raise ApplicationHandlerStop


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [TypeHandler(Update, private_only)]
