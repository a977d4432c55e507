"""Becoming the caring neighbour of one's street: find the street (typed or pinned), read the charter, agree."""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.geo.point import Point
from bot.handlers.common import Context, answer, buttons, draft, services, translator
from bot.handlers.leaving import CANCEL, MENU, cancel_handlers
from bot.i18n import Translator
from bot.notices import Button
from bot.services.registration import WatchOutcome
from bot.services.streets import StreetChoice

STREET, CHOOSE, CHARTER = "nb.street", "nb.choose", "nb.charter"
END = ConversationHandler.END


def location_keyboard(_: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton(_("button.share_location"), request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


async def ask_street(update: Update, context: Context) -> str:
    _ = await translator(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer()
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(_("neighbour.ask_street"), reply_markup=location_keyboard(_))
    await chat.send_message(_("common.or_cancel"), reply_markup=buttons(_, [[CANCEL]]))
    return STREET


def street_buttons(choices: list[StreetChoice]) -> list[list[Button]]:
    return [[Button.labelled(f"{c.name} ({c.neighbourhood})", f"nb:street:{c.id}")] for c in choices]


async def street_typed(update: Update, context: Context) -> str:
    _ = await translator(update, context)
    assert update.message is not None and update.message.text is not None
    choices = await services(context).streets.search(update.message.text)
    if not choices:
        await answer(update, _("street.not_found"), buttons(_, [[CANCEL]]))
        return STREET
    rows = [*street_buttons(choices), [Button("button.type_again", "nb:again"), CANCEL]]
    await answer(update, _("street.pick"), buttons(_, rows))
    return CHOOSE


async def location_shared(update: Update, context: Context) -> str:
    _ = await translator(update, context)
    assert update.message is not None and update.message.location is not None
    pin = update.message.location
    choice = await services(context).streets.locate(Point(pin.latitude, pin.longitude))
    await answer(update, _("street.location_received"), ReplyKeyboardRemove())
    if choice is None:
        town = services(context).settings.town.name
        await answer(update, _("street.outside_town", town=town), buttons(_, [[CANCEL]]))
        return STREET
    rows = [*street_buttons([choice]), [Button("button.type_again", "nb:again"), CANCEL]]
    await answer(update, _("street.nearest", street=choice.name), buttons(_, rows))
    return CHOOSE


async def street_chosen(update: Update, context: Context) -> str:
    _ = await translator(update, context)
    query = update.callback_query
    assert query is not None and query.data is not None
    street = await services(context).streets.get(int(query.data.rsplit(":", 1)[1]))
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
                STREET: [
                    MessageHandler(text, street_typed),
                    MessageHandler(filters.LOCATION, location_shared),
                ],
                CHOOSE: [
                    CallbackQueryHandler(street_chosen, pattern=r"^nb:street:\d{1,9}$"),
                    CallbackQueryHandler(ask_street, pattern=r"^nb:again$"),
                    MessageHandler(text, street_typed),
                    MessageHandler(filters.LOCATION, location_shared),
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
