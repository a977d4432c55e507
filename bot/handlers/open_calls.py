"""Open calls (bot/services/open_calls.py): the coordinator's board of a published week's uncovered visits
and the one press that launches a call; the volunteer's "I can go" / "Not this time". The calls' ends run on
the job queue, rebuilt from the database at every start."""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler

from bot.domain.actions.open_calls import AcceptCall, CallForDeclined, CallForLeftOut, DeclineCall, OpenCallBoard
from bot.domain.callbacks import Button
from bot.domain.open_calls import Acceptance, CallStatus
from bot.handlers.access import on
from bot.handlers.choices import day_label
from bot.handlers.common import Context, answer, buttons
from bot.handlers.timers import wake_at, wake_in
from bot.handlers.visits import schedule as schedule_reminders
from bot.i18n import Safe, Translator
from bot.services.open_calls import Board, Launched, Refusal

log = logging.getLogger(__name__)

TICK_JOB = "open_calls.tick"
# A board stays readable on a phone.
BOARD_LINES = 25


def _user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _moment(_: Translator, moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{_.format_date(local.date(), 'EEE d MMM')} {local.strftime('%H:%M')}"


# --- the coordinator -------------------------------------------------------------------------------------------
def render_board(_: Translator, board: Board, zone: str) -> str:
    uncovered = [_("opencall.uncovered_line", name=name, missing=missing) for _id, name, missing in board.uncovered]
    calls = []
    for line in board.calls:
        when = {"name": line.name, "day": day_label(_, line.call.day), "start": line.start}
        if line.call.status is CallStatus.OPEN:
            until = _moment(_, line.call.expires, zone)
            calls.append(_("opencall.line_open", **when, until=until, asked=line.asked, accepted=line.accepted))
        elif line.pair is not None:
            calls.append(_("opencall.line_filled", **when, pair=f"{line.pair[0]} & {line.pair[1]}"))
        else:
            calls.append(_("opencall.line_expired", **when))
    return _(
        "opencall.board",
        week=board.plan.iso_week,
        year=board.plan.year,
        # Already rendered, each value escaped once: placed as they are.
        uncovered=Safe("\n".join(uncovered[:BOARD_LINES]) or _("opencall.nothing_uncovered")),
        calls=Safe("\n".join(calls[:BOARD_LINES]) or _("opencall.no_calls")),
    )


async def show_board(update: Update, context: Context, pressed: OpenCallBoard) -> None:
    _ = await context.translator()
    svc = context.services
    board = await svc.open_calls.board(pressed.plan_id)
    if board is None:
        await answer(update, _("opencall.not_published"))
        return
    rows = [
        [Button.labelled(f"📣 {name}", CallForLeftOut(board.plan.id, person))]
        for person, name, _missing in board.uncovered[:BOARD_LINES]
    ]
    await answer(update, render_board(_, board, svc.settings.reports.timezone), buttons(_, rows))


async def _launched(update: Update, context: Context, result: Launched | Refusal) -> None:
    """A new message, so that the board or the "can't go" notice pressed stays as it was."""
    _ = await context.translator()
    query = update.callback_query
    assert query is not None
    await query.answer()
    if isinstance(result, Refusal):
        text = _(f"opencall.refused.{result.value}")
    else:
        until = _moment(_, result.expires, context.services.settings.reports.timezone)
        day = day_label(_, result.day)
        text = _("opencall.launched", name=result.name, day=day, start=result.start, asked=result.asked, until=until)
        schedule(context)
    await query.get_bot().send_message(_user_id(update), text)


async def launch_left_out(update: Update, context: Context, pressed: CallForLeftOut) -> None:
    launched = await context.services.open_calls.launch(pressed.plan_id, pressed.person_id, _user_id(update))
    await _launched(update, context, launched)


async def launch_for_declined(update: Update, context: Context, pressed: CallForDeclined) -> None:
    await _launched(update, context, await context.services.open_calls.launch_for(pressed.visit_id, _user_id(update)))


# --- the volunteers asked --------------------------------------------------------------------------------------
async def accept(update: Update, context: Context, pressed: AcceptCall) -> None:
    _ = await context.translator()
    answered = await context.services.open_calls.accept(pressed.call_id, _user_id(update))
    query = update.callback_query
    assert query is not None
    if answered.outcome is Acceptance.NOT_INVITED:
        await query.answer(_("opencall.not_for_you"), show_alert=True)
        return
    if answered.outcome is Acceptance.CLOSED:
        await query.answer(_("opencall.closed_alert"), show_alert=True)
        # The buttons go too; an old message may no longer be editable, and the alert has said it all.
        with contextlib.suppress(BadRequest):
            await query.edit_message_text(_("opencall.closed"))
        return
    if answered.outcome is Acceptance.FILLED:
        schedule_reminders(context)
    when = {"day": day_label(_, answered.day) if answered.day else "", "start": answered.start}
    await answer(update, _(f"opencall.answer.{answered.outcome.value}", **when))


async def decline(update: Update, context: Context, pressed: DeclineCall) -> None:
    _ = await context.translator()
    if not await context.services.open_calls.decline(pressed.call_id, _user_id(update)):
        query = update.callback_query
        assert query is not None
        await query.answer(_("opencall.not_for_you"), show_alert=True)
        return
    await answer(update, _("opencall.answer.declined"))


# --- the calls' ends -------------------------------------------------------------------------------------------
async def tick(context: Context) -> None:
    """End the calls whose time is up, finish what a stop interrupted, then sleep until the next end."""
    svc = context.services
    settled = await svc.open_calls.settle_due()
    if settled:
        log.info("open_calls.settled count=%s", settled)
        schedule_reminders(context)
    wake_at(context, tick, TICK_JOB, svc.open_calls.now(), await svc.open_calls.next_expiry())


def schedule(context: Context) -> None:
    """After a call is launched, look again soon: its end may come before the next one planned."""
    wake_in(context, tick, TICK_JOB, 1)


def handlers() -> list[BaseHandler[Update, Context, object]]:
    return [
        on(OpenCallBoard, show_board),
        on(CallForLeftOut, launch_left_out),
        on(CallForDeclined, launch_for_declined),
        on(AcceptCall, accept),
        on(DeclineCall, decline),
    ]
