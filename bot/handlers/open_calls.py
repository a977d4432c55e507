"""Open calls (bot/services/open_calls.py): the coordinator's board of a published week's uncovered visits
and the one press that launches a call; the volunteer's "I can go" / "Not this time". The calls' ends run on
the job queue, rebuilt from the database at every start."""

from __future__ import annotations

import contextlib
import functools
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler

from bot.domain.actions.open_calls import (
    AcceptCall,
    BoardPage,
    CallForDeclined,
    CallForLeftOut,
    DeclineCall,
    OpenCallBoard,
)
from bot.domain.callbacks import Button
from bot.domain.open_calls import Acceptance, CallStatus
from bot.handlers.access import on
from bot.handlers.choices import day_label
from bot.handlers.common import Context, answer
from bot.handlers.pages import Listing, show_page
from bot.handlers.timers import wake_at, wake_in
from bot.handlers.visits import schedule as schedule_reminders
from bot.i18n import Translator
from bot.services.open_calls import Board, CallLine, Launched, Refusal

log = logging.getLogger(__name__)

TICK_JOB = "open_calls.tick"
# A person a line with their 📣 button, then the calls: a page a phone reads at a glance.
BOARD_LINES = 20


def _user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _moment(_: Translator, moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{_.format_date(local.date(), 'EEE d MMM')} {local.strftime('%H:%M')}"


# --- the coordinator -------------------------------------------------------------------------------------------
def _call_line(_: Translator, line: CallLine, zone: str) -> str:
    when = {"name": line.name, "day": day_label(_, line.call.day), "start": line.start}
    if line.call.status is CallStatus.OPEN:
        until = _moment(_, line.call.expires, zone)
        return _("opencall.line_open", **when, until=until, count=line.asked, accepted=line.accepted)
    if line.pair is not None:
        return _("opencall.line_taken", **when, first=line.pair[0], second=line.pair[1])
    return _("opencall.line_expired", **when)


def board_listing(_: Translator, board: Board, zone: str) -> Listing:
    """Who still misses a visit, each with the 📣 that launches a call, then the calls made."""
    uncovered = [_.plural("opencall.uncovered", missing, name=name) for _person, name, missing in board.uncovered] or [
        _("opencall.nothing_uncovered")
    ]
    calls = [_call_line(_, line, zone) for line in board.calls] or [_("opencall.no_calls")]
    launches = [
        (Button.labelled(_.label("opencall.call_button", name=name), CallForLeftOut(board.plan.id, person)),)
        for person, name, _missing in board.uncovered
    ]
    return Listing(
        _("opencall.board_header", week=board.plan.iso_week, year=board.plan.year),
        [*uncovered, "", _("opencall.calls_title"), *calls],
        _("opencall.board_hint"),
        # The lines past the people (a blank, the calls' title, the calls) have no button.
        line_buttons=[*launches, *([()] * (len(uncovered) - len(launches) + 2 + len(calls)))],
        max_lines=BOARD_LINES,
    )


async def show_board(update: Update, context: Context, pressed: OpenCallBoard | BoardPage) -> None:
    _ = await context.translator()
    svc = context.services
    board = await svc.open_calls.board(pressed.plan_id)
    if board is None:
        await answer(update, _("opencall.not_published"))
        return
    listing = board_listing(_, board, svc.settings.reports.timezone)
    page = pressed.page if isinstance(pressed, BoardPage) else 0
    await show_page(update, _, listing, page, functools.partial(BoardPage, board.plan.id))


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
        text = _("opencall.launched", name=result.name, day=day, start=result.start, count=result.asked, until=until)
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
        on(BoardPage, show_board),
        on(CallForLeftOut, launch_left_out),
        on(CallForDeclined, launch_for_declined),
        on(AcceptCall, accept),
        on(DeclineCall, decline),
    ]
