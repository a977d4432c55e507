"""The quick report, one hand in the street: where, what was seen, then send.

Where is asked in one message whose big buttons are the location pin, "my street" for a caring neighbour,
"Danger now" and Cancel. "Danger now" shows the emergency numbers and alerts the coordinators before anything
else is asked; after it, only what is still missing is asked. The signs come on one short screen with Send at
the top; urgency, needs, who, a note, anonymity and contact are optional details behind one button. The report
is stored before it is acknowledged, once per sending update (a replay after a crash finds it). A coordinator
enters a report received by phone or in person through the same flow.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import BaseHandler, ConversationHandler, MessageHandler, filters

from bot.domain import commands
from bot.domain.actions.report import (
    AnswerQuestion,
    AskNote,
    AskWho,
    BackToSigns,
    BackToWhere,
    ChooseReportChannel,
    ChooseUrgency,
    DangerNow,
    KeepTypedReportAddress,
    PickReportAddress,
    ReportAtMyStreet,
    SendReport,
    ShowReportDetails,
    ToggleAnonymous,
    ToggleContact,
    ToggleSign,
)
from bot.domain.actions.start import Cancel, StartReport
from bot.domain.callbacks import Button
from bot.domain.places import Address
from bot.domain.reports import NEED_SIGNS, SEEN_SIGNS, SIGNS, Channel, Place, Relay, ReportContent, Urgency
from bot.domain.texts import NoWords, TooLong, Written
from bot.handlers.access import command, may_press, on, plain
from bot.handlers.address_step import AddressStep
from bot.handlers.common import Callback, Context, answer, buttons, refused, step_closed
from bot.handlers.drafts import ReportDraft, ReportText
from bot.handlers.leaving import CANCEL, MENU, cancel, cancel_handlers
from bot.handlers.street_picker import ask_place, place_noted, shortcut
from bot.i18n import Safe, Translator
from bot.services.reports import LimitReached

CHANNEL, WHERE, PICK, SIGNS_STATE, TEXT = "rp.channel", "rp.where", "rp.pick", "rp.signs", "rp.text"
ANSWER = "rp.answer"
END = ConversationHandler.END
BACK = Button("button.back", BackToWhere())
DANGER = Button("button.danger_now", DangerNow())
SEND = Button("button.send_report", SendReport())

Step = Callable[[Update, Context, ReportDraft], Awaitable[object]]


def drafted(step: Step) -> Callback[object]:
    """A step of a report underway: without its draft (dropped at an upgrade, or the report sent meanwhile)
    it says it is closed."""

    async def run(update: Update, context: Context) -> object:
        found = context.drafts.report
        if found is None:
            return await step_closed(update, context)
        return await step(update, context, found)

    return run


def _content(d: ReportDraft) -> ReportContent:
    return ReportContent(
        place=d.place or Place(),
        signs=[sign for sign in SIGNS if sign in d.signs],
        urgency=d.urgency,
        who=d.who,
        note=d.note,
        anonymous=d.anonymous,
        contact_ok=d.contact_ok,
    )


def _people(update: Update, d: ReportDraft) -> tuple[Channel, int | None, int | None]:
    """Channel, reporter and the coordinator who entered it for someone who called or came in."""
    user = update.effective_user
    assert user is not None
    if d.channel == Channel.TELEGRAM:
        return d.channel, user.id, None
    return d.channel, None, user.id


# --- where ---------------------------------------------------------------------------------------------
async def begin(update: Update, context: Context) -> object:
    context.drafts.report = ReportDraft()
    return await ask_where(update, context)


async def begin_entered(update: Update, context: Context) -> str:
    _ = await context.translator()
    rows = [
        [
            Button("report.channel.phone", ChooseReportChannel(Channel.PHONE)),
            Button("report.channel.in_person", ChooseReportChannel(Channel.IN_PERSON)),
        ],
        [CANCEL],
    ]
    await answer(update, _("report.ask_channel"), buttons(_, rows))
    return CHANNEL


async def channel_chosen(update: Update, context: Context, chosen: ChooseReportChannel) -> object:
    # Someone who called or came in is known to the coordinator who enters it: not anonymous to the team.
    context.drafts.report = ReportDraft(channel=chosen.channel, anonymous=False)
    return await ask_where(update, context)


async def _where_shortcuts(update: Update, context: Context, d: ReportDraft) -> list[Button]:
    """My street (for a caring neighbour reporting for themselves), then "Danger now" unless already raised."""
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    rows: list[Button] = []
    if d.channel == Channel.TELEGRAM:
        for street in await context.services.addresses.watched_by(user.id):
            if street.street_id is not None:
                label = _.label("button.my_street", street=street.label)
                rows.append(Button.labelled(label, ReportAtMyStreet(street.street_id)))
    return rows if d.danger_id is not None else [*rows, DANGER]


@drafted
async def ask_where(update: Update, context: Context, d: ReportDraft) -> str:
    _ = await context.translator()
    d.found = None
    key = "report.ask_where" if d.danger_id is None else "report.danger_where"
    await ask_place(update, context, _(key), await _where_shortcuts(update, context, d))
    return WHERE


@drafted
async def where_text(update: Update, context: Context, d: ReportDraft) -> object:
    """Typed text: one of the question's buttons, else an address."""
    pressed = await shortcut(update, context, await _where_shortcuts(update, context, d))
    if pressed is None:
        return await ADDRESS.typed(update, context)
    if not await may_press(update, context, pressed):
        return None
    match pressed:
        case ReportAtMyStreet():
            return await my_street(update, context, pressed)
        case DangerNow():
            return await danger(update, context, pressed)
        case Cancel():
            return await cancel(update, context)
    return None


