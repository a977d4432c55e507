"""The coordinator's desk: the list of reports, and for each one a file, an attachment, no action, an
escalation to the expert unit, or a question relayed to the reporter. Every id in a button is checked again
in the service: a button proves nothing."""

from __future__ import annotations

import functools

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler, MessageHandler, filters

from bot.domain import commands
from bot.domain.actions.persons import OpenPerson
from bot.domain.actions.triage import (
    AskReporter,
    AttachChoices,
    AttachReport,
    CloseReport,
    Escalate,
    ListReports,
    NoAction,
    NoActionReasons,
    OpenFileFromReport,
    OpenReport,
    PickReportArea,
)
from bot.domain.callbacks import Button
from bot.domain.persons import Edit, PersonRecord
from bot.domain.reports import (
    NO_ACTION_REASONS,
    OPEN_STATUSES,
    REPORT_FILTERS,
    UNDECIDED,
    Channel,
    Relay,
    ReportRecord,
    ReportStatus,
)
from bot.domain.roles import Role
from bot.domain.texts import NoWords, TooLong
from bot.handlers.access import command, on, requires
from bot.handlers.common import Context, answer, buttons, refused, step_closed
from bot.handlers.leaving import CANCEL, cancel_handlers
from bot.handlers.pages import Listing, show_page
from bot.i18n import Safe, Translator
from bot.services.reports import ESCALABLE, CoordinatorView, sign_keys

NAME, QUESTION = "tr.name", "tr.question"
END = ConversationHandler.END
LIST_FILTERS = ("todo", "followed", "escalated", "all")
# A report a line, with its button: a page to triage at a glance.
REPORTS_A_PAGE = 8
URGENCY_MARK = {"danger": "🔴", "soon": "🟠", "later": "🟢"}


# --- the list ------------------------------------------------------------------------------------------
async def list_command(update: Update, context: Context) -> None:
    await _show_list(update, context, ListReports("todo", None, 0))


async def list_pressed(update: Update, context: Context, listed: ListReports) -> None:
    await _show_list(update, context, listed)


async def _show_list(update: Update, context: Context, listed: ListReports) -> None:
    _ = await context.translator()
    svc = context.services
    areas = [n.name for n in svc.settings.town.neighbourhoods]
    status, area = listed.filter, listed.area
    neighbourhood = areas[area] if area is not None and area < len(areas) else None
    area = area if neighbourhood is not None else None
    found = await svc.reports.listed(REPORT_FILTERS[status], neighbourhood)
    filters = [
        [
            Button.labelled(("• " if status == s else "") + _(f"report.filter.{s}"), ListReports(s, area, 0))
            for s in LIST_FILTERS
        ],
        [Button("button.by_neighbourhood", PickReportArea(status))],
    ]
    if not found:
        await answer(update, _("triage.empty"), buttons(_, filters))
        return
    title = _("triage.list_header", count=len(found))
    if neighbourhood:
        title = _("triage.list_in_area", list=title, area=neighbourhood)
    listing = Listing(
        title,
        [
            _(
                "triage.list_line",
                mark=URGENCY_MARK[r.urgency.value],
                reference=r.reference,
                where=r.address or _("report.where_unknown"),
                status=_(f"report.status_label.{r.status.value}"),
                signs=Safe(", ".join(_(key) for key in sign_keys(r)) or "-"),
            )
            for r in found
        ],
        line_buttons=[
            (
                Button.labelled(
                    f"{URGENCY_MARK[r.urgency.value]} {r.reference} · {r.neighbourhood or '?'}", OpenReport(r.id)
                ),
            )
            for r in found
        ],
        max_lines=REPORTS_A_PAGE,
    )
    await show_page(update, _, listing, listed.page, functools.partial(ListReports, status, area), filters)


async def pick_area(update: Update, context: Context, pressed: PickReportArea) -> None:
    _ = await context.translator()
    status = pressed.filter
    names = [n.name for n in context.services.settings.town.neighbourhoods]
    choices = [Button.labelled(name, ListReports(status, i, 0)) for i, name in enumerate(names)]
    rows = [choices[i : i + 2] for i in range(0, len(choices), 2)]
    rows.append([Button("button.all_neighbourhoods", ListReports(status, None, 0))])
    await answer(update, _("triage.pick_area"), buttons(_, rows))


