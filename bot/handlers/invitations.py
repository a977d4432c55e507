"""Imported volunteers join from their invitation link (`/start vol-<code>`): the charter, then one button
ties their account to the coordinator's record. Coordinators list the links still unused with /invitations."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.handlers.common import Context, answer, buttons, requires, services, translator
from bot.handlers.leaving import MENU
from bot.handlers.menus import keep_menu
from bot.notices import Button
from bot.services.invitations import START_PREFIX, OfferOutcome, invitation_link
from bot.services.roles import Role
from bot.storage.volunteer_invitations import ClaimOutcome

CODE = r"[A-Za-z0-9_-]{8,64}"
# Links are listed in messages of at most this many characters (Telegram's limit is 4096).
MESSAGE_CHARS = 3500
CLAIM_ANSWERS = {
    ClaimOutcome.JOINED: "invitation.joined",
    ClaimOutcome.ALREADY_JOINED: "invitation.already_joined",
    ClaimOutcome.LINKED: "invitation.linked",
    ClaimOutcome.INVALID: "invitation.invalid",
    ClaimOutcome.OTHER_RECORD: "invitation.other_record",
}

__all__ = ["CODE", "START_PREFIX", "handlers", "offer"]


async def offer(update: Update, context: Context, code: str) -> None:
    """The link was opened: the charter for the imported record, with the button that accepts it."""
    _ = await translator(update, context)
    user = update.effective_user
    assert user is not None
    found = await services(context).invitations.offer(code, user.id)
    if found.outcome == OfferOutcome.INVALID or found.record is None:
        await answer(update, _("invitation.invalid"))
        return
    if found.outcome == OfferOutcome.ALREADY_JOINED:
        await answer(update, _("invitation.already_joined"))
        return
    kind = _(f"volunteer.kind.{found.record.kind.value}")
    text = _("invitation.charter", name=found.record.first_name, kind=kind) + "\n\n" + _("charter.text")
    rows = [[Button("button.accept_charter", f"vi:ok:{code}")], [MENU]]
    await answer(update, text, buttons(_, rows))


async def accept(update: Update, context: Context) -> None:
    """Anyone holding the code may accept: the code is the proof, checked (and used up) in one transaction."""
    _ = await translator(update, context)
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    code = query.data.removeprefix("vi:ok:")
    outcome = await services(context).invitations.claim(code, user.id, user.first_name or "?")
    await keep_menu(context.bot, services(context), user.id, _.language)
    await answer(update, _(CLAIM_ANSWERS[outcome]))


@requires(Role.COORDINATOR)
async def list_invitations(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    waiting = await services(context).invitations.unclaimed()
    if not waiting:
        await answer(update, _("invitations.none"))
        return
    chunk = [_("invitations.list", count=len(waiting))]
    for record in waiting:
        line = _(
            "invitations.line",
            name=record.full_name,
            kind=_(f"volunteer.kind.{record.kind.value}"),
            link=invitation_link(context.bot.username, record.code),
        )
        if sum(len(text) + 1 for text in chunk) + len(line) > MESSAGE_CHARS:
            await answer(update, "\n".join(chunk))
            chunk = []
        chunk.append(line)
    await answer(update, "\n".join(chunk))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CallbackQueryHandler(accept, pattern=rf"^vi:ok:{CODE}$"),
        CommandHandler("invitations", list_invitations),
    ]