async def my_street(update: Update, context: Context, pressed: ReportAtMyStreet) -> object:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    # The button proves nothing: the street must be one this user watches now.
    mine = [s for s in await context.services.addresses.watched_by(user.id) if s.street_id == pressed.street_id]
    if not mine:
        await answer(update, _("fallback.stale_button"))
        return await ask_where(update, context)
    await place_noted(update, context)
    return await _place_chosen(update, context, mine[0])


async def _place_chosen(update: Update, context: Context, address: Address) -> object:
    d = context.drafts.report
    if d is None:
        return await step_closed(update, context)
    d.place, d.found = Place.of(address), None
    return await show_signs(update, context, new_message=True)


ADDRESS: AddressStep[ReportDraft] = AddressStep(
    picking=PICK,
    pick=PickReportAddress,
    keep=KeepTypedReportAddress(),
    draft=lambda context: context.drafts.report,
    way_back=lambda _draft: [BACK, CANCEL],
    chosen=_place_chosen,
)


# --- what was seen: one short screen, and the optional details behind one button -------------------------------
def _check(on: bool) -> str:
    return "✅ " if on else "▫️ "


def _toggles(_: Translator, d: ReportDraft, signs: tuple[str, ...]) -> list[list[Button]]:
    toggles = [Button.labelled(_check(s in d.signs) + _(f"sign.{s}"), ToggleSign(s)) for s in signs]
    return [toggles[i : i + 2] for i in range(0, len(toggles), 2)]


def signs_keyboard(_: Translator, d: ReportDraft) -> list[list[Button]]:
    """Send first, the signs seen from the street, the details folded, danger, the way back."""
    rows = [[SEND], *_toggles(_, d, SEEN_SIGNS), [Button("button.more_details", ShowReportDetails())]]
    if d.danger_id is None:
        rows.append([DANGER])
    return [*rows, [BACK, CANCEL]]


def details_keyboard(_: Translator, d: ReportDraft) -> list[list[Button]]:
    rows: list[list[Button]] = []
    if d.danger_id is None:
        urgencies = (Urgency.SOON, Urgency.LATER)
        rows.append(
            [Button.labelled(_check(d.urgency == u) + _(f"urgency.{u.value}"), ChooseUrgency(u)) for u in urgencies]
        )
    rows += _toggles(_, d, NEED_SIGNS)
    rows.append([Button("button.who", AskWho()), Button("button.note", AskNote())])
    if d.channel == Channel.TELEGRAM:
        rows.append(
            [
                Button.labelled(_check(d.anonymous) + _("button.anonymous"), ToggleAnonymous()),
                Button.labelled(_check(d.contact_ok) + _("button.contact_ok"), ToggleContact()),
            ]
        )
    return [*rows, [Button("button.back", BackToSigns()), SEND]]


def _signs_text(_: Translator, d: ReportDraft) -> str:
    lines = [_("report.danger_noted")] if d.danger_id is not None else []
    lines.append(_("report.ask_signs", where=(d.place.address if d.place else None) or _("report.where_unknown")))
    if d.who:
        lines.append(_("report.who_is", who=d.who))
    if d.note:
        lines.append(_("report.note_is", note=d.note))
    return "\n".join(lines)