# --- one report -------------------------------------------------------------------------------------------
def card(_: Translator, view: CoordinatorView) -> str:
    r = view.report
    if r.channel == Channel.TELEGRAM:
        reporter = _("triage.reporter", name=view.reporter_name or "?")
        if r.anonymous:
            reporter += " " + _("triage.anonymous_to_others")
    elif r.channel == Channel.SELF_TEST:
        reporter = _("triage.channel.self_test") + "\n" + _("triage.reporter", name=view.reporter_name or "?")
    else:
        reporter = _(f"triage.channel.{r.channel.value}")
    lines = [
        _(
            "triage.card",
            reference=r.reference,
            urgency=_(f"urgency.{r.urgency.value}"),
            status=_(f"report.status_label.{r.status.value}"),
            where=r.address or _("report.where_unknown"),
            neighbourhood=r.neighbourhood or "?",
            signs=Safe(", ".join(_(key) for key in sign_keys(r)) or "-"),
        ),
        reporter,
    ]
    if r.who:
        lines.append(_("report.who_is", who=r.who))
    if r.note:
        lines.append(_("report.note_is", note=r.note))
    return "\n".join(lines)


def actions(r: ReportRecord) -> list[list[Button]]:
    rows: list[list[Button]] = []
    if r.status in (*UNDECIDED, ReportStatus.ESCALATED):
        rows.append(
            [Button("button.open_file", OpenFileFromReport(r.id)), Button("button.attach", AttachChoices(r.id))]
        )
    if r.status in ESCALABLE:
        rows.append([Button("button.escalate", Escalate(r.id))])
    if r.status in (*UNDECIDED, ReportStatus.ESCALATED):
        rows.append([Button("button.no_action", NoActionReasons(r.id))])
    if r.reporter_id is not None and r.contact_ok:
        rows.append([Button("button.ask_reporter", AskReporter(r.id))])
    if r.person_id is not None:
        rows.append([Button("button.see_file", OpenPerson(r.person_id))])
    if r.status in OPEN_STATUSES:
        rows.append([Button("button.close_report", CloseReport(r.id))])
    rows.append([Button("button.see_reports", ListReports("todo", None, 0))])
    return rows


async def _show_report(update: Update, context: Context, report_id: int, notice: str | None = None) -> None:
    _ = await context.translator()
    view = await context.services.reports.view(report_id)
    if view is None:
        await answer(update, _("triage.unknown_report"))
        return
    text = card(_, view) if notice is None else notice + "\n\n" + card(_, view)
    await answer(update, text, buttons(_, actions(view.report)))


async def open_report(update: Update, context: Context, pressed: OpenReport) -> object:
    """Read a report; a new one becomes triaged, and its reporter learns it was read. Also the way Back from
    the name or question steps, which it ends."""
    user = update.effective_user
    assert user is not None
    report_id = pressed.report_id
    context.drafts.triage_report = None
    await context.services.reports.triage(report_id, user.id)
    await _show_report(update, context, report_id)
    return END


async def attach_choices(update: Update, context: Context, pressed: AttachChoices) -> None:
    _ = await context.translator()
    report_id = pressed.report_id
    persons = await context.services.reports.attach_candidates(report_id)
    rows = [[Button.labelled(f"{p.name} · {p.address}", AttachReport(report_id, p.id))] for p in persons]
    rows.append([Button("button.back", OpenReport(report_id))])
    await answer(update, _("triage.attach_pick") if persons else _("triage.attach_none"), buttons(_, rows))


async def attach(update: Update, context: Context, pressed: AttachReport) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    report_id = pressed.report_id
    done = await context.services.reports.attach(report_id, pressed.person_id, user.id)
    await _show_report(update, context, report_id, _("triage.attached") if done else _("triage.not_changed"))


async def no_action_reasons(update: Update, context: Context, pressed: NoActionReasons) -> None:
    _ = await context.translator()
    report_id = pressed.report_id
    rows = [[Button(f"reason.{reason}", NoAction(report_id, reason))] for reason in NO_ACTION_REASONS]
    rows.append([Button("button.back", OpenReport(report_id))])
    await answer(update, _("triage.no_action_why"), buttons(_, rows))


