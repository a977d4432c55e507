"""The coordinator's desk: the list of reports, and for each one a file, an attachment, no action, an
escalation to the expert unit, or a question relayed to the reporter. Every id in a button is checked again
in the service: a button proves nothing."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.handlers.common import Context, answer, buttons, draft, requires, services, translator
from bot.handlers.leaving import CANCEL, cancel_handlers
from bot.i18n import Safe, Translator
from bot.notices import Button
from bot.services.persons import valid_name
from bot.services.reports import ESCALABLE, MAX_QUESTION_CHARS, NO_ACTION_REASONS, CoordinatorView, sign_keys
from bot.services.roles import Role
from bot.storage.reports import OPEN_STATUSES, UNDECIDED, Channel, ReportRecord, ReportStatus

NAME, QUESTION = "tr.name", "tr.question"
END = ConversationHandler.END
# The list's filters: "todo" is every report still waiting for a decision, read or not.
FILTERS: dict[str, tuple[ReportStatus, ...]] = {
    "todo": UNDECIDED,
    **{s.value: (s,) for s in ReportStatus},
    "all": tuple(ReportStatus),
}
STATUSES = "|".join(FILTERS)
LIST_FILTERS = ("todo", "followed", "escalated", "all")
URGENCY_MARK = {"danger": "🔴", "soon": "🟠", "later": "🟢"}


def _ids(data: str) -> list[int]:
    return [int(part) for part in data.split(":")[2:]]


# --- the list ------------------------------------------------------------------------------------------
@requires(Role.COORDINATOR)
async def list_command(update: Update, context: Context) -> None:
    await _show_list(update, context, "todo", "-", 0)


@requires(Role.COORDINATOR)
async def list_pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    _prefix, _verb, status, area, page = query.data.split(":")
    await _show_list(update, context, status, area, int(page))


async def _show_list(update: Update, context: Context, status: str, area: str, page: int) -> None:
    _ = await translator(update, context)
    svc = services(context)
    areas = [n.name for n in svc.settings.town.neighbourhoods]
    neighbourhood = areas[int(area)] if area.isdigit() and int(area) < len(areas) else None
    area = area if neighbourhood is not None else "-"
    found = await svc.reports.page(FILTERS[status], neighbourhood, page)
    rows = [
        [
            Button.labelled(
                f"{URGENCY_MARK[r.urgency.value]} {r.reference} · {r.neighbourhood or '?'}", f"tr:open:{r.id}"
            )
        ]
        for r in found.reports
    ]
    paging = []
    if found.page > 0:
        paging.append(Button("button.previous", f"tr:list:{status}:{area}:{found.page - 1}"))
    if found.page + 1 < found.pages:
        paging.append(Button("button.next", f"tr:list:{status}:{area}:{found.page + 1}"))
    if paging:
        rows.append(paging)
    rows.append(
        [
            Button.labelled(("• " if status == s else "") + _(f"report.filter.{s}"), f"tr:list:{s}:{area}:0")
            for s in LIST_FILTERS
        ]
    )
    rows.append([Button("button.by_neighbourhood", f"tr:areas:{status}")])
    title = _("triage.list", count=found.total, page=found.page + 1, pages=found.pages)
    if neighbourhood:
        title = _("triage.list_in_area", list=Safe(title), area=neighbourhood)
    await answer(update, title if found.total else _("triage.empty"), buttons(_, rows))


@requires(Role.COORDINATOR)
async def pick_area(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query = update.callback_query
    assert query is not None and query.data is not None
    status = query.data.split(":")[2]
    names = [n.name for n in services(context).settings.town.neighbourhoods]
    choices = [Button.labelled(name, f"tr:list:{status}:{i}:0") for i, name in enumerate(names)]
    rows = [choices[i : i + 2] for i in range(0, len(choices), 2)]
    rows.append([Button("button.all_neighbourhoods", f"tr:list:{status}:-:0")])
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
        rows.append([Button("button.open_file", f"tr:file:{r.id}"), Button("button.attach", f"tr:attach:{r.id}")])
    if r.status in ESCALABLE:
        rows.append([Button("button.escalate", f"tr:esc:{r.id}")])
    if r.status in (*UNDECIDED, ReportStatus.ESCALATED):
        rows.append([Button("button.no_action", f"tr:noact:{r.id}")])
    if r.reporter_id is not None and r.contact_ok:
        rows.append([Button("button.ask_reporter", f"tr:ask:{r.id}")])
    if r.person_id is not None:
        rows.append([Button("button.see_file", f"pe:open:{r.person_id}")])
    if r.status in OPEN_STATUSES:
        rows.append([Button("button.close_report", f"tr:close:{r.id}")])
    rows.append([Button("button.see_reports", "tr:list:todo:-:0")])
    return rows


async def _show_report(update: Update, context: Context, report_id: int, notice: str | None = None) -> None:
    _ = await translator(update, context)
    view = await services(context).reports.view(report_id)
    if view is None:
        await answer(update, _("triage.unknown_report"))
        return
    text = card(_, view) if notice is None else notice + "\n\n" + card(_, view)
    await answer(update, text, buttons(_, actions(view.report)))


@requires(Role.COORDINATOR)
async def open_report(update: Update, context: Context) -> object:
    """Read a report; a new one becomes triaged, and its reporter learns it was read. Also the way Back from
    the name or question steps, which it ends."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    report_id = _ids(query.data)[0]
    draft(context).pop("triage_report", None)
    await services(context).reports.triage(report_id, user.id)
    await _show_report(update, context, report_id)
    return END