async def show_signs(update: Update, context: Context, new_message: bool = False) -> object:
    _ = await context.translator()
    d = context.drafts.report
    if d is None:
        return await step_closed(update, context)
    text, markup = _signs_text(_, d), buttons(_, signs_keyboard(_, d))
    chat = update.effective_chat
    if new_message and chat is not None:
        await chat.send_message(text, reply_markup=markup)
    else:
        await answer(update, text, markup)
    return SIGNS_STATE


@drafted
async def show_details(update: Update, context: Context, d: ReportDraft) -> str:
    _ = await context.translator()
    await answer(update, _("report.details"), buttons(_, details_keyboard(_, d)))
    return SIGNS_STATE


async def toggle(
    update: Update, context: Context, pressed: ToggleSign | ChooseUrgency | ToggleAnonymous | ToggleContact
) -> object:
    """A tick on the screen it is on: a sign seen on the first, the rest among the details."""
    d = context.drafts.report
    if d is None:
        return await step_closed(update, context)
    match pressed:
        case ToggleSign(sign=sign):
            d.signs = [s for s in SIGNS if (s in d.signs) != (s == sign)]
            if sign in SEEN_SIGNS:
                return await show_signs(update, context)
        case ChooseUrgency(urgency=urgency):
            d.urgency = urgency
        case ToggleAnonymous():
            d.anonymous = not d.anonymous
        case ToggleContact():
            d.contact_ok = not d.contact_ok
    return await show_details(update, context)


async def ask_text(update: Update, context: Context, pressed: AskWho | AskNote) -> object:
    _ = await context.translator()
    d = context.drafts.report
    if d is None:
        return await step_closed(update, context)
    d.awaiting = ReportText.WHO if isinstance(pressed, AskWho) else ReportText.NOTE
    key = "report.ask_who" if d.awaiting == ReportText.WHO else "report.ask_note"
    await answer(update, _(key), buttons(_, [[Button("button.back", BackToSigns()), CANCEL]]))
    return TEXT


@drafted
async def text_typed(update: Update, context: Context, d: ReportDraft) -> object:
    _ = await context.translator()
    assert update.message is not None and update.message.text is not None
    reports = context.services.reports
    read = reports.read_who if d.awaiting == ReportText.WHO else reports.read_note
    match read(update.message.text):
        case Written(text=text):
            if d.awaiting == ReportText.WHO:
                d.who = text
            else:
                d.note = text
            d.awaiting = None
            return await show_signs(update, context, new_message=True)
        case TooLong() | NoWords() as text:
            await answer(update, refused(_, text), buttons(_, [[Button("button.back", BackToSigns()), CANCEL]]))
            return None


# --- danger and sending ---------------------------------------------------------------------------------
async def danger(update: Update, context: Context, _action: DangerNow) -> object:
    _ = await context.translator()
    if update.callback_query is not None:
        await update.callback_query.answer()
    d = context.drafts.report
    if d is None:
        return await step_closed(update, context)
    svc = context.services
    chat = update.effective_chat
    assert chat is not None
    emergency = svc.settings.emergency
    lines = [_("report.emergency_line", label=_(f"emergency.{kind}"), number=n) for kind, n in emergency.numbers()]
    lines.append(_("report.emergency_line", label=emergency.social_service_name, number=emergency.social_service_phone))
    numbers = Safe("\n".join(lines))
    # The numbers first, before anything is stored or asked: they are what saves a life.
    await chat.send_message(_("report.emergency_numbers", numbers=numbers), reply_markup=ReplyKeyboardRemove())
    d.urgency = Urgency.DANGER
    if d.danger_id is None:
        channel, reporter, entered_by = _people(update, d)
        raised = await svc.reports.raise_danger(
            _content(d), update_id=update.update_id, channel=channel, reporter_id=reporter, entered_by=entered_by
        )
        if isinstance(raised, LimitReached):
            # The numbers above stay: only the desk is spared one more alert.
            await chat.send_message(
                _("report.danger_limit", numbers=numbers),
                reply_markup=buttons(_, [[MENU]]),
            )
            context.drafts.report = None
            return END
        d.danger_id = raised.id
    # Then only what is still missing, once: where, or what was seen.
    if d.place is None:
        return await ask_where(update, context)
    return await show_signs(update, context, new_message=True)


