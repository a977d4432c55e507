"""Asking where, for every flow that asks it (a report, a person's address, a caring neighbour's street, a
volunteer's home): one message whose big buttons are the location button, the flow's shortcuts and Cancel;
and finding one's street from typed text or a location pin.

A button of the question sends its label as text (Telegram's keyboard under the message field is the only one
that can ask for a location): the step reads a label it offered back as the button's action, before taking
the text as a place."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update

from bot.domain.callbacks import Action, Button
from bot.domain.places import Point
from bot.handlers.common import Context, answer, buttons
from bot.handlers.keyboards import label_of
from bot.handlers.leaving import CANCEL
from bot.services.streets import StreetChoice


async def ask_place(update: Update, context: Context, text: str, shortcuts: Sequence[Button] = ()) -> None:
    """The question, in one new message (a keyboard that asks for a location cannot be put on a message
    already sent): the location button first, then each shortcut, then Cancel."""
    _ = await context.translator()
    if update.callback_query is not None:
        await update.callback_query.answer()
    chat = update.effective_chat
    assert chat is not None
    rows = [[KeyboardButton(_("button.share_location"), request_location=True)]]
    rows += [[KeyboardButton(label_of(_, button))] for button in (*shortcuts, CANCEL)]
    keyboard = ReplyKeyboardMarkup(
        rows, resize_keyboard=True, one_time_keyboard=True, input_field_placeholder=_("street.placeholder")
    )
    await chat.send_message(text, reply_markup=keyboard)


async def shortcut(update: Update, context: Context, shortcuts: Sequence[Button] = ()) -> Action | None:
    """The action of the shortcut (or Cancel) whose label the person sent; None for any other text."""
    _ = await context.translator()
    sent = update.message.text.strip() if update.message and update.message.text else None
    return next((b.action for b in (*shortcuts, CANCEL) if b.action and label_of(_, b) == sent), None)


async def place_noted(update: Update, context: Context, key: str = "address.noted") -> None:
    """Say the place is noted, putting the question's keyboard away (only a new message can)."""
    _ = await context.translator()
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(_(key), reply_markup=ReplyKeyboardRemove())


async def offer_streets(update: Update, context: Context, choose: Callable[[int], Action], more: list[Button]) -> bool:
    """Answer typed text or a pin with the matching streets as buttons (`choose` of the street's id), then
    the `more` row; False when nothing in the town matched."""
    _ = await context.translator()
    svc = context.services
    message = update.message
    assert message is not None
    choices: list[StreetChoice]
    if message.location is not None:
        pin = message.location
        nearest = await svc.streets.locate(Point(pin.latitude, pin.longitude))
        await place_noted(update, context, "street.location_received")
        if nearest is None:
            await answer(update, _("street.outside_town", town=svc.settings.town.name), buttons(_, [more]))
            return False
        choices, text = [nearest], _("street.nearest", street=nearest.name)
    else:
        choices, text = await svc.streets.search(message.text or ""), _("street.pick")
        if not choices:
            await answer(update, _("street.not_found"), buttons(_, [more]))
            return False
    rows = [[Button.labelled(f"{c.name} ({c.neighbourhood})", choose(c.id))] for c in choices]
    await answer(update, text, buttons(_, [*rows, more]))
    return True
