"""The week's visits: the coordinator's /plan (preview, re-run, publish; its edits are in plan_edits) and
/week; the volunteer's Confirm / Can't go, and the few taps after a visit. Reminders run on the job queue,
rebuilt from the database at every start."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler, MessageHandler, filters

from bot.domain import commands
from bot.domain.actions.open_calls import OpenCallBoard
from bot.domain.actions.plan_edits import MoveFromWhichOuting, SwapWhichOuting
from bot.domain.actions.visits import (
    REPORTED_OUTCOMES,
    AskDeclineVisit,
    BackFromNeedsSeen,
    BackFromNote,
    BackFromWorry,
    ConfirmVisit,
    DeclineVisit,
    KeepVisit,
    NeedsSeenDone,
    PlanPage,
    PublishPlan,
    ReportMood,
    ReportOutcome,
    ReportWorry,
    RerunPlan,
    SendVisitReport,
    ShowPlan,
    ToggleNeedSeen,
    WeekPage,
)
from bot.domain.callbacks import Action, Button
from bot.domain.reports import NEEDS
from bot.domain.roles import Role
from bot.domain.visits import MOODS, Outcome, PlanStatus
from bot.domain.weeks import WeekOutOfReach, parse_week
from bot.handlers.access import Pressed, command, on, requires
from bot.handlers.choices import day_label
from bot.handlers.common import Context, answer, buttons, step_closed
from bot.handlers.drafts import VisitReportDraft
from bot.handlers.leaving import CANCEL, cancel_handlers
from bot.handlers.mini_app import desk_rows
from bot.handlers.pages import Listing, show_page
from bot.handlers.timers import wake_at, wake_in
from bot.i18n import Safe, Translator
from bot.services.publication import Preview, PreviewOuting
from bot.services.visit_outcomes import VisitReport

log = logging.getLogger(__name__)
A = TypeVar("A", bound=Action)

TICK_JOB = "visits.tick"
MOOD, NEEDS_SEEN, WORRY, NOTE = range(4)
FACES = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😄"}
STATUS_ICONS = {"proposed": "⏳", "confirmed": "✅", "done": "🏠", "missed": "❔", "declined": "⚠️", "replaced": "↪️"}


def _user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


# --- the coordinator's plan ---------------------------------------------------------------------------------
def outing_line(_: Translator, outing: PreviewOuting) -> str:
    """A pair's half-day: when, who, each door with the time to ring, the walk."""
    stops = [_("plan.stop", name=name, arrival=f"{arrival:%H:%M}") for name, arrival in outing.stops]
    return _(
        "plan.outing_line",
        day=day_label(_, outing.day),
        start=f"{outing.start:%H:%M}",
        first=outing.pair[0],
        second=outing.pair[1],
        stops=Safe(", ".join(stops)),
        walk=round(outing.walk_min),
    )


def preview_listing(_: Translator, preview: Preview) -> Listing:
    """Every outing of the week, then what was left out and why; an empty week says it has nothing to
    publish."""
    plan = preview.plan
    outings = [outing_line(_, outing) for outing in preview.outings]
    left = [
        _("plan.left_line", name=name, missing=missing, reason=_(reason)) for name, missing, reason in preview.left_out
    ]
    header = _(
        "plan.preview_header",
        year=plan.year,
        week=plan.iso_week,
        status=_(f"plan.status.{plan.status.value}"),
        planned=_.plural("plan.planned", int(plan.figures.get("planned", 0))),
        due=_.plural("plan.due", int(plan.figures.get("due", 0))),
        pairs=_.plural("plan.pairs", len(preview.outings)),
        # From the outings, not the planner's figures: the coordinator's edits change the walks.
        walking=round(sum(outing.walk_min for outing in preview.outings)),
    )
    lines = [*(outings or [_("plan.nothing_to_publish")]), "", _("plan.left_title"), *(left or [_("plan.nobody_left")])]
    return Listing(header, lines)


def preview_buttons(preview: Preview) -> list[list[Button]]:
    """Publish first, on every page; nothing to publish or edit in a week without an outing."""
    if preview.plan.status is PlanStatus.PUBLISHED:
        return []
    plan_id = preview.plan.id
    rerun = [Button("plan.rerun_button", RerunPlan(plan_id))]
    if not preview.outings:
        return [rerun]
    return [
        [Button("plan.publish_button", PublishPlan(plan_id))],
        rerun,
        [
            Button("plan.swap_button", SwapWhichOuting(plan_id)),
            Button("plan.move_button", MoveFromWhichOuting(plan_id)),
        ],
    ]


