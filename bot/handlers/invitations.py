"""Imported volunteers join from their invitation link (`/start vol-<code>`): the charter, then one button
ties their account to the coordinator's record. Coordinators see the invitations still pending with
/invitations (professionals' and imported volunteers'), revoke any, and give a volunteer a new link."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import BaseHandler

from bot.domain import commands
from bot.domain.actions.invitations import (
    AcceptInvitation,
    InvitationsPage,
    NewInvitationLink,
    RevokeProfessionalInvitation,
    RevokeVolunteerLink,
)
from bot.domain.callbacks import Button
from bot.domain.invitations import ClaimOutcome, ImportedVolunteer, PendingInvitation
from bot.handlers.access import command, on
from bot.handlers.common import Context, answer, buttons
from bot.handlers.leaving import MENU
from bot.handlers.menus import keep_menu
from bot.i18n import Safe, Translator
from bot.services.invitations import START_PREFIX, OfferOutcome, Pending, invitation_link

# Links are listed in messages of at most this many characters (Telegram's limit is 4096).
MESSAGE_CHARS = 3500
# Invitations on one page of /invitations: two buttons each, well under Telegram's hundred.
PAGE_SIZE = 8
CLAIM_ANSWERS = {
    ClaimOutcome.JOINED: "invitation.joined",
    ClaimOutcome.ALREADY_JOINED: "invitation.already_joined",
    ClaimOutcome.LINKED: "invitation.linked",
    ClaimOutcome.INVALID: "invitation.invalid",
    ClaimOutcome.OTHER_RECORD: "invitation.other_record",
}

__all__ = ["START_PREFIX", "handlers", "offer", "send_links"]


async def offer(update: Update, context: Context, code: str) -> None:
    """The link was opened: the charter for the imported record, with the button that accepts it."""
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    found = await context.services.invitations.offer(code, user.id)
    if found.outcome == OfferOutcome.INVALID or found.record is None:
        await answer(update, _("invitation.invalid"))
        return
    if found.outcome == OfferOutcome.ALREADY_JOINED:
        await answer(update, _("invitation.already_joined"))
        return
    kind = _(f"volunteer.kind.{found.record.kind.value}")
    text = _("invitation.charter", name=found.record.first_name, kind=kind) + "\n\n" + _("charter.text")
    rows = [[Button("button.accept_charter", AcceptInvitation(code))], [MENU]]
    await answer(update, text, buttons(_, rows))


async def accept(update: Update, context: Context, accepted: AcceptInvitation) -> None:
    """Anyone holding the code may accept: the code is the proof, checked (and used up) in one transaction."""
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    outcome = await context.services.invitations.claim(accepted.code, user.id, user.first_name or "?")
    await keep_menu(context.bot, context.services, user.id, _)
    await answer(update, _(CLAIM_ANSWERS[outcome]))


async def send_links(update: Update, context: Context, links: tuple[tuple[str, str], ...]) -> None:
    """Invitation links just created, shown this once (only their hashes are kept), in messages that fit."""
    _ = await context.translator()
    days = context.services.settings.invitations.valid_days
    chunk = [_("import.links_once", count=len(links), days=Safe(_("invitations.days", count=days)))]
    for name, code in links:
        line = _("invitations.link_line", name=name, link=invitation_link(context.bot.username, code))
        if sum(len(text) + 1 for text in chunk) + len(line) > MESSAGE_CHARS:
            await answer(update, "\n".join(chunk))
            chunk = []
        chunk.append(line)
    await answer(update, "\n".join(chunk))


# --- the coordinator's list -----------------------------------------------------------------------------------
def _day(_: Translator, stamp: str, zone: ZoneInfo) -> str:
    return _.format_date(datetime.fromisoformat(stamp).astimezone(zone).date(), "medium")


def _professional(_: Translator, invitation: PendingInvitation, zone: ZoneInfo) -> tuple[str, list[Button]]:
    line = _(
        "invitations.professional_line",
        by=invitation.created_by_name or "?",
        on=_day(_, invitation.created_at, zone),
        until=_day(_, invitation.expires_at, zone),
    )
    revoke = _.label("invitations.revoke_professional_button", on=_day(_, invitation.created_at, zone))
    return line, [Button.labelled(revoke, RevokeProfessionalInvitation(invitation.id))]


def _volunteer(_: Translator, record: ImportedVolunteer, zone: ZoneInfo) -> tuple[str, list[Button]]:
    if record.expires_at is None:
        state = _("invitations.no_link")
    elif record.link_valid:
        state = _("invitations.valid_until", until=_day(_, record.expires_at, zone))
    else:
        state = _("invitations.expired")
    kind = _(f"volunteer.kind.{record.kind.value}")
    line = _("invitations.volunteer_line", name=record.full_name, kind=kind, state=state)
    row = [Button.labelled(_.label("invitations.new_link_button", name=record.full_name), NewInvitationLink(record.id))]
    if record.expires_at is not None:
        row.append(Button.labelled(_.label("invitations.revoke_button"), RevokeVolunteerLink(record.id)))
    return line, row


async def _show(update: Update, context: Context, page: int, notice: str | None = None) -> None:
    _ = await context.translator()
    svc = context.services
    pending: Pending = await svc.invitations.pending()
    zone = ZoneInfo(svc.settings.reports.timezone)
    entries = [_professional(_, i, zone) for i in pending.professionals]
    entries += [_volunteer(_, r, zone) for r in pending.volunteers]
    if not entries:
        await answer(update, "\n\n".join(filter(None, [notice, _("invitations.nothing_pending")])))
        return
    pages = -(-len(entries) // PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    shown = entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    title = _("invitations.title", count=len(entries), page=page + 1, pages=pages)
    text = "\n".join([title, *(line for line, _row in shown)])
    rows = [row for _line, row in shown]
    turns = []
    if page > 0:
        turns.append(Button("button.previous", InvitationsPage(page - 1)))
    if page + 1 < pages:
        turns.append(Button("button.next", InvitationsPage(page + 1)))
    await answer(update, f"{notice}\n\n{text}" if notice else text, buttons(_, [*rows, turns, [MENU]]))


def _coordinator(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


async def list_invitations(update: Update, context: Context) -> None:
    await _show(update, context, 0)


async def page_turned(update: Update, context: Context, turned: InvitationsPage) -> None:
    await _show(update, context, turned.page)


async def new_link(update: Update, context: Context, pressed: NewInvitationLink) -> None:
    _ = await context.translator()
    issued = await context.services.invitations.renew(pressed.volunteer_record, _coordinator(update))
    if issued is None:
        await _show(update, context, 0, _("invitations.gone"))
        return
    zone = ZoneInfo(context.services.settings.reports.timezone)
    text = _(
        "invitations.new_link",
        name=issued.name,
        until=_day(_, issued.expires_at, zone),
        link=invitation_link(context.bot.username, issued.code),
    )
    await answer(update, text, buttons(_, [[Button("button.back", InvitationsPage(0))]]))


async def revoke_volunteer(update: Update, context: Context, pressed: RevokeVolunteerLink) -> None:
    _ = await context.translator()
    invitations = context.services.invitations
    done = await invitations.revoke_volunteer_link(pressed.volunteer_record, _coordinator(update))
    await _show(update, context, 0, _("invitations.revoked") if done else _("invitations.gone"))


async def revoke_professional(update: Update, context: Context, pressed: RevokeProfessionalInvitation) -> None:
    _ = await context.translator()
    done = await context.services.invitations.revoke_professional(pressed.invitation_id, _coordinator(update))
    await _show(update, context, 0, _("invitations.revoked") if done else _("invitations.gone"))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        on(AcceptInvitation, accept),
        command(commands.INVITATIONS, list_invitations),
        on(InvitationsPage, page_turned),
        on(NewInvitationLink, new_link),
        on(RevokeVolunteerLink, revoke_volunteer),
        on(RevokeProfessionalInvitation, revoke_professional),
    ]
