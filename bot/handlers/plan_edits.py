"""The coordinator's edits of a draft from the /plan preview: another volunteer in a pair (the swap) and a
visit moved to another pair's outing or to a new pair in another slot (the move). Each step offers only
the valid choices, with Back; a press is checked again by the service, and a forged one changes nothing."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, time
from typing import TypeVar

from telegram import Update
from telegram.ext import BaseHandler

from bot.domain.actions.plan_edits import (
    EditOutingsPage,
    MoveFromWhichOuting,
    MoveToNewPair,
    MoveToOuting,
    MoveWhere,
    MoveWhichPair,
    MoveWhichVisit,
    SwapMember,
    SwapWhichOuting,
    SwapWhoComes,
    SwapWhoLeaves,
)
from bot.domain.actions.visits import RerunPlan, ShowPlan
from bot.domain.callbacks import Action, Button
from bot.domain.visits import PlanStatus
from bot.handlers.access import Pressed, on
from bot.handlers.choices import day_label
from bot.handlers.common import Context, answer, buttons
from bot.handlers.pages import Listing, show_page
from bot.handlers.visits import outing_line, show_preview
from bot.i18n import Translator
from bot.services.drafts import Edited, OutdatedDraft

A = TypeVar("A", bound=Action)
# An outing a line, with its button: a page a phone reads at a glance.
OUTINGS_A_PAGE = 10
EDIT_STARTS: dict[str, tuple[Callable[[int], Action], str]] = {
    "swap": (SwapWhoLeaves, "plan.swap_which_outing"),
    "move": (MoveWhichVisit, "plan.move_which_outing"),
}


def _outing_label(_: Translator, day: date, start: time, pair: tuple[str, str]) -> str:
    return f"{day_label(_, day)} {start:%H:%M} · {pair[0]} & {pair[1]}"


async def _outings_menu(update: Update, context: Context, plan_id: int, edit: str, page: int) -> None:
    """Every outing of the draft, page by page, each with the button that starts the edit from it."""
    _ = await context.translator()
    preview = await context.services.publication.preview(plan_id)
    if preview is None or preview.plan.status is not PlanStatus.DRAFT:
        await _gone(update, context)
        return
    choose, question = EDIT_STARTS[edit]
    listing = Listing(
        _(question),
        [outing_line(_, o) for o in preview.outings],
        line_buttons=[
            (Button.labelled(_outing_label(_, o.day, o.start, o.pair), choose(o.first_visit_id)),)
            for o in preview.outings
        ],
        max_lines=OUTINGS_A_PAGE,
    )
    back = [[Button("button.back", ShowPlan(plan_id))]]
    await show_page(update, _, listing, page, functools.partial(EditOutingsPage, plan_id, edit), back)


async def outings_page(update: Update, context: Context, pressed: EditOutingsPage) -> None:
    await _outings_menu(update, context, pressed.plan_id, pressed.edit, pressed.page)


async def _edited(update: Update, context: Context, edited: Edited | None, refusal: str) -> None:
    """The preview after an edit made; the refusal, and nothing changed, after one no longer possible."""
    if edited is not None and edited.done:
        await show_preview(update, context, edited.plan_id)
        return
    _ = await context.translator()
    back = [[Button("plan.show_button", ShowPlan(edited.plan_id))]] if edited is not None else []
    await answer(update, _(refusal if edited is not None else "plan.gone"), buttons(_, back))


def _outdated_answered(step: Pressed[A, None]) -> Pressed[A, None]:
    """A step on a draft the stored week no longer allows says so, with Re-run and Back to the preview."""

    @functools.wraps(step)
    async def guarded(update: Update, context: Context, action: A) -> None:
        try:
            await step(update, context, action)
        except OutdatedDraft as outdated:
            _ = await context.translator()
            rows = [
                [Button("plan.rerun_button", RerunPlan(outdated.plan_id))],
                [Button("button.back", ShowPlan(outdated.plan_id))],
            ]
            await answer(update, _("plan.outdated"), buttons(_, rows))

    return guarded


async def _menu(
    update: Update, context: Context, question: str, choices: list[tuple[str, Action]], back: Action, empty: str = ""
) -> None:
    """The choices (label, action) under a question, then Back; `empty` instead when there are none."""
    _ = await context.translator()
    back_row = [Button("button.back", back)]
    if not choices and empty:
        await answer(update, empty, buttons(_, [back_row]))
        return
    rows = [[Button.labelled(label, action)] for label, action in choices]
    await answer(update, question, buttons(_, [*rows, back_row]))


async def _gone(update: Update, context: Context) -> None:
    _ = await context.translator()
    await answer(update, _("plan.gone"))


# --- another volunteer in a pair ------------------------------------------------------------------------------
async def swap_outings(update: Update, context: Context, pressed: SwapWhichOuting) -> None:
    await _outings_menu(update, context, pressed.plan_id, "swap", 0)


async def swap_member(update: Update, context: Context, pressed: SwapWhoLeaves) -> None:
    visit_id = pressed.visit_id
    found = await context.services.drafts.members(visit_id)
    if found is None:
        await _gone(update, context)
        return
    plan_id, members = found
    _ = await context.translator()
    choices: list[tuple[str, Action]] = [(name, SwapWhoComes(visit_id, member)) for member, name in members]
    await _menu(update, context, _("plan.swap_who_leaves"), choices, SwapWhichOuting(plan_id))


@_outdated_answered
async def swap_choices(update: Update, context: Context, pressed: SwapWhoComes) -> None:
    visit_id, leaving = pressed.visit_id, pressed.leaving
    found = await context.services.drafts.swap_choices(visit_id, leaving)
    if found is None:
        await _gone(update, context)
        return
    _ = await context.translator()
    choices: list[tuple[str, Action]] = [(name, SwapMember(visit_id, leaving, coming)) for coming, name in found]
    back = SwapWhoLeaves(visit_id)
    await _menu(update, context, _("plan.swap_who_comes"), choices, back, _("plan.swap_nobody"))


@_outdated_answered
async def swap_done(update: Update, context: Context, pressed: SwapMember) -> None:
    edited = await context.services.drafts.swap(pressed.visit_id, pressed.leaving, pressed.coming)
    await _edited(update, context, edited, "plan.swap_refused")


# --- a visit moved --------------------------------------------------------------------------------------------
async def move_outings(update: Update, context: Context, pressed: MoveFromWhichOuting) -> None:
    await _outings_menu(update, context, pressed.plan_id, "move", 0)


async def move_which_visit(update: Update, context: Context, pressed: MoveWhichVisit) -> None:
    found = await context.services.drafts.outing_visits(pressed.visit_id)
    if found is None:
        await _gone(update, context)
        return
    _ = await context.translator()
    choices: list[tuple[str, Action]] = [
        (f"{name} ({arrival:%H:%M})", MoveWhere(visit_id)) for visit_id, name, arrival in found.visits
    ]
    await _menu(update, context, _("plan.move_which_visit"), choices, MoveFromWhichOuting(found.plan_id))


@_outdated_answered
async def move_where(update: Update, context: Context, pressed: MoveWhere) -> None:
    visit_id = pressed.visit_id
    found = await context.services.drafts.move_choices(visit_id)
    if found is None:
        await _gone(update, context)
        return
    _ = await context.translator()
    choices: list[tuple[str, Action]] = [
        (f"{_outing_label(_, o.day, o.start, o.pair)} ({o.visits})", MoveToOuting(visit_id, o.first_visit_id))
        for o in found.outings
    ]
    choices += [
        (
            _("plan.move_new_pair_slot", day=day_label(_, s.day), start=f"{s.start:%H:%M}"),
            MoveWhichPair(visit_id, s.index),
        )
        for s in found.slots
    ]
    question, nowhere = _("plan.move_where", name=found.name), _("plan.move_nowhere", name=found.name)
    await _menu(update, context, question, choices, MoveWhichVisit(visit_id), nowhere)


@_outdated_answered
async def move_which_pair(update: Update, context: Context, pressed: MoveWhichPair) -> None:
    visit_id, slot_index = pressed.visit_id, pressed.slot_index
    found = await context.services.drafts.pair_choices(visit_id, slot_index)
    if found is None:
        await _gone(update, context)
        return
    _ = await context.translator()
    choices: list[tuple[str, Action]] = [
        (label, MoveToNewPair(visit_id, slot_index, a, b)) for a, b, label in found.pairs
    ]
    day = day_label(_, found.slot.day)
    question = _("plan.move_which_pair", name=found.name, day=day, start=f"{found.slot.start:%H:%M}")
    nowhere = _("plan.move_nowhere", name=found.name)
    await _menu(update, context, question, choices, MoveWhere(visit_id), nowhere)


@_outdated_answered
async def move_to_outing(update: Update, context: Context, pressed: MoveToOuting) -> None:
    edited = await context.services.drafts.move_to_outing(pressed.visit_id, pressed.target_visit_id)
    await _edited(update, context, edited, "plan.move_refused")


@_outdated_answered
async def move_to_new_pair(update: Update, context: Context, pressed: MoveToNewPair) -> None:
    drafts = context.services.drafts
    edited = await drafts.move_to_new_pair(pressed.visit_id, pressed.slot_index, pressed.first, pressed.second)
    await _edited(update, context, edited, "plan.move_refused")


def handlers() -> list[BaseHandler[Update, Context, object]]:
    return [
        on(SwapWhichOuting, swap_outings),
        on(EditOutingsPage, outings_page),
        on(SwapWhoLeaves, swap_member),
        on(SwapWhoComes, swap_choices),
        on(SwapMember, swap_done),
        on(MoveFromWhichOuting, move_outings),
        on(MoveWhichVisit, move_which_visit),
        on(MoveWhere, move_where),
        on(MoveWhichPair, move_which_pair),
        on(MoveToOuting, move_to_outing),
        on(MoveToNewPair, move_to_new_pair),
    ]
