"""Becoming the caring neighbour of one's street: find the street (typed or pinned), read the charter, agree."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler, MessageHandler, filters

from bot.domain import commands
from bot.domain.actions.neighbour import (
    AcceptNeighbourCharter,
    HandOverStreet,
    LeaveStreet,
    LeaveStreetConfirmed,
    MyStreets,
    PickNeighbourStreet,
    TakeMainOfStreet,
    TypeNeighbourStreetAgain,
)
from bot.domain.actions.start import BecomeNeighbour
from bot.domain.callbacks import Button
from bot.handlers.access import command, on, plain
from bot.handlers.common import Context, answer, buttons, step_closed
from bot.handlers.leaving import CANCEL, MENU, cancel, cancel_handlers
from bot.handlers.street_picker import ask_place, offer_streets, shortcut
from bot.services.registration import WatchOutcome

STREET, CHOOSE, CHARTER = "nb.street", "nb.choose", "nb.charter"
END = ConversationHandler.END


async def ask_street(update: Update, context: Context) -> str:
    _ = await context.translator()
    await ask_place(update, context, _("neighbour.ask_street"))
    return STREET


async def street_given(update: Update, context: Context) -> object:
    if await shortcut(update, context) is not None:  # Cancel, the question's one button besides the pin
        return await cancel(update, context)
    again = Button("button.type_again", TypeNeighbourStreetAgain())
    found = await offer_streets(update, context, PickNeighbourStreet, [again, CANCEL])
    return CHOOSE if found else STREET


async def street_chosen(update: Update, context: Context, picked: PickNeighbourStreet) -> str:
    _ = await context.translator()
    street = await context.services.streets.get(picked.street_id)
    if street is None:
        await answer(update, _("street.not_found"), buttons(_, [[CANCEL]]))
        return STREET
    context.drafts.neighbour_street = street.id
    rows = [
        [Button("button.accept_charter", AcceptNeighbourCharter())],
        [Button("button.back", TypeNeighbourStreetAgain()), CANCEL],
    ]
    await answer(update, _("neighbour.charter", street=street.name) + "\n\n" + _("charter.text"), buttons(_, rows))
    return CHARTER


async def charter_accepted(update: Update, context: Context, _action: AcceptNeighbourCharter) -> object:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    street_id, context.drafts.neighbour_street = context.drafts.neighbour_street, None
    if street_id is None:
        return await step_closed(update, context)
    result = await context.services.registration.become_neighbour(user.id, street_id)
    if result is None:
        return await ask_street(update, context)
    key = {
        WatchOutcome.MAIN: "neighbour.registered_main",
        WatchOutcome.BACKUP: "neighbour.registered_backup",
        WatchOutcome.ALREADY: "neighbour.already",
    }[result.outcome]
    await answer(update, _(key, street=result.street_name), buttons(_, [[MENU]]))
    return END


# --- a neighbour's streets: hand over, take over, leave ---------------------------------------------------------
async def _render_streets(update: Update, context: Context, notice: str | None = None) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    watches = await context.services.registration.watched_streets(user.id)
    if not watches:
        await answer(update, (notice + "\n\n" if notice else "") + _("neighbour.no_street"), buttons(_, [[MENU]]))
        return
    lines, rows = [], []
    for watch in watches:
        street_id, name = watch.watched.street_id, watch.watched.street_name
        if watch.watched.is_main:
            lines.append(_("neighbour.street_main", street=name, count=watch.backups))
            if watch.backups:
                rows.append([Button.labelled(_.label("button.hand_over", street=name), HandOverStreet(street_id))])
        else:
            lines.append(_("neighbour.street_backup", street=name))
            if not watch.has_main:
                rows.append([Button.labelled(_.label("button.take_main_of", street=name), TakeMainOfStreet(street_id))])
        rows.append([Button.labelled(_.label("button.leave_street", street=name), LeaveStreet(street_id))])
    rows.append([Button("menu.neighbour", BecomeNeighbour()), MENU])
    text = _("neighbour.my_streets") + "\n" + "\n".join(lines)
    await answer(update, f"{notice}\n\n{text}" if notice else text, buttons(_, rows))


async def hand_over(update: Update, context: Context, pressed: HandOverStreet) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    done = await context.services.registration.hand_over(user.id, pressed.street_id, update.update_id)
    await _render_streets(update, context, _("neighbour.handed_over") if done else _("neighbour.not_changed"))


async def take_main(update: Update, context: Context, pressed: TakeMainOfStreet) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    done = await context.services.registration.take_main(user.id, pressed.street_id)
    await _render_streets(update, context, _("neighbour.took_main") if done else _("neighbour.not_changed"))


async def confirm_leave(update: Update, context: Context, pressed: LeaveStreet) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    street_id = pressed.street_id
    mine = [w for w in await context.services.registration.watched_streets(user.id) if w.watched.street_id == street_id]
    if not mine:
        await _render_streets(update, context, _("neighbour.not_changed"))
        return
    rows = [[Button("button.leave_confirm", LeaveStreetConfirmed(street_id))], [Button("button.back", MyStreets())]]
    await answer(update, _("neighbour.leave_sure", street=mine[0].watched.street_name), buttons(_, rows))


async def leave(update: Update, context: Context, pressed: LeaveStreetConfirmed) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    done = await context.services.registration.leave_street(user.id, pressed.street_id, update.update_id)
    await _render_streets(update, context, _("neighbour.left") if done else _("neighbour.not_changed"))


async def my_streets(update: Update, context: Context) -> None:
    """/mystreets: the streets I watch, to hand over, take over or leave."""
    await _render_streets(update, context)


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND
    return [
        ConversationHandler(
            entry_points=[on(BecomeNeighbour, plain(ask_street)), command(commands.NEIGHBOUR, ask_street)],
            states={
                STREET: [MessageHandler(text | filters.LOCATION, street_given)],
                CHOOSE: [
                    on(PickNeighbourStreet, street_chosen),
                    on(TypeNeighbourStreetAgain, plain(ask_street)),
                    MessageHandler(text | filters.LOCATION, street_given),
                ],
                CHARTER: [
                    on(AcceptNeighbourCharter, charter_accepted),
                    on(TypeNeighbourStreetAgain, plain(ask_street)),
                ],
            },
            fallbacks=cancel_handlers(),
            name="neighbour_registration",
            persistent=True,
            allow_reentry=True,
        ),
        command(commands.MY_STREETS, my_streets),
        on(MyStreets, plain(_render_streets)),
        on(HandOverStreet, hand_over),
        on(TakeMainOfStreet, take_main),
        on(LeaveStreet, confirm_leave),
        on(LeaveStreetConfirmed, leave),
    ]