async def show_preview(update: Update, context: Context, plan_id: int, page: int = 0) -> None:
    _ = await context.translator()
    preview = await context.services.publication.preview(plan_id)
    if preview is None:
        await answer(update, _("plan.gone"))
        return
    rows = preview_buttons(preview) + desk_rows(context)
    await show_page(update, _, preview_listing(_, preview), page, functools.partial(PlanPage, plan_id), rows)


def _week_refused(_: Translator, error: ValueError) -> str:
    if isinstance(error, WeekOutOfReach):
        return _("plan.week_out_of_reach", first=error.first, last=error.last)
    return _("plan.bad_week")


async def _draft_week(update: Update, context: Context, year: int, week: int) -> None:
    _ = await context.translator()
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(_("plan.working"))
    plan_id = await context.services.publication.make_draft(year, week, _user_id(update))
    if plan_id is None:
        await answer(update, _("plan.already_published", year=year, week=week))
        return
    await show_preview(update, context, plan_id)


async def plan_command(update: Update, context: Context) -> None:
    _ = await context.translator()
    svc = context.services
    text = context.args[0] if context.args else None
    try:
        year, week = parse_week(text, svc.calendar.now().date()) if text else svc.calendar.next_week()
    except ValueError as exc:
        await answer(update, _week_refused(_, exc))
        return
    await _draft_week(update, context, year, week)


async def rerun(update: Update, context: Context, pressed: RerunPlan) -> None:
    plan = await context.services.publication.plan_of(pressed.plan_id)
    _ = await context.translator()
    if plan is None or plan.status is not PlanStatus.DRAFT:
        await answer(update, _("plan.gone"))
        return
    await _draft_week(update, context, plan.year, plan.iso_week)


async def publish(update: Update, context: Context, pressed: PublishPlan) -> None:
    _ = await context.translator()
    svc = context.services
    plan_id = pressed.plan_id
    count = await svc.publication.publish(plan_id, _user_id(update))
    if count is None:
        await answer(update, _("plan.gone"))
        return
    if count == 0:
        await answer(
            update, _("plan.empty_not_published"), buttons(_, [[Button("plan.show_button", ShowPlan(plan_id))]])
        )
        return
    schedule(context)
    sent = _.plural("plan.visits_sent", count)
    await answer(update, _("plan.published", sent=sent), buttons(_, [[_open_calls_button(plan_id)]]))


async def show_plan(update: Update, context: Context, pressed: ShowPlan | PlanPage) -> None:
    await show_preview(update, context, pressed.plan_id, pressed.page if isinstance(pressed, PlanPage) else 0)


def _open_calls_button(plan_id: int) -> Button:
    """To the week's visits nobody could take, and the open calls for them (bot/handlers/open_calls.py)."""
    return Button("opencall.board_button", OpenCallBoard(plan_id))


# --- /week ----------------------------------------------------------------------------------------------------
async def week_command(update: Update, context: Context) -> None:
    _ = await context.translator()
    svc = context.services
    today = svc.calendar.now().date()
    text = context.args[0] if context.args else None
    try:
        year, week = parse_week(text, today) if text else today.isocalendar()[:2]
    except ValueError as exc:
        await answer(update, _week_refused(_, exc))
        return
    shown = await _show_week(update, context, year, week, 0)
    if not shown and text is None:
        year, week = svc.calendar.next_week()
        shown = await _show_week(update, context, year, week, 0)
    if not shown:
        await answer(update, _("week.none", year=year, week=week))


async def week_page(update: Update, context: Context, pressed: WeekPage) -> None:
    plan = await context.services.publication.plan_of(pressed.plan_id)
    if plan is None or not await _show_week(update, context, plan.year, plan.iso_week, pressed.page):
        _ = await context.translator()
        await answer(update, _("plan.gone"))


async def _show_week(update: Update, context: Context, year: int, week: int, page: int) -> bool:
    """The week's visits, page `page`; False when the week has no plan."""
    _ = await context.translator()
    plan, rows = await context.services.publication.week_rows(year, week)
    if plan is None:
        return False
    lines = [
        _(
            "week.line",
            icon=STATUS_ICONS[row.visit.status.value],
            day=day_label(_, row.visit.day),
            arrival=f"{row.visit.arrival:%H:%M}",
            name=row.person,
            first=row.pair[0],
            second=row.pair[1],
            status=_(f"visit.status.{row.visit.status.value}"),
            outcome=_(f"visit.outcome.{row.visit.outcome.value}") if row.visit.outcome else "",
        )
        for row in rows
    ]
    header = _("week.header", year=plan.year, week=plan.iso_week, status=_(f"plan.status.{plan.status.value}"))
    shown = Button("plan.show_button", ShowPlan(plan.id))
    fixed = [[shown if plan.status is PlanStatus.DRAFT else _open_calls_button(plan.id)], *desk_rows(context)]
    listing = Listing(header, lines or [_("week.no_visit")])
    await show_page(update, _, listing, page, functools.partial(WeekPage, plan.id), fixed)
    return True


