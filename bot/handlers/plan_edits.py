"""The coordinator's edits of a draft from the /plan preview: another volunteer in a pair (pl:swap, pl:sw1-3)
and a visit moved to another pair's outing or to a new pair in another slot (mv:). Each step offers only
the valid choices, with Back; a press is checked again by the service, and a forged one changes nothing."""

from __future__ import annotations

import functools
from datetime import date, time

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.handlers.choices import day_label
from bot.handlers.common import Callback, Context, answer, buttons, requires, services, translator
from bot.handlers.visits import PREVIEW_OUTINGS, show_preview
from bot.i18n import Translator
from bot.notices import Button
from bot.services.drafts import Edited, OutdatedDraft
from bot.services.roles import Role
from bot.storage.visits import PlanStatus


def _ids(update: Update) -> list[int]:
    assert update.callback_query is not None and update.callback_query.data is not None
    return [int(part) for part in update.callback_query.data.split(":")[2:]]


def _outing_label(_: Translator, day: date, start: time, pair: tuple[str, str]) -> str:
    return f"{day_label(_, day)} {start:%H:%M} · {pair[0]} & {pair[1]}"


async def _outings_menu(update: Update, context: Context, prefix: str, question: str) -> None:
    """The draft's outings as buttons `prefix` + first visit id, for the edit to pick one."""
    _ = await translator(update, context)
    preview = await services(context).publication.preview(_ids(update)[0])
    if preview is None or preview.plan.status is not PlanStatus.DRAFT:
        await _gone(update, context)
        return
    choices = [
        (_outing_label(_, o.day, o.start, o.pair), f"{prefix}{o.first_visit_id}")
        for o in preview.outings[:PREVIEW_OUTINGS]
    ]
    await _menu(update, context, _(question), choices, f"pl:show:{preview.plan.id}")


async def _edited(update: Update, context: Context, edited: Edited | None, refusal: str) -> None:
    """The preview after an edit made; the refusal, and nothing changed, after one no longer possible."""
    if edited is not None and edited.done:
        await show_preview(update, context, edited.plan_id)
        return
    _ = await translator(update, context)
    back = [[Button("plan.show_button", f"pl:show:{edited.plan_id}")]] if edited is not None else []
    await answer(update, _(refusal if edited is not None else "plan.gone"), buttons(_, back))


def _outdated_answered(step: Callback[None]) -> Callback[None]:
    """A step on a draft the stored week no longer allows says so, with Re-run and Back to the preview."""

    @functools.wraps(step)
    async def guarded(update: Update, context: Context) -> None:
        try:
            await step(update, context)
        except OutdatedDraft as outdated:
            _ = await translator(update, context)
            rows = [
                [Button("plan.rerun_button", f"pl:rerun:{outdated.plan_id}")],
                [Button("button.back", f"pl:show:{outdated.plan_id}")],
            ]
            await answer(update, _("plan.outdated"), buttons(_, rows))

    return guarded


async def _menu(
    update: Update, context: Context, question: str, choices: list[tuple[str, str]], back: str, empty: str = ""
) -> None:
    """The choices (label, callback data) under a question, then Back; `empty` instead when there are none."""
    _ = await translator(update, context)
    back_row = [Button("button.back", back)]
    if not choices and empty:
        await answer(update, empty, buttons(_, [back_row]))
        return
    rows = [[Button.labelled(label, data)] for label, data in choices]
    await answer(update, question, buttons(_, [*rows, back_row]))


