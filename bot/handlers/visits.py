"""The week's visits: the coordinator's /plan (preview, re-run, publish; its edits are in plan_edits) and
/week; the volunteer's Confirm / Can't go, and the few taps after a visit. Reminders run on the job queue,
rebuilt from the database at every start."""

from __future__ import annotations

import logging
from datetime import date

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.cli.plan import WeekOutOfReach, parse_week
from bot.handlers.common import Context, answer, buttons, draft, requires, services, translator
from bot.handlers.leaving import CANCEL, cancel_handlers
from bot.handlers.mini_app import desk_rows
from bot.handlers.timers import wake_at, wake_in
from bot.i18n import Safe, Translator
from bot.notices import Button
from bot.services.reports import NEEDS
from bot.services.roles import Role
from bot.services.visits import MOODS, Preview, VisitReport
from bot.storage.visits import Outcome, PlanStatus

log = logging.getLogger(__name__)

TICK_JOB = "visits.tick"
# A preview stays readable on a phone (and under Telegram's 4096 characters).
PREVIEW_OUTINGS = 25
MOOD, NEEDS_SEEN, WORRY, NOTE = range(4)
FACES = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😄"}
STATUS_ICONS = {"proposed": "⏳", "confirmed": "✅", "done": "🏠", "missed": "❔", "declined": "⚠️", "replaced": "↪️"}


def _user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _ids(update: Update) -> list[str]:
    assert update.callback_query is not None and update.callback_query.data is not None
    return update.callback_query.data.split(":")[2:]


def day_label(_: Translator, iso: str) -> str:
    return _.format_date(date.fromisoformat(iso), "EEE d MMM")


# --- the coordinator's plan ---------------------------------------------------------------------------------
def render_preview(_: Translator, preview: Preview) -> str:
    plan = preview.plan
    lines = []
    for outing in preview.outings[:PREVIEW_OUTINGS]:
        stops = ", ".join(f"{name} ({arrival})" for name, arrival in outing.stops)
        lines.append(
            _(
                "plan.outing_line",
                day=day_label(_, outing.day),
                start=outing.start,
                first=outing.pair[0],
                second=outing.pair[1],
                stops=stops,
                walk=round(outing.walk_min),
            )
        )
    if len(preview.outings) > PREVIEW_OUTINGS:
        lines.append(_("plan.more_outings", count=len(preview.outings) - PREVIEW_OUTINGS))
    left = [
        _("plan.left_line", name=name, missing=missing, reason=_(reason)) for name, missing, reason in preview.left_out
    ]
    return _(
        "plan.preview",
        year=plan.year,
        week=plan.iso_week,
        status=_(f"plan.status.{plan.status.value}"),
        planned=int(plan.figures.get("planned", 0)),
        due=int(plan.figures.get("due", 0)),
        pairs=len(preview.outings),
        # From the outings, not the planner's figures: the coordinator's edits change the walks.
        walking=round(sum(outing.walk_min for outing in preview.outings)),
        # Already rendered, each value escaped once: placed as they are.
        outings=Safe("\n".join(lines) or "-"),
        left=Safe("\n".join(left[:PREVIEW_OUTINGS]) or _("plan.nobody_left")),
    )


def preview_buttons(preview: Preview) -> list[list[Button]]:
    if preview.plan.status is PlanStatus.PUBLISHED:
        return []
    plan_id = preview.plan.id
    rows = [[Button("plan.publish_button", f"pl:pub:{plan_id}")], [Button("plan.rerun_button", f"pl:rerun:{plan_id}")]]
    if preview.outings:
        rows.append([Button("plan.swap_button", f"pl:swap:{plan_id}"), Button("plan.move_button", f"mv:out:{plan_id}")])
    return rows


async def show_preview(update: Update, context: Context, plan_id: int) -> None:
    _ = await translator(update, context)
    preview = await services(context).visits.preview(plan_id)
    if preview is None:
        await answer(update, _("plan.gone"))
        return
    await answer(update, render_preview(_, preview), buttons(_, preview_buttons(preview) + desk_rows(context)))


def _week_refused(_: Translator, error: ValueError) -> str:
    if isinstance(error, WeekOutOfReach):
        return _("plan.week_out_of_reach", first=error.first, last=error.last)
    return _("plan.bad_week")


