"""Privacy rights: /mydata sends the user everything held about them, /forget erases them after a
confirmation; a coordinator erases a person's file (after a confirmation) and reads the audit log (/audit).
The daily job applies the retention periods and writes a backup."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.ext import BaseHandler

from bot.domain import commands
from bot.domain.actions.persons import OpenPerson
from bot.domain.actions.privacy import AuditPage, ErasePerson, ErasePersonConfirmed, ForgetMe
from bot.domain.actions.start import Home
from bot.domain.audit import BOT_ACTOR, FIELDS, AuditEntry, Parsed, parse
from bot.domain.callbacks import Button
from bot.handlers.access import command, on
from bot.handlers.common import Context, answer, buttons
from bot.handlers.leaving import MENU
from bot.handlers.menus import keep_menu
from bot.handlers.pages import Listing, show_page
from bot.i18n import Safe, Translator

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


def _subject(_: Translator, entry: AuditEntry, parsed: Parsed) -> str | Safe:
    """Whom or what the entry is about, in words: a name, an erasure's number, a period."""
    value = parsed.subject_value
    if parsed.subject_kind in ("user", "person", "volunteer_invitation"):
        return entry.subject_name or Safe(_("audit.subject.gone"))
    if parsed.subject_kind == "erasure":
        return Safe(_("audit.subject.erased", number=value))
    if parsed.subject_kind == "invitation":
        return Safe(_("audit.subject.invitation", number=value))
    if parsed.subject_kind == "evaluation":
        first, _dots, last = value.partition("..")
        try:
            days = [_.format_date(date.fromisoformat(day), "medium") for day in (first, last)]
        except ValueError:
            return Safe(_("audit.subject.other"))
        return Safe(_("audit.subject.period", first=days[0], last=days[1]))
    return Safe(_("audit.subject.other"))


def _action(_: Translator, entry: AuditEntry) -> Safe:
    """What was done, as a phrase of the reader's language: "a consulté la fiche de Germaine Delmas"."""
    parsed = parse(entry)
    params: dict[str, Any] = {"subject": _subject(_, entry, parsed)}
    if parsed.action == "person.changed":
        labels = dict.fromkeys(_(f"audit.field.{name}") for name in parsed.fields if name in FIELDS)
        params["fields"] = ", ".join(labels) or _("audit.field.other")
    if parsed.action == "neighbour.removed":
        params["street"] = entry.street_name or Safe(_("audit.subject.other"))
    if parsed.action == "reports.anonymised":
        params["count"] = int(parsed.subject_value) if parsed.subject_value.isdigit() else 0
    return Safe(_(f"audit.action.{parsed.action}", **params))


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
            action=_action(_, e),
        )
        for e in entries
    ]
    listing = Listing(_("audit.header"), lines, max_lines=AUDIT_A_PAGE)
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