async def _gone(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    await answer(update, _("plan.gone"))


# --- another volunteer in a pair ------------------------------------------------------------------------------
@requires(Role.COORDINATOR)
async def swap_outings(update: Update, context: Context) -> None:
    await _outings_menu(update, context, "pl:sw1:", "plan.swap_which_outing")


@requires(Role.COORDINATOR)
async def swap_member(update: Update, context: Context) -> None:
    visit_id = _ids(update)[0]
    found = await services(context).drafts.members(visit_id)
    if found is None:
        await _gone(update, context)
        return
    plan_id, members = found
    _ = await translator(update, context)
    choices = [(name, f"pl:sw2:{visit_id}:{member}") for member, name in members]
    await _menu(update, context, _("plan.swap_who_leaves"), choices, f"pl:swap:{plan_id}")


@requires(Role.COORDINATOR)
@_outdated_answered
async def swap_choices(update: Update, context: Context) -> None:
    visit_id, leaving = _ids(update)
    found = await services(context).drafts.swap_choices(visit_id, leaving)
    if found is None:
        await _gone(update, context)
        return
    _ = await translator(update, context)
    choices = [(name, f"pl:sw3:{visit_id}:{leaving}:{coming}") for coming, name in found]
    await _menu(update, context, _("plan.swap_who_comes"), choices, f"pl:sw1:{visit_id}", _("plan.swap_nobody"))


@requires(Role.COORDINATOR)
@_outdated_answered
async def swap_done(update: Update, context: Context) -> None:
    visit_id, leaving, coming = _ids(update)
    await _edited(update, context, await services(context).drafts.swap(visit_id, leaving, coming), "plan.swap_refused")


# --- a visit moved --------------------------------------------------------------------------------------------
@requires(Role.COORDINATOR)
async def move_outings(update: Update, context: Context) -> None:
    await _outings_menu(update, context, "mv:vis:", "plan.move_which_outing")


@requires(Role.COORDINATOR)
async def move_which_visit(update: Update, context: Context) -> None:
    found = await services(context).drafts.outing_visits(_ids(update)[0])
    if found is None:
        await _gone(update, context)
        return
    _ = await translator(update, context)
    choices = [(f"{name} ({arrival:%H:%M})", f"mv:pick:{visit_id}") for visit_id, name, arrival in found.visits]
    await _menu(update, context, _("plan.move_which_visit"), choices, f"mv:out:{found.plan_id}")


@requires(Role.COORDINATOR)
@_outdated_answered
async def move_where(update: Update, context: Context) -> None:
    visit_id = _ids(update)[0]
    found = await services(context).drafts.move_choices(visit_id)
    if found is None:
        await _gone(update, context)
        return
    _ = await translator(update, context)
    choices = [
        (f"{_outing_label(_, o.day, o.start, o.pair)} ({o.visits})", f"mv:to:{visit_id}:{o.first_visit_id}")
        for o in found.outings
    ]
    choices += [
        (_("plan.move_new_pair_slot", day=day_label(_, s.day), start=f"{s.start:%H:%M}"), f"mv:sl:{visit_id}:{s.index}")
        for s in found.slots
    ]
    question, nowhere = _("plan.move_where", name=found.name), _("plan.move_nowhere", name=found.name)
    await _menu(update, context, question, choices, f"mv:vis:{visit_id}", nowhere)


@requires(Role.COORDINATOR)
@_outdated_answered
async def move_which_pair(update: Update, context: Context) -> None:
    visit_id, slot_index = _ids(update)
    found = await services(context).drafts.pair_choices(visit_id, slot_index)
    if found is None:
        await _gone(update, context)
        return
    _ = await translator(update, context)
    choices = [(label, f"mv:np:{visit_id}:{slot_index}:{a}:{b}") for a, b, label in found.pairs]
    day = day_label(_, found.slot.day)
    question = _("plan.move_which_pair", name=found.name, day=day, start=f"{found.slot.start:%H:%M}")
    await _menu(update, context, question, choices, f"mv:pick:{visit_id}", _("plan.move_nowhere", name=found.name))


@requires(Role.COORDINATOR)
@_outdated_answered
async def move_to_outing(update: Update, context: Context) -> None:
    visit_id, target = _ids(update)
    edited = await services(context).drafts.move_to_outing(visit_id, target)
    await _edited(update, context, edited, "plan.move_refused")


@requires(Role.COORDINATOR)
@_outdated_answered
async def move_to_new_pair(update: Update, context: Context) -> None:
    visit_id, slot_index, first, second = _ids(update)
    edited = await services(context).drafts.move_to_new_pair(visit_id, slot_index, first, second)
    await _edited(update, context, edited, "plan.move_refused")


def handlers() -> list[BaseHandler[Update, Context, object]]:
    return [
        CallbackQueryHandler(swap_outings, pattern=r"^pl:swap:\d{1,9}$"),
        CallbackQueryHandler(swap_member, pattern=r"^pl:sw1:\d{1,9}$"),
        CallbackQueryHandler(swap_choices, pattern=r"^pl:sw2:\d{1,9}:\d{1,15}$"),
        CallbackQueryHandler(swap_done, pattern=r"^pl:sw3:\d{1,9}:\d{1,15}:\d{1,15}$"),
        CallbackQueryHandler(move_outings, pattern=r"^mv:out:\d{1,9}$"),
        CallbackQueryHandler(move_which_visit, pattern=r"^mv:vis:\d{1,9}$"),
        CallbackQueryHandler(move_where, pattern=r"^mv:pick:\d{1,9}$"),
        CallbackQueryHandler(move_which_pair, pattern=r"^mv:sl:\d{1,9}:\d{1,2}$"),
        CallbackQueryHandler(move_to_outing, pattern=r"^mv:to:\d{1,9}:\d{1,9}$"),
        CallbackQueryHandler(move_to_new_pair, pattern=r"^mv:np:\d{1,9}:\d{1,2}:\d{1,15}:\d{1,15}$"),
    ]
