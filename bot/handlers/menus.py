"""The "/" menu Telegram shows: the public commands for everyone, in every language of the catalogues, and
for each coordinator, professional and volunteer a menu of their own (a chat scope), in their language.

A menu follows its owner's roles: at start for everyone concerned, then whenever a role or a language
changes (`keep_menu`). A menu that cannot be sent now is only logged: the flow that changed the role goes on,
and the next start sends it, since it was not recorded as given."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.i18n import SUPPORTED, Translations, Translator, telegram_languages
from bot.services.container import Services
from bot.services.menus import PUBLIC, MenuChange

log = logging.getLogger(__name__)


async def publish_public_menu(bot: Bot, translations: Translations) -> None:
    """Per language Telegram knows from the person's app (a catalogue may serve several, as Montenegrin does),
    and without one (the town's language) for the rest."""

    def commands(language: str) -> list[BotCommand]:
        _ = translations.get(language)
        return [BotCommand(name, _(f"command.{name}")) for name in PUBLIC]

    for language in SUPPORTED:
        for code in telegram_languages(language):
            await bot.set_my_commands(commands(language), language_code=code)
    await bot.set_my_commands(commands(translations.default_language))


async def keep_menu(bot: Bot, svc: Services, telegram_id: int, _: Translator | None = None) -> None:
    """Give this person the menu of their roles now, if it changed; in `_`'s language, else the one they chose."""
    _ = _ or await svc.people.translator_for(telegram_id)
    change = await svc.menus.change_for(telegram_id, _.language)
    if change is not None:
        await _send(bot, svc, change, _)


async def keep_every_menu(bot: Bot, svc: Services) -> None:
    """At start: whoever gained or lost a role, or changed language, while the bot was stopped."""
    changed = 0
    for telegram_id in sorted(await svc.menus.people_to_check()):
        _ = await svc.people.translator_for(telegram_id)
        change = await svc.menus.change_for(telegram_id, _.language)
        if change is not None:
            changed += await _send(bot, svc, change, _)
    log.info("menus.checked changed=%s", changed)


async def _send(bot: Bot, svc: Services, change: MenuChange, _: Translator) -> int:
    scope = BotCommandScopeChat(change.telegram_id)
    try:
        if change.menu is None:
            await bot.delete_my_commands(scope=scope)
        else:
            commands = [BotCommand(name, _(f"command.{name}")) for name in change.menu.commands]
            await bot.set_my_commands(commands, scope=scope)
    except TelegramError as exc:
        log.warning("menus.not_sent user=%s reason=%s", change.telegram_id, type(exc).__name__)
        return 0
    await svc.menus.given(change)
    return 1
