"""The coordinator's desk: the list of reports, and for each one a file, an attachment, no action, an
escalation to the expert unit, or a question relayed to the reporter. Every id in a button is checked again
in the service: a button proves nothing."""

from __future__ import annotations

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
from bot.domain.reports import (
    NO_ACTION_REASONS,
    OPEN_STATUSES,
    REPORT_FILTERS,
    UNDECIDED,
    Channel,
    ReportRecord,
    ReportStatus,
)
from bot.domain.roles import Role
from bot.handlers.access import command, on, requires
from bot.handlers.common import Context, answer, buttons, draft
from bot.handlers.leaving import CANCEL, cancel_handlers
from bot.i18n import Safe, Translator
from bot.services.persons import valid_name
from bot.services.reports import ESCALABLE, MAX_QUESTION_CHARS, CoordinatorView, sign_keys

NAME, QUESTION = "tr.name", "tr.question"
END = ConversationHandler.END
LIST_FILTERS = ("todo", "followed", "escalated", "all")
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
    found = await svc.reports.page(REPORT_FILTERS[status], neighbourhood, listed.page)
    rows = [
        [Button.labelled(f"{URGENCY_MARK[r.urgency.value]} {r.reference} · {r.neighbourhood or '?'}", OpenReport(r.id))]
        for r in found.reports
    ]
    paging = []
    if found.page > 0:
        paging.append(Button("button.previous", ListReports(status, area, found.page - 1)))
    if found.page + 1 < found.pages:
        paging.append(Button("button.next", ListReports(status, area, found.page + 1)))
    if paging:
        rows.append(paging)
    rows.append(
        [
            Button.labelled(("• " if status == s else "") + _(f"report.filter.{s}"), ListReports(s, area, 0))
            for s in LIST_FILTERS
        ]
    )
    rows.append([Button("button.by_neighbourhood", PickReportArea(status))])
    title = _("triage.list", count=found.total, page=found.page + 1, pages=found.pages)
    if neighbourhood:
        title = _("triage.list_in_area", list=Safe(title), area=neighbourhood)
    await answer(update, title if found.total else _("triage.empty"), buttons(_, rows))


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
            signs=", ".join(_(key) for key in sign_keys(r)) or "-",
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
    draft(context).pop("triage_report", None)
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
    draft(context)["triage_report"] = report_id
    await answer(update, _("triage.ask_name", who=view.report.who or "-"), buttons(_, _back(report_id)))
    return NAME


@requires(Role.COORDINATOR)
async def name_typed(update: Update, context: Context) -> object:
    _ = await context.translator()
    user = update.effective_user
    assert update.message is not None and update.message.text is not None and user is not None
    name = valid_name(update.message.text)
    report_id = draft(context).get("triage_report")
    if not isinstance(report_id, int):
        return END
    if name is None:
        await answer(update, _("triage.bad_name"), buttons(_, _back(report_id)))
        return NAME
    draft(context).pop("triage_report", None)
    person = await context.services.reports.open_file(report_id, user.id, name)
    if person is None:
        await _show_report(update, context, report_id, _("triage.not_changed"))
    else:
        await _show_report(update, context, report_id, _("triage.file_opened", name=person.name))
    return END


async def ask_question(update: Update, context: Context, pressed: AskReporter) -> object:
    _ = await context.translator()
    report_id = pressed.report_id
    draft(context)["triage_report"] = report_id
    await answer(update, _("triage.ask_question"), buttons(_, _back(report_id)))
    return QUESTION


@requires(Role.COORDINATOR)
async def question_typed(update: Update, context: Context) -> object:
    _ = await context.translator()
    user = update.effective_user
    assert update.message is not None and update.message.text is not None and user is not None
    question = update.message.text.strip()
    report_id = draft(context).get("triage_report")
    if not isinstance(report_id, int):
        return END
    if len(question) > MAX_QUESTION_CHARS or not any(char.isalnum() for char in question):
        key = "report.too_long" if len(question) > MAX_QUESTION_CHARS else "report.needs_words"
        await answer(update, _(key, limit=MAX_QUESTION_CHARS), buttons(_, _back(report_id)))
        return QUESTION
    draft(context).pop("triage_report", None)
    sent = await context.services.reports.ask_reporter(report_id, user.id, question, update.update_id)
    await _show_report(update, context, report_id, _("triage.question_sent") if sent else _("triage.not_changed"))
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
