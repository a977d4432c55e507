"""Privacy rights: /mydata sends the user everything held about them, /forget erases them after a
confirmation; a coordinator erases a person's file (after a confirmation) and reads the audit log (/audit).
The daily job applies the retention periods and writes a backup."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.handlers.common import Context, answer, buttons, draft, requires, services, translator
from bot.handlers.leaving import MENU
from bot.handlers.menus import keep_menu
from bot.i18n import Safe, Translator
from bot.notices import Button
from bot.services.roles import Role
from bot.storage.audit import BOT_ACTOR, AuditEntry


# --- the user's own data ---------------------------------------------------------------------------------
@requires(Role.ANYONE)
async def my_data(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    document = await services(context).privacy.my_data(user.id)
    await chat.send_document(InputFile(document, filename="lien-mydata.json"), caption=_("privacy.mydata_caption"))


@requires(Role.ANYONE)
async def forget(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    choices = [[Button("button.forget_me", "pv:forget")], [Button("button.keep_my_data", "menu:home")]]
    await answer(update, _("privacy.forget_confirm"), buttons(_, choices))


@requires(Role.ANYONE)
async def forget_confirmed(update: Update, context: Context) -> None:
    # Translated before the erasure, which takes the chosen language with it.
    _ = await translator(update, context)
    user = update.effective_user
    assert user is not None
    draft(context).clear()
    await services(context).privacy.forget(user.id)
    await keep_menu(context.bot, services(context), user.id, _.language)
    await answer(update, _("privacy.forgotten"))


# --- a person's file ---------------------------------------------------------------------------------------
@requires(Role.COORDINATOR)
async def erase_person(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query = update.callback_query
    assert query is not None and query.data is not None
    person_id = int(query.data.split(":")[2])
    name = await services(context).privacy.person_name(person_id)
    if name is None:
        await answer(update, _("person.unknown"))
        return
    choices = [
        [Button("button.erase_file_for_good", f"pv:erase_yes:{person_id}")],
        [Button("button.back", f"pf:open:{person_id}")],
    ]
    await answer(update, _("privacy.erase_person_confirm", name=name), buttons(_, choices))


@requires(Role.COORDINATOR)
async def erase_person_confirmed(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    erased = await services(context).privacy.erase_person(int(query.data.split(":")[2]), user.id)
    await answer(update, _("privacy.person_erased") if erased else _("person.unknown"), buttons(_, [[MENU]]))


# --- the audit log -------------------------------------------------------------------------------------------
def _actor(_: Translator, entry: AuditEntry) -> Safe:
    """Who acted, rendered: a person's name is their Telegram first name, which anyone can set to markup."""
    if entry.actor == BOT_ACTOR:
        return Safe(_("audit.actor_bot"))
    if entry.actor < 0:
        return Safe(_("audit.actor_erased", number=-entry.actor))
    return Safe(_("audit.actor", name=entry.actor_name or "?", id=entry.actor))


async def _show_audit(update: Update, context: Context, page: int) -> None:
    _ = await translator(update, context)
    found = await services(context).privacy.audit_page(page)
    if not found.total:
        await answer(update, _("audit.empty"))
        return
    zone = ZoneInfo(services(context).settings.reports.timezone)
    lines = [
        _(
            "audit.line",
            at=_.format_datetime(datetime.fromisoformat(e.at).astimezone(zone), "short"),
            actor=_actor(_, e),
            action=e.action,
            subject=e.subject,
        )
        for e in found.entries
    ]
    paging = []
    if found.page > 0:
        paging.append(Button("button.previous", f"au:{found.page - 1}"))
    if found.page + 1 < found.pages:
        paging.append(Button("button.next", f"au:{found.page + 1}"))
    title = _("audit.title", page=found.page + 1, pages=found.pages)
    await answer(update, title + "\n" + "\n".join(lines), buttons(_, [paging] if paging else []))


@requires(Role.COORDINATOR)
async def audit_command(update: Update, context: Context) -> None:
    await _show_audit(update, context, 0)


@requires(Role.COORDINATOR)
async def audit_pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await _show_audit(update, context, int(query.data.removeprefix("au:")))


async def daily(context: Context) -> None:
    await services(context).privacy.daily()


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("mydata", my_data),
        CommandHandler("forget", forget),
        CallbackQueryHandler(forget_confirmed, pattern=r"^pv:forget$"),
        CallbackQueryHandler(erase_person, pattern=r"^pv:erase:\d{1,9}$"),
        CallbackQueryHandler(erase_person_confirmed, pattern=r"^pv:erase_yes:\d{1,9}$"),
        CommandHandler("audit", audit_command),
        CallbackQueryHandler(audit_pressed, pattern=r"^au:\d{1,5}$"),
    ]