async def no_action(update: Update, context: Context, pressed: NoAction) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    done = await context.services.reports.no_action(pressed.report_id, pressed.reason, user.id)
    notice = _("triage.no_action_done") if done else _("triage.not_changed")
    await _show_report(update, context, pressed.report_id, notice)


async def escalate(update: Update, context: Context, pressed: Escalate) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    report_id = pressed.report_id
    told = await context.services.reports.escalate(report_id, user.id)
    if told is None:
        notice = _("triage.not_changed")
    elif told == 0:
        notice = _("triage.no_professional")
    else:
        notice = _("triage.escalated", count=told)
    await _show_report(update, context, report_id, notice)


async def close(update: Update, context: Context, pressed: CloseReport) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    report_id = pressed.report_id
    done = await context.services.reports.close(report_id, user.id)
    await _show_report(update, context, report_id, _("triage.closed") if done else _("triage.not_changed"))


# --- conversations: the person's name, the question to the reporter -----------------------------------------
def _back(report_id: int) -> list[list[Button]]:
    """Back to the report (which ends the step), or Cancel."""
    return [[Button("button.back", OpenReport(report_id)), CANCEL]]


async def ask_name(update: Update, context: Context, pressed: OpenFileFromReport) -> object:
    _ = await context.translator()
    report_id = pressed.report_id
    view = await context.services.reports.view(report_id)
    if view is None:
        await answer(update, _("triage.unknown_report"))
        return END
    context.drafts.triage_report = report_id
    await answer(update, _("triage.ask_name", who=view.report.who or "-"), buttons(_, _back(report_id)))
    return NAME


@requires(Role.COORDINATOR)
async def name_typed(update: Update, context: Context) -> object:
    _ = await context.translator()
    user = update.effective_user
    assert update.message is not None and update.message.text is not None and user is not None
    report_id = context.drafts.triage_report
    if report_id is None:
        return await step_closed(update, context)
    match await context.services.reports.open_file(report_id, user.id, update.message.text):
        case PersonRecord(name=name):
            notice = _("triage.file_opened", name=name)
        case Edit.BAD_NAME:
            await answer(update, _("triage.bad_name"), buttons(_, _back(report_id)))
            return None
        case _:
            notice = _("triage.not_changed")
    context.drafts.triage_report = None
    await _show_report(update, context, report_id, notice)
    return END


async def ask_question(update: Update, context: Context, pressed: AskReporter) -> object:
    _ = await context.translator()
    report_id = pressed.report_id
    context.drafts.triage_report = report_id
    await answer(update, _("triage.ask_question"), buttons(_, _back(report_id)))
    return QUESTION


@requires(Role.COORDINATOR)
async def question_typed(update: Update, context: Context) -> object:
    _ = await context.translator()
    user = update.effective_user
    assert update.message is not None and update.message.text is not None and user is not None
    report_id = context.drafts.triage_report
    if report_id is None:
        return await step_closed(update, context)
    match await context.services.reports.ask_reporter(report_id, user.id, update.message.text, update.update_id):
        case TooLong() | NoWords() as text:
            await answer(update, refused(_, text), buttons(_, _back(report_id)))
            return None
        case Relay.SENT:
            notice = _("triage.question_sent")
        case Relay.NOT_POSSIBLE:
            notice = _("triage.not_changed")
    context.drafts.triage_report = None
    await _show_report(update, context, report_id, notice)
    return END


async def send_digest(context: Context) -> None:
    """The daily job: the reports still waiting for a decision."""
    await context.services.reports.send_digest()


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND

    return [
        # First: while a name or a question is awaited, Back (the report's own button) ends the step.
        ConversationHandler(
            entry_points=[on(OpenFileFromReport, ask_name), on(AskReporter, ask_question)],
            states={
                NAME: [MessageHandler(text, name_typed)],
                QUESTION: [MessageHandler(text, question_typed)],
            },
            fallbacks=[*cancel_handlers(), on(OpenReport, open_report)],
            name="triage",
            persistent=True,
            allow_reentry=True,
        ),
        command(commands.REPORTS, list_command),
        on(ListReports, list_pressed),
        on(PickReportArea, pick_area),
        on(OpenReport, open_report),
        on(AttachChoices, attach_choices),
        on(AttachReport, attach),
        on(NoActionReasons, no_action_reasons),
        on(NoAction, no_action),
        on(Escalate, escalate),
        on(CloseReport, close),
    ]