async def _draft_week(update: Update, context: Context, year: int, week: int) -> None:
    _ = await translator(update, context)
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(_("plan.working"))
    plan_id = await services(context).visits.make_draft(year, week, _user_id(update))
    if plan_id is None:
        await answer(update, _("plan.already_published", year=year, week=week))
        return
    await show_preview(update, context, plan_id)


@requires(Role.COORDINATOR)
async def plan_command(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    svc = services(context)
    text = context.args[0] if context.args else None
    try:
        year, week = parse_week(text, svc.visits.clock().date()) if text else svc.visits.next_week()
    except ValueError as exc:
        await answer(update, _week_refused(_, exc))
        return
    await _draft_week(update, context, year, week)


@requires(Role.COORDINATOR)
async def rerun(update: Update, context: Context) -> None:
    plan = await services(context).visits.plan_of(int(_ids(update)[0]))
    _ = await translator(update, context)
    if plan is None or plan.status is not PlanStatus.DRAFT:
        await answer(update, _("plan.gone"))
        return
    await _draft_week(update, context, plan.year, plan.iso_week)


@requires(Role.COORDINATOR)
async def publish(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    svc = services(context)
    plan_id = int(_ids(update)[0])
    count = await svc.visits.publish(plan_id, _user_id(update))
    if count is None:
        await answer(update, _("plan.gone"))
        return
    schedule(context)
    await answer(update, _("plan.published", count=count), buttons(_, [[_open_calls_button(plan_id)]]))


@requires(Role.COORDINATOR)
async def show_plan(update: Update, context: Context) -> None:
    await show_preview(update, context, int(_ids(update)[0]))


def _open_calls_button(plan_id: int) -> Button:
    """To the week's visits nobody could take, and the open calls for them (bot/handlers/open_calls.py)."""
    return Button("opencall.board_button", f"oc:list:{plan_id}")


# --- /week ----------------------------------------------------------------------------------------------------
@requires(Role.COORDINATOR)
async def week_command(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    svc = services(context)
    today = svc.visits.clock().date()
    text = context.args[0] if context.args else None
    try:
        year, week = parse_week(text, today) if text else today.isocalendar()[:2]
    except ValueError as exc:
        await answer(update, _week_refused(_, exc))
        return
    plan, rows = await svc.visits.week_rows(year, week)
    if plan is None and text is None:
        year, week = svc.visits.next_week()
        plan, rows = await svc.visits.week_rows(year, week)
    if plan is None:
        await answer(update, _("week.none", year=year, week=week))
        return
    lines = [
        _(
            "week.line",
            icon=STATUS_ICONS[row.visit.status.value],
            day=day_label(_, row.visit.day),
            arrival=row.visit.arrival,
            name=row.person,
            first=row.pair[0],
            second=row.pair[1],
            status=_(f"visit.status.{row.visit.status.value}"),
            outcome=_(f"visit.outcome.{row.visit.outcome.value}") if row.visit.outcome else "",
        )
        for row in rows
    ]
    text_out = _("week.header", year=year, week=week, status=_(f"plan.status.{plan.status.value}"))
    body = "\n".join(lines[:80]) or "-"
    shown = Button("plan.show_button", f"pl:show:{plan.id}")
    markup = buttons(
        _, [[shown if plan.status is PlanStatus.DRAFT else _open_calls_button(plan.id)], *desk_rows(context)]
    )
    await answer(update, f"{text_out}\n{body}", markup)


# --- the volunteer's answer -------------------------------------------------------------------------------------
@requires(Role.VOLUNTEER)
async def confirm(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    group = await services(context).visits.confirm(int(_ids(update)[0]), _user_id(update))
    query = update.callback_query
    assert query is not None
    if group is None:
        await query.answer(_("visit.not_open"), show_alert=True)
        return
    await query.answer(_("visit.confirmed_toast"))
    await query.get_bot().send_message(_user_id(update), _("visit.confirmed", slot=day_label(_, group[0].day)))


@requires(Role.VOLUNTEER)
async def ask_decline(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    visit_id = int(_ids(update)[0])
    rows = [
        [Button("visit.decline_sure_button", f"vis:nok:{visit_id}")],
        [Button("visit.decline_keep_button", "vis:keep")],
    ]
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.get_bot().send_message(_user_id(update), _("visit.decline_sure"), reply_markup=buttons(_, rows))


@requires(Role.VOLUNTEER)
async def keep(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    await answer(update, _("visit.kept"))


@requires(Role.VOLUNTEER)
async def decline(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    result = await services(context).visits.decline(int(_ids(update)[0]), _user_id(update))
    if result is None:
        await answer(update, _("visit.not_open"))
        return
    schedule(context)
    await answer(update, _("visit.declined"))


# --- after the visit ------------------------------------------------------------------------------------------
def _report(context: Context) -> dict[str, object]:
    found = draft(context).setdefault("visit_report", {})
    assert isinstance(found, dict)
    return found


def _needs(report: dict[str, object]) -> list[str]:
    seen = report.get("needs")
    return [str(need) for need in seen] if isinstance(seen, list) else []


async def _ask_worry(update: Update, context: Context) -> int:
    _ = await translator(update, context)
    rows = [
        [Button("visit.worry_no", "vr:worry:0"), Button("visit.worry_yes", "vr:worry:1")],
        [Button("button.back", "vr:back:worry"), CANCEL],
    ]
    await answer(update, _("visit.worry_question"), buttons(_, rows))
    return WORRY


async def _ask_mood(update: Update, context: Context) -> int:
    _ = await translator(update, context)
    visit_id = int(str(_report(context)["visit"]))
    name = await services(context).visits.visit_name(visit_id)
    faces = [Button.labelled(FACES[mood], f"vr:mood:{mood}") for mood in MOODS]
    await answer(update, _("visit.mood_question", name=name), buttons(_, [faces, [CANCEL]]))
    return MOOD


async def _ask_needs(update: Update, context: Context) -> int:
    _ = await translator(update, context)
    seen = _needs(_report(context))
    toggles = [
        Button.labelled(("✅ " if need in seen else "▫️ ") + _(f"sign.need_{need}"), f"vr:need:{need}") for need in NEEDS
    ]
    rows = [toggles[i : i + 2] for i in range(0, len(toggles), 2)]
    rows += [[Button("visit.next_button", "vr:next")], [Button("button.back", "vr:back:mood"), CANCEL]]
    await answer(update, _("visit.needs_question"), buttons(_, rows))
    return NEEDS_SEEN


@requires(Role.VOLUNTEER)
async def outcome_chosen(update: Update, context: Context) -> int:
    _ = await translator(update, context)
    visit_id, outcome = _ids(update)
    visit = await services(context).visits.reportable(int(visit_id), _user_id(update))
    if visit is None:
        await answer(update, _("visit.report_closed"))
        return ConversationHandler.END
    draft(context)["visit_report"] = {"visit": visit.id, "outcome": outcome, "needs": []}
    if outcome == Outcome.DONE.value:
        return await _ask_mood(update, context)
    return await _ask_worry(update, context)


@requires(Role.VOLUNTEER)
async def mood_chosen(update: Update, context: Context) -> int:
    _report(context)["mood"] = int(_ids(update)[0])
    return await _ask_needs(update, context)


@requires(Role.VOLUNTEER)
async def need_toggled(update: Update, context: Context) -> int:
    need = _ids(update)[0]
    report = _report(context)
    seen = _needs(report)
    report["needs"] = [n for n in seen if n != need] if need in seen else [*seen, need]
    return await _ask_needs(update, context)


@requires(Role.VOLUNTEER)
async def needs_done(update: Update, context: Context) -> int:
    return await _ask_worry(update, context)


@requires(Role.VOLUNTEER)
async def worry_chosen(update: Update, context: Context) -> int:
    _ = await translator(update, context)
    _report(context)["worry"] = _ids(update)[0] == "1"
    rows = [[Button("visit.no_note_button", "vr:send")], [Button("button.back", "vr:back:note"), CANCEL]]
    await answer(update, _("visit.note_question"), buttons(_, rows))
    return NOTE


@requires(Role.VOLUNTEER)
async def go_back(update: Update, context: Context) -> int:
    step = _ids(update)[0]
    if step == "note":
        return await _ask_worry(update, context)
    if step == "worry" and _report(context).get("outcome") == Outcome.DONE.value:
        return await _ask_needs(update, context)
    if step == "mood":
        return await _ask_mood(update, context)
    _ = await translator(update, context)
    visit_id = int(str(_report(context)["visit"]))
    rows = [
        [Button(f"visit.outcome.{o.value}", f"vr:out:{visit_id}:{o.value}")] for o in Outcome if o != Outcome.UNANSWERED
    ]
    await answer(update, _("visit.outcome_again"), buttons(_, [*rows, [CANCEL]]))
    return ConversationHandler.END


async def _save(update: Update, context: Context, note: str | None) -> int:
    _ = await translator(update, context)
    report = dict(_report(context))
    draft(context).pop("visit_report", None)
    saved = await services(context).visits.report(
        int(str(report["visit"])),
        _user_id(update),
        VisitReport(
            Outcome(str(report["outcome"])),
            int(str(report["mood"])) if report.get("mood") else None,
            tuple(_needs(report)),
            bool(report.get("worry")),
            note,
        ),
    )
    await answer(update, _("visit.report_thanks") if saved else _("visit.report_closed"))
    return ConversationHandler.END


@requires(Role.VOLUNTEER)
async def send_without_note(update: Update, context: Context) -> int:
    return await _save(update, context, None)


@requires(Role.VOLUNTEER)
async def note_typed(update: Update, context: Context) -> int:
    assert update.message is not None
    return await _save(update, context, update.message.text)


# --- reminders ------------------------------------------------------------------------------------------------
async def tick(context: Context) -> None:
    """Send what is due, then sleep until the next reminder, prompt or deadline the database knows of."""
    svc = services(context)
    due = await svc.visits.send_due()
    if due.reminders or due.prompts or due.unanswered:
        log.info("visits.due reminders=%s prompts=%s unanswered=%s", due.reminders, due.prompts, due.unanswered)
    await _schedule_next(context)


async def _schedule_next(context: Context) -> None:
    svc = services(context)
    now = svc.visits.clock()
    wake_at(context, tick, TICK_JOB, now, await svc.visits.next_due_at(now))


def schedule(context: Context) -> None:
    """After a change of the week, look again at once: new reminders may be due sooner."""
    wake_in(context, tick, TICK_JOB, 1)


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND
    outcomes = "|".join(o.value for o in Outcome if o != Outcome.UNANSWERED)
    return [
        CommandHandler("plan", plan_command),
        CommandHandler("week", week_command),
        CallbackQueryHandler(publish, pattern=r"^pl:pub:\d{1,9}$"),
        CallbackQueryHandler(rerun, pattern=r"^pl:rerun:\d{1,9}$"),
        CallbackQueryHandler(show_plan, pattern=r"^pl:show:\d{1,9}$"),
        CallbackQueryHandler(confirm, pattern=r"^vis:ok:\d{1,9}$"),
        CallbackQueryHandler(ask_decline, pattern=r"^vis:no:\d{1,9}$"),
        CallbackQueryHandler(decline, pattern=r"^vis:nok:\d{1,9}$"),
        CallbackQueryHandler(keep, pattern=r"^vis:keep$"),
        ConversationHandler(
            entry_points=[CallbackQueryHandler(outcome_chosen, pattern=rf"^vr:out:\d{{1,9}}:({outcomes})$")],
            states={
                MOOD: [CallbackQueryHandler(mood_chosen, pattern=r"^vr:mood:[1-5]$")],
                NEEDS_SEEN: [
                    CallbackQueryHandler(need_toggled, pattern=rf"^vr:need:({'|'.join(NEEDS)})$"),
                    CallbackQueryHandler(needs_done, pattern=r"^vr:next$"),
                    CallbackQueryHandler(go_back, pattern=r"^vr:back:mood$"),
                ],
                WORRY: [
                    CallbackQueryHandler(worry_chosen, pattern=r"^vr:worry:[01]$"),
                    CallbackQueryHandler(go_back, pattern=r"^vr:back:worry$"),
                ],
                NOTE: [
                    CallbackQueryHandler(send_without_note, pattern=r"^vr:send$"),
                    CallbackQueryHandler(go_back, pattern=r"^vr:back:note$"),
                    MessageHandler(text, note_typed),
                ],
            },
            fallbacks=cancel_handlers(),
            name="visit_report",
            persistent=True,
            allow_reentry=True,
        ),
    ]
