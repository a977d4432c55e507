"""Privacy rights: /mydata sends the user everything held about them, /forget erases them after a
confirmation; a coordinator erases a person's file (after a confirmation) and reads the audit log (/audit).
The daily job applies the retention periods and writes a backup."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.ext import BaseHandler

from bot.domain import commands
from bot.domain.actions.persons import OpenPerson
from bot.domain.actions.privacy import AuditPage, ErasePerson, ErasePersonConfirmed, ForgetMe
from bot.domain.actions.start import Home
from bot.domain.audit import BOT_ACTOR, AuditEntry
from bot.domain.callbacks import Button
from bot.handlers.access import command, on
from bot.handlers.common import Context, answer, buttons
from bot.handlers.leaving import MENU
from bot.handlers.menus import keep_menu
from bot.handlers.pages import Listing, show_page
from bot.i18n import Translator

# Entries a page: the latest readable at a glance, older ones a few turns away.
AUDIT_A_PAGE = 20


# --- the user's own data ---------------------------------------------------------------------------------
async def my_data(update: Update, context: Context) -> None:
    _ = await context.translator()
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    document = await context.services.privacy.my_data(user.id)
    await chat.send_document(InputFile(document, filename="lien-mydata.json"), caption=_("privacy.mydata_caption"))


async def forget(update: Update, context: Context) -> None:
    _ = await context.translator()
    choices = [[Button("button.forget_me", ForgetMe())], [Button("button.keep_my_data", Home())]]
    await answer(update, _("privacy.forget_confirm"), buttons(_, choices))


async def forget_confirmed(update: Update, context: Context, _action: ForgetMe) -> None:
    # Translated before the erasure, which takes the chosen language with it.
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    context.drafts.clear()
    await context.services.privacy.forget(user.id)
    await keep_menu(context.bot, context.services, user.id, _)
    await answer(update, _("privacy.forgotten"))


# --- a person's file ---------------------------------------------------------------------------------------
async def erase_person(update: Update, context: Context, pressed: ErasePerson) -> None:
    _ = await context.translator()
    person_id = pressed.person_id
    name = await context.services.privacy.person_name(person_id)
    if name is None:
        await answer(update, _("person.unknown"))
        return
    choices = [
        [Button("button.erase_file_for_good", ErasePersonConfirmed(person_id))],
        [Button("button.back", OpenPerson(person_id))],
    ]
    await answer(update, _("privacy.erase_person_confirm", name=name), buttons(_, choices))


async def erase_person_confirmed(update: Update, context: Context, pressed: ErasePersonConfirmed) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    erased = await context.services.privacy.erase_person(pressed.person_id, user.id)
    await answer(update, _("privacy.person_erased") if erased else _("person.unknown"), buttons(_, [[MENU]]))


# --- the audit log -------------------------------------------------------------------------------------------
def _actor(_: Translator, entry: AuditEntry) -> str:
    """Who acted, rendered: a person's name is their Telegram first name, which anyone can set to markup."""
    if entry.actor == BOT_ACTOR:
        return _("audit.actor_bot")
    if entry.actor < 0:
        return _("audit.actor_erased", number=-entry.actor)
    return _("audit.actor", name=entry.actor_name or "?", id=entry.actor)


async def _show_audit(update: Update, context: Context, page: int) -> None:
    _ = await context.translator()
    entries = await context.services.privacy.audit_log()
    if not entries:
        await answer(update, _("audit.empty"))
        return
    zone = ZoneInfo(context.services.settings.reports.timezone)
    lines = [
        _(
            "audit.line",
            at=_.format_datetime(datetime.fromisoformat(e.at).astimezone(zone), "short"),
            actor=_actor(_, e),
            action=e.action,
            subject=e.subject,
        )
        for e in entries
    ]
    listing = Listing(_("audit.header", count=len(entries)), lines, max_lines=AUDIT_A_PAGE)
    await show_page(update, _, listing, page, AuditPage)


async def audit_command(update: Update, context: Context) -> None:
    await _show_audit(update, context, 0)


async def audit_pressed(update: Update, context: Context, turned: AuditPage) -> None:
    await _show_audit(update, context, turned.page)


async def daily(context: Context) -> None:
    await context.services.privacy.daily()


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        command(commands.MY_DATA, my_data),
        command(commands.FORGET, forget),
        on(ForgetMe, forget_confirmed),
        on(ErasePerson, erase_person),
        on(ErasePersonConfirmed, erase_person_confirmed),
        command(commands.AUDIT, audit_command),
        on(AuditPage, audit_pressed),
    ]
