"""The address step, written once for the flows that ask where a person lives (a report, a person's file):
typed text is answered with the close matches found in the town (the house number typed kept) to pick from,
or kept as typed; a pin gives the street at that point; anything refused is said plainly and changes
nothing, with the flow's way back under it. What differs between the flows is given by the flow."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from telegram import Update

from bot.domain.callbacks import Action, Button
from bot.domain.places import Address, AddressChoices, OutsideTown, Point
from bot.domain.texts import NoWords, TooLong
from bot.handlers.common import Context, answer, buttons, refused, stale, step_closed
from bot.handlers.drafts import AddressQuestion
from bot.handlers.street_picker import place_noted


class Asking(Protocol):
    """A flow's draft, holding the step's typed text and what it found."""

    found: AddressQuestion | None


class Pick(Protocol):
    @property
    def index(self) -> int: ...


D = TypeVar("D", bound=Asking)


@dataclass(frozen=True)
class AddressStep(Generic[D]):
    picking: str
    """The conversation's state while the choices are shown (typed text and pins are still read there)."""
    pick: Callable[[int], Action]
    keep: Action
    draft: Callable[[Context], D | None]
    """The flow's draft, None when it is gone (the step then says it is closed)."""
    way_back: Callable[[D], list[Button]]
    """The row under a refusal and under the choices."""
    chosen: Callable[[Update, Context, Address], Awaitable[object]]
    """What the flow does with the address, once the question's keyboard is put away; its next state."""

    async def typed(self, update: Update, context: Context) -> object:
        _ = await context.translator()
        draft = self.draft(context)
        if draft is None:
            return await step_closed(update, context)
        assert update.message is not None and update.message.text is not None
        match await context.services.addresses.read(update.message.text):
            case AddressChoices(typed=typed, choices=choices):
                draft.found = AddressQuestion(typed=typed, choices=list(choices))
                rows = [[Button.labelled(c.label, self.pick(i))] for i, c in enumerate(choices)]
                rows += [[Button("button.keep_typed", self.keep)], self.way_back(draft)]
                key = "report.pick_address" if choices else "report.address_unknown"
                await answer(update, _(key, typed=typed), buttons(_, rows))
                return self.picking
            case TooLong() | NoWords() as text:
                refusal = refused(_, text)
            case OutsideTown():
                refusal = _("report.outside_town", town=context.services.settings.town.name)
        await answer(update, refusal, buttons(_, [self.way_back(draft)]))
        return None

    async def pinned(self, update: Update, context: Context) -> object:
        _ = await context.translator()
        draft = self.draft(context)
        if draft is None:
            return await step_closed(update, context)
        assert update.message is not None and update.message.location is not None
        pin = update.message.location
        found = await context.services.addresses.at_pin(Point(pin.latitude, pin.longitude))
        if isinstance(found, OutsideTown):
            town = context.services.settings.town.name
            await answer(update, _("report.outside_town", town=town), buttons(_, [self.way_back(draft)]))
            return None
        await place_noted(update, context, "street.location_received")
        return await self.chosen(update, context, found)

    async def picked(self, update: Update, context: Context, pressed: Pick) -> object:
        draft = self.draft(context)
        if draft is None:
            return await step_closed(update, context)
        choices = draft.found.choices if draft.found else []
        if not 0 <= pressed.index < len(choices):
            await stale(update, context)
            return None
        return await self._done(update, context, choices[pressed.index])

    async def kept(self, update: Update, context: Context, _action: Action) -> object:
        draft = self.draft(context)
        if draft is None:
            return await step_closed(update, context)
        if draft.found is None:
            await stale(update, context)
            return None
        # Never drop what was typed: the coordination reads it even when no street matched.
        return await self._done(update, context, Address(draft.found.typed))

    async def _done(self, update: Update, context: Context, address: Address) -> object:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await place_noted(update, context)
        return await self.chosen(update, context, address)