@requires(Role.COORDINATOR)
async def attach_choices(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query = update.callback_query
    assert query is not None and query.data is not None
    report_id = _ids(query.data)[0]
    persons = await services(context).reports.attach_candidates(report_id)
    rows = [[Button.labelled(f"{p.name} · {p.address}", f"tr:link:{report_id}:{p.id}")] for p in persons]
    rows.append([Button("button.back", f"tr:open:{report_id}")])
    await answer(update, _("triage.attach_pick") if persons else _("triage.attach_none"), buttons(_, rows))


@requires(Role.COORDINATOR)
async def attach(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    report_id, person_id = _ids(query.data)
    done = await services(context).reports.attach(report_id, person_id, user.id)
    await _show_report(update, context, report_id, _("triage.attached") if done else _("triage.not_changed"))


@requires(Role.COORDINATOR)
async def no_action_reasons(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query = update.callback_query
    assert query is not None and query.data is not None
    report_id = _ids(query.data)[0]
    rows = [[Button(f"reason.{reason}", f"tr:na:{report_id}:{reason}")] for reason in NO_ACTION_REASONS]
    rows.append([Button("button.back", f"tr:open:{report_id}")])
    await answer(update, _("triage.no_action_why"), buttons(_, rows))


@requires(Role.COORDINATOR)
async def no_action(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    _prefix, _verb, raw_id, reason = query.data.split(":")
    done = await services(context).reports.no_action(int(raw_id), reason, user.id)
    await _show_report(update, context, int(raw_id), _("triage.no_action_done") if done else _("triage.not_changed"))


@requires(Role.COORDINATOR)
async def escalate(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    report_id = _ids(query.data)[0]
    told = await services(context).reports.escalate(report_id, user.id)
    if told is None:
        notice = _("triage.not_changed")
    elif told == 0:
        notice = _("triage.no_professional")
    else:
        notice = _("triage.escalated", count=told)
    await _show_report(update, context, report_id, notice)


@requires(Role.COORDINATOR)
async def close(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    report_id = _ids(query.data)[0]
    done = await services(context).reports.close(report_id, user.id)
    await _show_report(update, context, report_id, _("triage.closed") if done else _("triage.not_changed"))


# --- conversations: the person's name, the question to the reporter -----------------------------------------
def _back(report_id: int) -> list[list[Button]]:
    """Back to the report (which ends the step), or Cancel."""
    return [[Button("button.back", f"tr:open:{report_id}"), CANCEL]]


@requires(Role.COORDINATOR)
async def ask_name(update: Update, context: Context) -> object:
    _ = await translator(update, context)
    query = update.callback_query
    assert query is not None and query.data is not None
    report_id = _ids(query.data)[0]
    view = await services(context).reports.view(report_id)
    if view is None:
        await answer(update, _("triage.unknown_report"))
        return END
    draft(context)["triage_report"] = report_id
    await answer(update, _("triage.ask_name", who=view.report.who or "-"), buttons(_, _back(report_id)))
    return NAME


@requires(Role.COORDINATOR)
async def name_typed(update: Update, context: Context) -> object:
    _ = await translator(update, context)
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
    person = await services(context).reports.open_file(report_id, user.id, name)
    if person is None:
        await _show_report(update, context, report_id, _("triage.not_changed"))
    else:
        await _show_report(update, context, report_id, _("triage.file_opened", name=person.name))
    return END


@requires(Role.COORDINATOR)
async def ask_question(update: Update, context: Context) -> object:
    _ = await translator(update, context)
    query = update.callback_query
    assert query is not None and query.data is not None
    report_id = _ids(query.data)[0]
    draft(context)["triage_report"] = report_id
    await answer(update, _("triage.ask_question"), buttons(_, _back(report_id)))
    return QUESTION


@requires(Role.COORDINATOR)
async def question_typed(update: Update, context: Context) -> object:
    _ = await translator(update, context)
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
    sent = await services(context).reports.ask_reporter(report_id, user.id, question, update.update_id)
    await _show_report(update, context, report_id, _("triage.question_sent") if sent else _("triage.not_changed"))
    return END


async def send_digest(context: Context) -> None:
    """The daily job: the reports still waiting for a decision."""
    await services(context).reports.send_digest()


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND

    def opening() -> CallbackQueryHandler[Context, object]:
        return CallbackQueryHandler(open_report, pattern=r"^tr:open:\d{1,9}$")

    return [
        # First: while a name or a question is awaited, Back (the report's own button) ends the step.
        ConversationHandler(
            entry_points=[
                CallbackQueryHandler(ask_name, pattern=r"^tr:file:\d{1,9}$"),
                CallbackQueryHandler(ask_question, pattern=r"^tr:ask:\d{1,9}$"),
            ],
            states={
                NAME: [MessageHandler(text, name_typed)],
                QUESTION: [MessageHandler(text, question_typed)],
            },
            fallbacks=[*cancel_handlers(), opening()],
            name="triage",
            persistent=True,
            allow_reentry=True,
        ),
        CommandHandler("reports", list_command),
        CallbackQueryHandler(list_pressed, pattern=rf"^tr:list:({STATUSES}):(-|\d{{1,3}}):\d{{1,4}}$"),
        CallbackQueryHandler(pick_area, pattern=rf"^tr:areas:({STATUSES})$"),
        opening(),
        CallbackQueryHandler(attach_choices, pattern=r"^tr:attach:\d{1,9}$"),
        CallbackQueryHandler(attach, pattern=r"^tr:link:\d{1,9}:\d{1,9}$"),
        CallbackQueryHandler(no_action_reasons, pattern=r"^tr:noact:\d{1,9}$"),
        CallbackQueryHandler(no_action, pattern=rf"^tr:na:\d{{1,9}}:({'|'.join(NO_ACTION_REASONS)})$"),
        CallbackQueryHandler(escalate, pattern=r"^tr:esc:\d{1,9}$"),
        CallbackQueryHandler(close, pattern=r"^tr:close:\d{1,9}$"),
    ]
