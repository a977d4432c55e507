"""First contact: what the bot is for, the main menu, help for each role, and the language switch."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.handlers import invitations
from bot.handlers.common import Context, answer, buttons, services, translator
from bot.handlers.menus import keep_menu
from bot.i18n import SUPPORTED
from bot.notices import Button
from bot.services.invitations import PRO_PREFIX
from bot.services.roles import Role

INVITATION = re.compile(rf"^{PRO_PREFIX}({invitations.CODE})$")
VOLUNTEER_INVITATION = re.compile(rf"^{invitations.START_PREFIX}({invitations.CODE})$")


# Roles whose tools /start lists, in this order; the others find theirs in /help.
OWN_TOOLS = (Role.COORDINATOR, Role.PROFESSIONAL, Role.VOLUNTEER)


def main_menu(roles: frozenset[Role]) -> list[list[Button]]:
    rows = [[Button("menu.report", "menu:report")], [Button("menu.neighbour", "menu:neighbour")]]
    if not roles.intersection(OWN_TOOLS):
        rows.append([Button("menu.volunteer", "menu:volunteer")])
    return rows


async def start(update: Update, context: Context) -> None:
    svc = services(context)
    user = update.effective_user
    if user is not None and context.args:
        match = INVITATION.match(context.args[0])
        if match:
            _ = await translator(update, context)
            redeemed = await svc.registration.redeem_invitation(user.id, match.group(1))
            await keep_menu(context.bot, svc, user.id, _.language)
            await answer(update, _("professional.welcome") if redeemed else _("invitation.invalid"))
            return
        match = VOLUNTEER_INVITATION.match(context.args[0])
        if match:
            await invitations.offer(update, context, match.group(1))
            return
    await home(update, context)


async def home(update: Update, context: Context) -> None:
    """Each role its own menu: a coordinator, a professional or a volunteer sees their tools first (and gets
    their "/" menu again if it changed); anyone else the invitation to report, watch a street or volunteer."""
    _ = await translator(update, context)
    svc = services(context)
    user = update.effective_user
    roles = await svc.roles.roles_of(user.id) if user else frozenset({Role.ANYONE})
    if user is not None:
        await keep_menu(context.bot, svc, user.id, _.language)
    town = svc.settings.town.name
    tools = [_(key) for role, key in HELP_BY_ROLE if role in roles and role in OWN_TOOLS]
    text = "\n\n".join([_("start.welcome_member", town=town), *tools]) if tools else _("start.welcome", town=town)
    await answer(update, text, buttons(_, main_menu(roles)))


HELP_BY_ROLE = (
    (Role.ANYONE, "help.anyone"),
    (Role.NEIGHBOUR, "help.neighbour"),
    (Role.VOLUNTEER, "help.volunteer"),
    (Role.PROFESSIONAL, "help.professional"),
    (Role.COORDINATOR, "help.coordinator"),
)


async def help_command(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    user = update.effective_user
    roles = await services(context).roles.roles_of(user.id) if user else frozenset({Role.ANYONE})
    await answer(update, "\n\n".join(_(key) for role, key in HELP_BY_ROLE if role in roles))


async def language(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    choices = [[Button.labelled(_(f"language.name.{code}"), f"lang:{code}") for code in SUPPORTED]]
    await answer(update, _("language.choose"), buttons(_, choices))


async def language_chosen(update: Update, context: Context) -> None:
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and user is not None
    code = query.data.removeprefix("lang:")
    svc = services(context)
    await svc.users.set_language(user.id, code)
    await keep_menu(context.bot, svc, user.id, code)
    _ = svc.translations.get(code)
    await answer(update, _("language.set"))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("start", start),
        CommandHandler("help", help_command),
        CommandHandler("language", language),
        CallbackQueryHandler(language_chosen, pattern=rf"^lang:({'|'.join(SUPPORTED)})$"),
        CallbackQueryHandler(home, pattern=r"^menu:home$"),
    ]
