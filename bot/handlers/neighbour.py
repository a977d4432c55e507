"""Becoming the caring neighbour of one's street: find the street (typed or pinned), read the charter, agree."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.handlers.common import Context, answer, buttons, draft, services, translator
from bot.handlers.leaving import CANCEL, MENU, cancel_handlers
from bot.handlers.street_picker import chosen_street, location_keyboard, offer_streets
from bot.notices import Button
from bot.services.registration import WatchOutcome

STREET, CHOOSE, CHARTER = "nb.street", "nb.choose", "nb.charter"
END = ConversationHandler.END


async def ask_street(update: Update, context: Context) -> str:
    _ = await translator(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer()
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(_("neighbour.ask_street"), reply_markup=location_keyboard(_))
    await chat.send_message(_("common.or_cancel"), reply_markup=buttons(_, [[CANCEL]]))
    return STREET


async def street_given(update: Update, context: Context) -> str:
    found = await offer_streets(update, context, "nb:street:", [Button("button.type_again", "nb:again"), CANCEL])
    return CHOOSE if found else STREET


async def street_chosen(update: Update, context: Context) -> str:
    _ = await translator(update, context)
    street = await chosen_street(update, context)
    if street is None:
        await answer(update, _("street.not_found"), buttons(_, [[CANCEL]]))
        return STREET
    draft(context)["neighbour_street"] = street.id
    rows = [[Button("button.accept_charter", "nb:accept")], [Button("button.back", "nb:again"), CANCEL]]
    await answer(update, _("neighbour.charter", street=street.name) + "\n\n" + _("charter.text"), buttons(_, rows))
    return CHARTER


async def charter_accepted(update: Update, context: Context) -> object:
    _ = await translator(update, context)
    user = update.effective_user
    street_id = draft(context).pop("neighbour_street", None)
    if user is None or not isinstance(street_id, int):
        return await ask_street(update, context)
    result = await services(context).registration.become_neighbour(user.id, street_id)
    if result is None:
        return await ask_street(update, context)
    key = {
        WatchOutcome.MAIN: "neighbour.registered_main",
        WatchOutcome.BACKUP: "neighbour.registered_backup",
        WatchOutcome.ALREADY: "neighbour.already",
    }[result.outcome]
    await answer(update, _(key, street=result.street_name), buttons(_, [[MENU]]))
    return END


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND
    return [
        ConversationHandler(
            entry_points=[
                CallbackQueryHandler(ask_street, pattern=r"^menu:neighbour$"),
                CommandHandler("neighbour", ask_street),
            ],
            states={
                STREET: [MessageHandler(text | filters.LOCATION, street_given)],
                CHOOSE: [
                    CallbackQueryHandler(street_chosen, pattern=r"^nb:street:\d{1,9}$"),
                    CallbackQueryHandler(ask_street, pattern=r"^nb:again$"),
                    MessageHandler(text | filters.LOCATION, street_given),
                ],
                CHARTER: [
                    CallbackQueryHandler(charter_accepted, pattern=r"^nb:accept$"),
                    CallbackQueryHandler(ask_street, pattern=r"^nb:again$"),
                ],
            },
            fallbacks=cancel_handlers(),
            name="neighbour_registration",
            persistent=True,
            allow_reentry=True,
        )
    ]
