"""The ways into the Mini App: the coordinators' menu button (per chat) and the "Open the desk" row under
/plan, /week, /coverage and /persons. The volunteer's "See on a map" comes with each outing notice."""

from __future__ import annotations

import logging
from typing import Any

from telegram import MenuButtonWebApp, WebAppInfo
from telegram.error import TelegramError
from telegram.ext import Application

from bot.domain.callbacks import Button
from bot.handlers.common import Context
from bot.services.container import Services

log = logging.getLogger(__name__)


def desk_rows(context: Context) -> list[list[Button]]:
    """The "Open the desk" row, when the town has a Mini App."""
    url = context.services.settings.webapp.public_url
    return [[Button.mini_app("webapp.open_desk", f"{url}/")]] if url else []


async def set_menu_buttons(application: Application[Any, Any, Any, Any, Any, Any], svc: Services) -> None:
    """Each coordinator's chat gets the desk as its menu button (others keep the list of commands). A
    coordinator who never wrote to the bot has no chat yet: they get it at the next start."""
    url = svc.settings.webapp.public_url
    if not url:
        return
    for coordinator in sorted(svc.roles.coordinators):
        _ = await svc.people.translator_for(coordinator)
        button = MenuButtonWebApp(_("webapp.menu_button"), WebAppInfo(f"{url}/"))
        try:
            await application.bot.set_chat_menu_button(chat_id=coordinator, menu_button=button)
        except TelegramError as exc:
            log.info("webapp.menu_button_failed user=%s reason=%s", coordinator, type(exc).__name__)
