"""The coordinator approves or refuses volunteers, and invites professionals of the expert unit."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import BaseHandler

from bot.domain import commands
from bot.domain.actions.volunteers import ApproveVolunteer, PendingPage, RefuseVolunteer
from bot.domain.callbacks import Button
from bot.handlers.access import command, on
from bot.handlers.common import Context, answer
from bot.handlers.menus import keep_menu
from bot.handlers.pages import Listing, show_page
from bot.services.invitations import professional_link
from bot.services.registration import DecisionOutcome

# An application a line, with Approve and Refuse: well under Telegram's 100 buttons.
PENDING_A_PAGE = 20


async def decide(update: Update, context: Context, decided: ApproveVolunteer | RefuseVolunteer) -> None:
    _ = await context.translator()
    coordinator = update.effective_user
    assert coordinator is not None
    volunteer_id, approved = decided.volunteer_id, isinstance(decided, ApproveVolunteer)
    outcome = await context.services.registration.decide_volunteer(coordinator.id, volunteer_id, approved)
    await keep_menu(context.bot, context.services, volunteer_id)
    volunteer = await context.services.registration.volunteer(volunteer_id)
    name = volunteer.first_name if volunteer else "?"
    key = {
        DecisionOutcome.DONE: "coordinator.approved" if approved else "coordinator.refused",
        DecisionOutcome.ALREADY_DECIDED: "coordinator.already_decided",
        DecisionOutcome.UNKNOWN: "coordinator.unknown_volunteer",
    }[outcome]
    await answer(update, _(key, name=name))


async def pending(update: Update, context: Context) -> None:
    await _show_pending(update, context, 0)


async def pending_page(update: Update, context: Context, pressed: PendingPage) -> None:
    await _show_pending(update, context, pressed.page)


async def _show_pending(update: Update, context: Context, page: int) -> None:
    """The applications, oldest first, each with Approve and Refuse beside it."""
    _ = await context.translator()
    waiting = await context.services.registration.pending_volunteers()
    if not waiting:
        await answer(update, _("coordinator.no_pending"))
        return
    listing = Listing(
        _("coordinator.pending", count=len(waiting)),
        [_("coordinator.pending_line", name=v.first_name, kind=_(f"volunteer.kind.{v.kind.value}")) for v in waiting],
        line_buttons=[
            (
                Button.labelled(_.label("button.approve_name", name=v.first_name), ApproveVolunteer(v.telegram_id)),
                Button.labelled(_.label("button.refuse_name", name=v.first_name), RefuseVolunteer(v.telegram_id)),
            )
            for v in waiting
        ],
        max_lines=PENDING_A_PAGE,
    )
    await show_page(update, _, listing, page, PendingPage)


async def invite_professional(update: Update, context: Context) -> None:
    _ = await context.translator()
    coordinator = update.effective_user
    assert coordinator is not None
    svc = context.services
    issued = await svc.registration.invite_professional(coordinator.id)
    until = datetime.fromisoformat(issued.expires_at).astimezone(ZoneInfo(svc.settings.reports.timezone))
    link = professional_link(context.bot.username, issued.code)
    await answer(update, _("coordinator.professional_invitation_until", link=link, until=_.format_date(until.date())))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        on(ApproveVolunteer, decide),
        on(RefuseVolunteer, decide),
        command(commands.PENDING, pending),
        on(PendingPage, pending_page),
        command(commands.INVITE_PRO, invite_professional),
    ]
