"""First contact: what the bot is for, the main menu, help for each role, and the language switch."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import BaseHandler

from bot.domain import commands
from bot.domain.actions.invitations import INVITATION_CODE
from bot.domain.actions.start import BecomeNeighbour, BecomeVolunteer, ChooseLanguage, Home, StartReport
from bot.domain.callbacks import Button
from bot.domain.roles import Role
from bot.handlers import invitations
from bot.handlers.access import command, on, plain
from bot.handlers.common import Context, answer, buttons, stale
from bot.handlers.menus import keep_menu
from bot.i18n import SUPPORTED
from bot.services.invitations import PRO_PREFIX

INVITATION = re.compile(rf"^{PRO_PREFIX}({INVITATION_CODE})$")
VOLUNTEER_INVITATION = re.compile(rf"^{invitations.START_PREFIX}({INVITATION_CODE})$")


# Roles whose tools /start lists, in this order; the others find theirs in /help.
OWN_TOOLS = (Role.COORDINATOR, Role.PROFESSIONAL, Role.VOLUNTEER)


def main_menu(roles: frozenset[Role]) -> list[list[Button]]:
    rows = [[Button("menu.report", StartReport())], [Button("menu.neighbour", BecomeNeighbour())]]
    if not roles.intersection(OWN_TOOLS):
        rows.append([Button("menu.volunteer", BecomeVolunteer())])
    return rows


async def start(update: Update, context: Context) -> None:
    svc = context.services
    user = update.effective_user
    if user is not None and context.args:
        match = INVITATION.match(context.args[0])
        if match:
            _ = await context.translator()
            redeemed = await svc.registration.redeem_invitation(user.id, match.group(1))
            await keep_menu(context.bot, svc, user.id, _)
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
    _ = await context.translator()
    svc = context.services
    user = update.effective_user
    roles = await svc.roles.roles_of(user.id) if user else frozenset({Role.ANYONE})
    if user is not None:
        await keep_menu(context.bot, svc, user.id, _)
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
    _ = await context.translator()
    user = update.effective_user
    roles = await context.services.roles.roles_of(user.id) if user else frozenset({Role.ANYONE})
    await answer(update, "\n\n".join(_(key) for role, key in HELP_BY_ROLE if role in roles))


async def language(update: Update, context: Context) -> None:
    _ = await context.translator()
    # Each language in its own name, two a row: eleven fit in six rows.
    names = [Button.labelled(_(f"language.name.{code}"), ChooseLanguage(code)) for code in SUPPORTED]
    await answer(update, _("language.choose"), buttons(_, [names[i : i + 2] for i in range(0, len(names), 2)]))


async def language_chosen(update: Update, context: Context, chosen: ChooseLanguage) -> None:
    user = update.effective_user
    assert user is not None
    _ = await context.services.people.choose_language(user.id, chosen.code)
    if _ is None:
        await stale(update, context)
        return
    await keep_menu(context.bot, context.services, user.id, _)
    await answer(update, _("language.set"))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        command(commands.START, start),
        command(commands.HELP, help_command),
        command(commands.LANGUAGE, language),
        on(ChooseLanguage, language_chosen),
        on(Home, plain(home)),
    ]