# --- the volunteer's answer -------------------------------------------------------------------------------------
async def confirm(update: Update, context: Context, pressed: ConfirmVisit) -> None:
    _ = await context.translator()
    group = await context.services.visit_answers.confirm(pressed.visit_id, _user_id(update))
    query = update.callback_query
    assert query is not None
    if group is None:
        await query.answer(_("visit.not_open"), show_alert=True)
        return
    await query.answer(_("visit.confirmed_toast"))
    await query.get_bot().send_message(_user_id(update), _("visit.confirmed", slot=day_label(_, group[0].day)))


async def ask_decline(update: Update, context: Context, pressed: AskDeclineVisit) -> None:
    _ = await context.translator()
    rows = [
        [Button("visit.decline_sure_button", DeclineVisit(pressed.visit_id))],
        [Button("visit.decline_keep_button", KeepVisit())],
    ]
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.get_bot().send_message(_user_id(update), _("visit.decline_sure"), reply_markup=buttons(_, rows))


async def keep(update: Update, context: Context, _action: KeepVisit) -> None:
    _ = await context.translator()
    await answer(update, _("visit.kept"))


async def decline(update: Update, context: Context, pressed: DeclineVisit) -> None:
    _ = await context.translator()
    result = await context.services.visit_answers.decline(pressed.visit_id, _user_id(update))
    if result is None:
        await answer(update, _("visit.not_open"))
        return
    schedule(context)
    await answer(update, _("visit.declined"))


# --- after the visit ------------------------------------------------------------------------------------------
ReportStep = Callable[[Update, Context, VisitReportDraft, A], Awaitable[int]]


def _drafted(step: ReportStep[A]) -> Pressed[A, int]:
    """A step of the report after a visit, given its draft; when the draft is gone, the step is closed."""

    @functools.wraps(step)
    async def with_draft(update: Update, context: Context, action: A) -> int:
        report = context.drafts.visit_report
        if report is None:
            return await step_closed(update, context)
        return await step(update, context, report, action)

    return with_draft


async def _ask_worry(update: Update, context: Context) -> int:
    _ = await context.translator()
    rows = [
        [Button("visit.worry_no", ReportWorry(worried=False)), Button("visit.worry_yes", ReportWorry(worried=True))],
        [Button("button.back", BackFromWorry()), CANCEL],
    ]
    await answer(update, _("visit.worry_question"), buttons(_, rows))
    return WORRY


async def _ask_mood(update: Update, context: Context, report: VisitReportDraft) -> int:
    _ = await context.translator()
    name = await context.services.visit_outcomes.visit_name(report.visit)
    faces = [Button.labelled(FACES[mood], ReportMood(mood)) for mood in MOODS]
    await answer(update, _("visit.mood_question", name=name), buttons(_, [faces, [CANCEL]]))
    return MOOD


async def _ask_needs(update: Update, context: Context, report: VisitReportDraft) -> int:
    _ = await context.translator()
    toggles = [
        Button.labelled(("✅ " if need in report.needs else "▫️ ") + _(f"sign.need_{need}"), ToggleNeedSeen(need))
        for need in NEEDS
    ]
    rows = [toggles[i : i + 2] for i in range(0, len(toggles), 2)]
    rows += [[Button("visit.next_button", NeedsSeenDone())], [Button("button.back", BackFromNeedsSeen()), CANCEL]]
    await answer(update, _("visit.needs_question"), buttons(_, rows))
    return NEEDS_SEEN


async def outcome_chosen(update: Update, context: Context, chosen: ReportOutcome) -> int:
    _ = await context.translator()
    visit = await context.services.visit_outcomes.reportable(chosen.visit_id, _user_id(update))
    if visit is None:
        await answer(update, _("visit.report_closed"))
        return ConversationHandler.END
    report = context.drafts.visit_report = VisitReportDraft(visit=visit.id, outcome=chosen.outcome)
    if chosen.outcome is Outcome.DONE:
        return await _ask_mood(update, context, report)
    return await _ask_worry(update, context)


@_drafted
async def mood_chosen(update: Update, context: Context, report: VisitReportDraft, chosen: ReportMood) -> int:
    report.mood = chosen.mood
    return await _ask_needs(update, context, report)


