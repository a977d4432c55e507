"""Applying as a volunteer: which kind, the charter, then the wait for a coordinator's decision."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.handlers.common import Context, answer, buttons, draft, services, translator
from bot.handlers.leaving import CANCEL, cancel_handlers
from bot.notices import Button
from bot.storage.models import VolunteerKind, VolunteerStatus

KIND, CHARTER = "vo.kind", "vo.charter"
END = ConversationHandler.END


async def ask_kind(update: Update, context: Context) -> object:
    _ = await translator(update, context)
    user = update.effective_user
    assert user is not None
    existing = await services(context).volunteers.get(user.id)
    if existing is not None and existing.status != VolunteerStatus.REFUSED:
        await answer(update, _(f"volunteer.already_{existing.status.value}"))
        return END
    rows = [[Button(f"volunteer.kind.{kind.value}", f"vo:kind:{kind.value}")] for kind in VolunteerKind]
    await answer(update, _("volunteer.ask_kind"), buttons(_, [*rows, [CANCEL]]))
    return KIND


async def kind_chosen(update: Update, context: Context) -> str:
    _ = await translator(update, context)
    query = update.callback_query
    assert query is not None and query.data is not None
    kind = VolunteerKind(query.data.removeprefix("vo:kind:"))
    draft(context)["volunteer_kind"] = kind.value
    rows = [[Button("button.accept_charter", "vo:accept")], [Button("button.back", "vo:back"), CANCEL]]
    await answer(
        update,
        _("volunteer.charter", kind=_(f"volunteer.kind.{kind.value}")) + "\n\n" + _("charter.text"),
        buttons(_, rows),
    )
    return CHARTER


async def charter_accepted(update: Update, context: Context) -> object:
    _ = await translator(update, context)
    user = update.effective_user
    kind = draft(context).pop("volunteer_kind", None)
    if user is None or kind not in {k.value for k in VolunteerKind}:
        return await ask_kind(update, context)
    svc = services(context)
    applied = await svc.registration.apply_as_volunteer(user.id, user.first_name, VolunteerKind(kind))
    # Nobody is told "the coordination will answer here" while no coordinator is named to answer.
    told = "volunteer.applied" if svc.roles.coordinators else "volunteer.applied_unattended"
    await answer(update, _(told) if applied else _("volunteer.already_decided"))
    return END


def handlers() -> list[BaseHandler[Update, Context, object]]:
    kinds = "|".join(kind.value for kind in VolunteerKind)
    return [
        ConversationHandler(
            entry_points=[
                CallbackQueryHandler(ask_kind, pattern=r"^menu:volunteer$"),
                CommandHandler("volunteer", ask_kind),
            ],
            states={
                KIND: [CallbackQueryHandler(kind_chosen, pattern=rf"^vo:kind:({kinds})$")],
                CHARTER: [
                    CallbackQueryHandler(charter_accepted, pattern=r"^vo:accept$"),
                    CallbackQueryHandler(ask_kind, pattern=r"^vo:back$"),
                ],
            },
            fallbacks=cancel_handlers(),
            name="volunteer_signup",
            persistent=True,
            allow_reentry=True,
        )
    ]
