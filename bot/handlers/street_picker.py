"""Finding one's street from typed text or a location pin, for every flow that asks where someone lives."""

from __future__ import annotations

from collections.abc import Callable

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update

from bot.domain.callbacks import Action, Button
from bot.domain.places import Point
from bot.handlers.common import Context, answer, buttons
from bot.i18n import Translator
from bot.services.streets import StreetChoice


def location_keyboard(_: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton(_("button.share_location"), request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


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
        await answer(update, _("street.location_received"), ReplyKeyboardRemove())
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