@drafted
async def send(update: Update, context: Context, d: ReportDraft) -> object:
    _ = await context.translator()
    channel, reporter, entered_by = _people(update, d)
    report = await context.services.reports.submit(
        _content(d),
        update_id=update.update_id,
        channel=channel,
        reporter_id=reporter,
        entered_by=entered_by,
        danger_report_id=d.danger_id,
    )
    if isinstance(report, LimitReached):
        # The draft stays: the reporter can send it later, or call.
        numbers = context.services.settings.emergency
        limited = _("report.limit_reached", service=numbers.social_service_name, phone=numbers.social_service_phone)
        await answer(update, limited, buttons(_, [[SEND], [CANCEL]]))
        return SIGNS_STATE
    key = "report.sent" if channel == Channel.TELEGRAM else "report.entered"
    await answer(update, _(key, reference=report.reference), buttons(_, [[MENU]]))
    context.drafts.report = None
    return END


# --- after sending -----------------------------------------------------------------------------------------
async def my_reports(update: Update, context: Context) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    reports = await context.services.reports.mine(user.id)
    if not reports:
        await answer(update, _("report.mine_none"), buttons(_, [[Button("menu.report", StartReport())]]))
        return
    lines = [
        _("report.mine_line", reference=r.reference, status=_(f"report.status_label.{r.status.value}")) for r in reports
    ]
    await answer(update, _("report.mine") + "\n" + "\n".join(lines))


async def ask_answer(update: Update, context: Context, pressed: AnswerQuestion) -> object:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    report_id = pressed.report_id
    if report_id not in {r.id for r in await context.services.reports.mine(user.id)}:
        await answer(update, _("fallback.stale_button"))
        return END
    context.drafts.answering = report_id
    await answer(update, _("report.ask_answer"), buttons(_, [[CANCEL]]))
    return ANSWER


async def answer_typed(update: Update, context: Context) -> object:
    _ = await context.translator()
    user = update.effective_user
    assert update.message is not None and update.message.text is not None and user is not None
    report_id = context.drafts.answering
    if report_id is None:
        return await step_closed(update, context)
    match await context.services.reports.answer_from_reporter(
        report_id, user.id, update.message.text, update.update_id
    ):
        case TooLong() | NoWords() as text:
            await answer(update, refused(_, text), buttons(_, [[CANCEL]]))
            return None
        case Relay.SENT:
            told = _("report.answer_sent")
        case Relay.NOT_POSSIBLE:
            told = _("fallback.stale_button")
    context.drafts.answering = None
    await answer(update, told, buttons(_, [[MENU]]))
    return END


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND
    where: list[BaseHandler[Update, Context, object]] = [
        MessageHandler(filters.LOCATION, ADDRESS.pinned),
        MessageHandler(text, where_text),
        on(DangerNow, danger),
        # A neighbour's street was an inline button before the question became one message.
        on(ReportAtMyStreet, my_street),
        on(BackToWhere, plain(ask_where)),
    ]
    return [
        ConversationHandler(
            entry_points=[
                on(StartReport, plain(begin)),
                command(commands.REPORT, begin),
                command(commands.NEW_REPORT, begin_entered),
            ],
            states={
                CHANNEL: [on(ChooseReportChannel, channel_chosen)],
                WHERE: where,
                PICK: [*where, on(PickReportAddress, ADDRESS.picked), on(KeepTypedReportAddress, ADDRESS.kept)],
                SIGNS_STATE: [
                    on(ToggleSign, toggle),
                    on(ChooseUrgency, toggle),
                    on(ToggleAnonymous, toggle),
                    on(ToggleContact, toggle),
                    on(ShowReportDetails, plain(show_details)),
                    on(BackToSigns, plain(show_signs)),
                    on(AskWho, ask_text),
                    on(AskNote, ask_text),
                    on(SendReport, plain(send)),
                    on(BackToWhere, plain(ask_where)),
                    on(DangerNow, danger),
                ],
                TEXT: [MessageHandler(text, text_typed), on(BackToSigns, plain(show_signs))],
            },
            fallbacks=cancel_handlers(),
            name="report",
            persistent=True,
            allow_reentry=True,
        ),
        ConversationHandler(
            entry_points=[on(AnswerQuestion, ask_answer)],
            states={ANSWER: [MessageHandler(text, answer_typed)]},
            fallbacks=cancel_handlers(),
            name="report_answer",
            persistent=True,
            allow_reentry=True,
        ),
        command(commands.MY_REPORTS, my_reports),
    ]
