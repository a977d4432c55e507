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

from bot.handlers.common import Context, answer, buttons, draft, requires, services, translator
from bot.handlers.leaving import CANCEL, MENU, cancel_handlers
from bot.handlers.street_picker import chosen_street, location_keyboard, offer_streets
from bot.notices import Button
from bot.services.registration import WatchOutcome
from bot.services.roles import Role

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


# --- a neighbour's streets: hand over, take over, leave ---------------------------------------------------------
async def _render_streets(update: Update, context: Context, notice: str | None = None) -> None:
    _ = await translator(update, context)
    user = update.effective_user
    assert user is not None
    watches = await services(context).registration.watched_streets(user.id)
    if not watches:
        await answer(update, (notice + "\n\n" if notice else "") + _("neighbour.no_street"), buttons(_, [[MENU]]))
        return
    lines, rows = [], []
    for watch in watches:
        street_id, name = watch.watched.street_id, watch.watched.street_name
        if watch.watched.is_main:
            lines.append(_("neighbour.street_main", street=name, backups=watch.backups))
            if watch.backups:
                rows.append([Button.labelled(_.label("button.hand_over", street=name), f"nb:handover:{street_id}")])
        else:
            lines.append(_("neighbour.street_backup", street=name))
            if not watch.has_main:
                rows.append([Button.labelled(_.label("button.take_main_of", street=name), f"nb:takemain:{street_id}")])
        rows.append([Button.labelled(_.label("button.leave_street", street=name), f"nb:leave:{street_id}")])
    rows.append([Button("menu.neighbour", "menu:neighbour"), MENU])
    text = _("neighbour.my_streets") + "\n" + "\n".join(lines)
    await answer(update, f"{notice}\n\n{text}" if notice else text, buttons(_, rows))


def _street_id(update: Update) -> int:
    query = update.callback_query
    assert query is not None and query.data is not None
    return int(query.data.rsplit(":", 1)[1])


@requires(Role.NEIGHBOUR)
async def hand_over(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    user = update.effective_user
    assert user is not None
    done = await services(context).registration.hand_over(user.id, _street_id(update), update.update_id)
    await _render_streets(update, context, _("neighbour.handed_over") if done else _("neighbour.not_changed"))


@requires(Role.NEIGHBOUR)
async def take_main(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    user = update.effective_user
    assert user is not None
    done = await services(context).registration.take_main(user.id, _street_id(update))
    await _render_streets(update, context, _("neighbour.took_main") if done else _("neighbour.not_changed"))


@requires(Role.NEIGHBOUR)
async def confirm_leave(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    user = update.effective_user
    assert user is not None
    street_id = _street_id(update)
    mine = [
        w for w in await services(context).registration.watched_streets(user.id) if w.watched.street_id == street_id
    ]
    if not mine:
        await _render_streets(update, context, _("neighbour.not_changed"))
        return
    rows = [[Button("button.leave_confirm", f"nb:leaveok:{street_id}")], [Button("button.back", "nb:mine")]]
    await answer(update, _("neighbour.leave_sure", street=mine[0].watched.street_name), buttons(_, rows))


@requires(Role.NEIGHBOUR)
async def leave(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    user = update.effective_user
    assert user is not None
    done = await services(context).registration.leave_street(user.id, _street_id(update), update.update_id)
    await _render_streets(update, context, _("neighbour.left") if done else _("neighbour.not_changed"))


@requires(Role.NEIGHBOUR)
async def my_streets(update: Update, context: Context) -> None:
    """/mystreets: the streets I watch, to hand over, take over or leave."""
    await _render_streets(update, context)


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
        ),
        CommandHandler("mystreets", my_streets),
        CallbackQueryHandler(my_streets, pattern=r"^nb:mine$"),
        CallbackQueryHandler(hand_over, pattern=r"^nb:handover:\d{1,9}$"),
        CallbackQueryHandler(take_main, pattern=r"^nb:takemain:\d{1,9}$"),
        CallbackQueryHandler(confirm_leave, pattern=r"^nb:leave:\d{1,9}$"),
        CallbackQueryHandler(leave, pattern=r"^nb:leaveok:\d{1,9}$"),
    ]
