"""Every door of the bot, built from its declaration: a command, a button's action, or a message a step
awaits. The presser's live roles are checked against the declared rule before anything else; a refusal is
polite (the `refusal` message, as an alert for a button) and changes nothing."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable, Collection
from typing import TypeVar

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.callbacks import Action
from bot.domain.commands import Command
from bot.domain.roles import Role
from bot.handlers.common import Callback, Context, stale

log = logging.getLogger(__name__)

A = TypeVar("A", bound=Action)
R = TypeVar("R")
Pressed = Callable[[Update, Context, A], Awaitable[R]]
REFUSED = "access.refused"


async def _allowed(update: Update, context: Context, allowed: Collection[Role], door: str, refusal: str) -> bool:
    if Role.ANYONE in allowed:
        return True
    user = update.effective_user
    roles = await context.services.roles.roles_of(user.id) if user else frozenset()
    if roles.intersection(allowed):
        return True
    _ = await context.translator()
    log.info("access.refused user=%s door=%s", user.id if user else None, door)
    if update.callback_query is not None:
        await update.callback_query.answer(_(refusal), show_alert=True)
    elif update.effective_chat is not None:
        await update.effective_chat.send_message(_(refusal))
    return False


def requires(*allowed: Role, refusal: str = REFUSED) -> Callable[[Callback[R]], Callback[R | None]]:
    """For a message a step awaits (typed text, a pin, a file): refuse unless the sender holds one of the
    roles now."""

    def decorate(callback: Callback[R]) -> Callback[R | None]:
        @functools.wraps(callback)
        async def guarded(update: Update, context: Context) -> R | None:
            if not await _allowed(update, context, allowed, callback.__name__, refusal):
                return None
            return await callback(update, context)

        return guarded

    return decorate


class ActionHandler(CallbackQueryHandler[Context, R]):
    """The handler of one declared action: its pattern is the action's, and nothing else builds one."""

    def __init__(self, action: type[Action], callback: Callback[R]) -> None:
        super().__init__(callback, pattern=action.pattern())
        self.action = action

    def check_update(self, update: object) -> bool | object | None:
        # PTB lets a press without data through every pattern; only a match of the action's pattern is taken.
        found = super().check_update(update)
        return found if isinstance(found, re.Match) else None


class CommandDoor(CommandHandler[Context, R]):
    """The handler of one declared command."""

    def __init__(self, command: Command, callback: Callback[R]) -> None:
        super().__init__(command.name, callback)
        self.command = command


def on(action: type[A], handle: Pressed[A, R]) -> ActionHandler[R | None]:
    """A press of `action`: the roles checked, then `handle` called with the typed action. A press whose
    values do not read (a day that does not exist) is answered as an outdated button."""

    async def pressed(update: Update, context: Context) -> R | None:
        if not await _allowed(update, context, action.roles, action.__name__, REFUSED):
            return None
        assert context.matches is not None
        try:
            typed = action.from_match(context.matches[0])
        except ValueError:
            await stale(update, context)
            return None
        return await handle(update, context, typed)

    return ActionHandler(action, pressed)


async def may_press(update: Update, context: Context, action: Action) -> bool:
    """For an action reached another way than its inline button (the big button of a question, which sends its
    label as text): the roles checked as for a press, a refusal answered the same way."""
    declared = type(action)
    return await _allowed(update, context, declared.roles, declared.__name__, REFUSED)


def plain(handle: Callback[R]) -> Pressed[Action, R]:
    """For a press that carries nothing the handler needs (the menu, a screen, Back): `handle` as it is."""

    async def pressed(update: Update, context: Context, _action: Action) -> R:
        return await handle(update, context)

    return pressed


def command(declared: Command, handle: Callback[R]) -> CommandDoor[R | None]:
    """`/name`: the roles checked, then `handle` called."""

    async def sent(update: Update, context: Context) -> R | None:
        if not await _allowed(update, context, declared.roles, f"/{declared.name}", REFUSED):
            return None
        return await handle(update, context)

    return CommandDoor(declared, sent)
