"""Applying as a volunteer: which kind, the charter, then the wait for a coordinator's decision."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler

from bot.domain import commands
from bot.domain.actions.start import BecomeVolunteer
from bot.domain.actions.volunteers import AcceptVolunteerCharter, BackToVolunteerKinds, ChooseVolunteerKind
from bot.domain.callbacks import Button
from bot.domain.volunteers import VolunteerKind, VolunteerStatus
from bot.handlers.access import command, on, plain
from bot.handlers.common import Context, answer, buttons, step_closed
from bot.handlers.leaving import CANCEL, cancel_handlers

KIND, CHARTER = "vo.kind", "vo.charter"
END = ConversationHandler.END


async def ask_kind(update: Update, context: Context) -> object:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    existing = await context.services.registration.volunteer(user.id)
    if existing is not None and existing.status != VolunteerStatus.REFUSED:
        await answer(update, _(f"volunteer.already_{existing.status.value}"))
        return END
    rows = [[Button(f"volunteer.kind.{kind.value}", ChooseVolunteerKind(kind))] for kind in VolunteerKind]
    await answer(update, _("volunteer.ask_kind"), buttons(_, [*rows, [CANCEL]]))
    return KIND


async def kind_chosen(update: Update, context: Context, chosen: ChooseVolunteerKind) -> str:
    _ = await context.translator()
    kind = chosen.kind
    context.drafts.volunteer_kind = kind
    rows = [
        [Button("button.accept_charter", AcceptVolunteerCharter())],
        [Button("button.back", BackToVolunteerKinds()), CANCEL],
    ]
    await answer(
        update,
        _("volunteer.charter", kind=_(f"volunteer.kind.{kind.value}")) + "\n\n" + _("charter.text"),
        buttons(_, rows),
    )
    return CHARTER


async def charter_accepted(update: Update, context: Context, _action: AcceptVolunteerCharter) -> object:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    kind, context.drafts.volunteer_kind = context.drafts.volunteer_kind, None
    if kind is None:
        return await step_closed(update, context)
    applied = await context.services.registration.apply_as_volunteer(user.id, user.first_name, kind)
    # Nobody is told "the coordination will answer here" while no coordinator is named to answer.
    told = "volunteer.applied" if context.services.roles.coordinators else "volunteer.applied_unattended"
    await answer(update, _(told) if applied else _("volunteer.already_decided"))
    return END


def handlers() -> list[BaseHandler[Update, Context, object]]:
    return [
        ConversationHandler(
            entry_points=[on(BecomeVolunteer, plain(ask_kind)), command(commands.VOLUNTEER, ask_kind)],
            states={
                KIND: [on(ChooseVolunteerKind, kind_chosen)],
                CHARTER: [on(AcceptVolunteerCharter, charter_accepted), on(BackToVolunteerKinds, plain(ask_kind))],
            },
            fallbacks=cancel_handlers(),
            name="volunteer_signup",
            persistent=True,
            allow_reentry=True,
        )
    ]