@_drafted
async def need_toggled(update: Update, context: Context, report: VisitReportDraft, toggled: ToggleNeedSeen) -> int:
    seen, need = report.needs, toggled.need
    report.needs = [n for n in seen if n != need] if need in seen else [*seen, need]
    return await _ask_needs(update, context, report)


@_drafted
async def needs_done(update: Update, context: Context, _report: VisitReportDraft, _action: NeedsSeenDone) -> int:
    return await _ask_worry(update, context)


@_drafted
async def worry_chosen(update: Update, context: Context, report: VisitReportDraft, chosen: ReportWorry) -> int:
    _ = await context.translator()
    report.worry = chosen.worried
    rows = [[Button("visit.no_note_button", SendVisitReport())], [Button("button.back", BackFromNote()), CANCEL]]
    await answer(update, _("visit.note_question"), buttons(_, rows))
    return NOTE


@_drafted
async def back_from_note(update: Update, context: Context, _report: VisitReportDraft, _action: BackFromNote) -> int:
    return await _ask_worry(update, context)


@_drafted
async def back_from_needs(
    update: Update, context: Context, report: VisitReportDraft, _action: BackFromNeedsSeen
) -> int:
    return await _ask_mood(update, context, report)


@_drafted
async def back_from_worry(update: Update, context: Context, report: VisitReportDraft, _action: BackFromWorry) -> int:
    """To the needs seen after a visit made; to the outcome after nobody was seen."""
    if report.outcome is Outcome.DONE:
        return await _ask_needs(update, context, report)
    _ = await context.translator()
    rows = [[Button(f"visit.outcome.{o.value}", ReportOutcome(report.visit, o))] for o in REPORTED_OUTCOMES]
    await answer(update, _("visit.outcome_again"), buttons(_, [*rows, [CANCEL]]))
    return ConversationHandler.END


async def _save(update: Update, context: Context, note: str | None) -> int:
    report = context.drafts.visit_report
    if report is None:
        return await step_closed(update, context)
    _ = await context.translator()
    context.drafts.visit_report = None
    saved = await context.services.visit_outcomes.report(
        report.visit,
        _user_id(update),
        VisitReport(report.outcome, report.mood, tuple(report.needs), report.worry, note),
    )
    await answer(update, _("visit.report_thanks") if saved else _("visit.report_closed"))
    return ConversationHandler.END


async def send_without_note(update: Update, context: Context, _action: SendVisitReport) -> int:
    return await _save(update, context, None)


@requires(Role.VOLUNTEER)
async def note_typed(update: Update, context: Context) -> int:
    assert update.message is not None
    return await _save(update, context, update.message.text)


# --- reminders ------------------------------------------------------------------------------------------------
async def tick(context: Context) -> None:
    """Send what is due, then sleep until the next reminder, prompt or deadline the database knows of."""
    svc = context.services
    due = await svc.reminders.send_due()
    if due.reminders or due.prompts or due.unanswered:
        log.info("visits.due reminders=%s prompts=%s unanswered=%s", due.reminders, due.prompts, due.unanswered)
    await _schedule_next(context)


async def _schedule_next(context: Context) -> None:
    svc = context.services
    now = svc.calendar.now()
    wake_at(context, tick, TICK_JOB, now, await svc.reminders.next_due_at(now))


def schedule(context: Context) -> None:
    """After a change of the week, look again at once: new reminders may be due sooner."""
    wake_in(context, tick, TICK_JOB, 1)


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND
    return [
        command(commands.PLAN, plan_command),
        command(commands.WEEK, week_command),
        on(PublishPlan, publish),
        on(RerunPlan, rerun),
        on(ShowPlan, show_plan),
        on(PlanPage, show_plan),
        on(WeekPage, week_page),
        on(ConfirmVisit, confirm),
        on(AskDeclineVisit, ask_decline),
        on(DeclineVisit, decline),
        on(KeepVisit, keep),
        ConversationHandler(
            entry_points=[on(ReportOutcome, outcome_chosen)],
            states={
                MOOD: [on(ReportMood, mood_chosen)],
                NEEDS_SEEN: [
                    on(ToggleNeedSeen, need_toggled),
                    on(NeedsSeenDone, needs_done),
                    on(BackFromNeedsSeen, back_from_needs),
                ],
                WORRY: [on(ReportWorry, worry_chosen), on(BackFromWorry, back_from_worry)],
                NOTE: [
                    on(SendVisitReport, send_without_note),
                    on(BackFromNote, back_from_note),
                    MessageHandler(text, note_typed),
                ],
            },
            fallbacks=cancel_handlers(),
            name="visit_report",
            persistent=True,
            allow_reentry=True,
        ),
    ]
