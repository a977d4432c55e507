"""The quick report, one hand in the street: where, what was seen, how urgent, then send.

From the first screen, "Danger now" shows the emergency numbers and alerts the coordinators before anything
else is asked. A pin, one sign and Send are enough: who, a note, anonymity and contact are optional on the
same screen. The report is stored before it is acknowledged, once per sending update (a replay after a
crash finds it). A coordinator enters a report received by phone or in person through the same flow.
"""

from __future__ import annotations

from typing import Any

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import (
    BaseHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

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
    ToggleAnonymous,
    ToggleContact,
    ToggleSign,
)
from bot.domain.actions.start import StartReport
from bot.domain.callbacks import Button
from bot.domain.places import Point
from bot.domain.reports import SIGNS, Channel, Place, ReportContent, Urgency
from bot.handlers.access import command, on, plain
from bot.handlers.common import Context, answer, buttons, draft
from bot.handlers.leaving import CANCEL, MENU, cancel_handlers
from bot.i18n import Translator
from bot.services.addresses import MAX_ADDRESS_CHARS, Address, LookupOutcome
from bot.services.reports import MAX_NOTE_CHARS, MAX_WHO_CHARS, LimitReached

CHANNEL, WHERE, PICK, SIGNS_STATE, TEXT = "rp.channel", "rp.where", "rp.pick", "rp.signs", "rp.text"
ANSWER = "rp.answer"
END = ConversationHandler.END
DRAFT = "report"
BACK = Button("button.back", BackToWhere())


def _draft(context: Context) -> dict[str, Any]:
    found = draft(context).get(DRAFT)
    if not isinstance(found, dict):
        found = _fresh(Channel.TELEGRAM)
        draft(context)[DRAFT] = found
    return found


def _fresh(channel: Channel) -> dict[str, Any]:
    # Anonymous unless the reporter says otherwise: the plan names "the report is not anonymous" as a risk.
    return {
        "channel": channel.value,
        "place": None,
        "typed": None,
        "choices": [],
        "signs": [],
        "urgency": Urgency.SOON.value,
        "anonymous": True,
        "contact_ok": False,
        "who": None,
        "note": None,
        "awaiting": None,
        "danger_id": None,
    }


def _place_of(address: Address) -> dict[str, Any]:
    return {
        "street_id": address.street_id,
        "address": address.label,
        "lat": address.lat,
        "lon": address.lon,
        "neighbourhood": address.neighbourhood,
    }


def _content(d: dict[str, Any]) -> ReportContent:
    place = d["place"] or {}
    return ReportContent(
        place=Place(
            street_id=place.get("street_id"),
            address=place.get("address"),
            lat=place.get("lat"),
            lon=place.get("lon"),
            neighbourhood=place.get("neighbourhood"),
        ),
        signs=[sign for sign in SIGNS if sign in d["signs"]],
        urgency=Urgency(d["urgency"]),
        who=d["who"],
        note=d["note"],
        anonymous=bool(d["anonymous"]),
        contact_ok=bool(d["contact_ok"]),
    )


def _people(update: Update, d: dict[str, Any]) -> tuple[Channel, int | None, int | None]:
    """Channel, reporter and the coordinator who entered it for someone who called or came in."""
    user = update.effective_user
    assert user is not None
    channel = Channel(d["channel"])
    if channel == Channel.TELEGRAM:
        return channel, user.id, None
    return channel, None, user.id


# --- where ---------------------------------------------------------------------------------------------
async def begin(update: Update, context: Context) -> str:
    draft(context)[DRAFT] = _fresh(Channel.TELEGRAM)
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


async def channel_chosen(update: Update, context: Context, chosen: ChooseReportChannel) -> str:
    fresh = _fresh(chosen.channel)
    fresh["anonymous"] = False
    draft(context)[DRAFT] = fresh
    return await ask_where(update, context)


async def ask_where(update: Update, context: Context) -> str:
    _ = await context.translator()
    if update.callback_query is not None:
        await update.callback_query.answer()
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    pin = ReplyKeyboardMarkup(
        [[KeyboardButton(_("button.share_location"), request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    await chat.send_message(_("report.ask_where"), reply_markup=pin)
    rows = [[Button("button.danger_now", DangerNow())]]
    if _draft(context)["channel"] == Channel.TELEGRAM:
        for street in await context.services.addresses.watched_by(user.id):
            rows.append(
                [Button.labelled(_.label("button.my_street", street=street.label), ReportAtMyStreet(street.street_id))]
            )
    rows.append([CANCEL])
    await chat.send_message(_("report.where_buttons"), reply_markup=buttons(_, rows))
    return WHERE


async def my_street(update: Update, context: Context, pressed: ReportAtMyStreet) -> str:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    street_id = pressed.street_id
    # The button proves nothing: the street must be one this user watches now.
    mine = [s for s in await context.services.addresses.watched_by(user.id) if s.street_id == street_id]
    if not mine:
        await answer(update, _("fallback.stale_button"))
        return await ask_where(update, context)
    _draft(context)["place"] = _place_of(mine[0])
    return await show_signs(update, context)


async def pin_shared(update: Update, context: Context) -> str:
    _ = await context.translator()
    assert update.message is not None and update.message.location is not None
    pin = update.message.location
    address = await context.services.addresses.at_pin(Point(pin.latitude, pin.longitude))
    if address is None:
        town = context.services.settings.town.name
        await answer(update, _("report.outside_town", town=town), buttons(_, [[CANCEL]]))
        return WHERE
    _draft(context)["place"] = _place_of(address)
    await answer(update, _("street.location_received"), ReplyKeyboardRemove())
    return await show_signs(update, context, new_message=True)


async def address_typed(update: Update, context: Context) -> str:
    _ = await context.translator()
    assert update.message is not None and update.message.text is not None
    text = update.message.text.strip()
    if len(text) > MAX_ADDRESS_CHARS:
        await answer(update, _("report.too_long", limit=MAX_ADDRESS_CHARS), buttons(_, [[CANCEL]]))
        return WHERE
    lookup = await context.services.addresses.lookup(text)
    d = _draft(context)
    if lookup.outcome == LookupOutcome.OUTSIDE:
        town = context.services.settings.town.name
        await answer(update, _("report.outside_town", town=town), buttons(_, [[CANCEL]]))
        return WHERE
    d["typed"] = text
    d["choices"] = [_place_of(choice) for choice in lookup.choices]
    rows = [[Button.labelled(choice.label, PickReportAddress(index))] for index, choice in enumerate(lookup.choices)]
    rows.append([Button("button.keep_typed", KeepTypedReportAddress())])
    rows.append([BACK, CANCEL])
    key = "report.pick_address" if lookup.choices else "report.address_unknown"
    await answer(update, _(key, typed=text), buttons(_, rows))
    return PICK


async def address_picked(update: Update, context: Context, picked: PickReportAddress) -> str:
    d = _draft(context)
    index = picked.index
    if not 0 <= index < len(d["choices"]):
        return await ask_where(update, context)
    d["place"] = d["choices"][index]
    return await show_signs(update, context)


async def keep_typed(update: Update, context: Context, _action: KeepTypedReportAddress) -> str:
    d = _draft(context)
    if not d["typed"]:
        return await ask_where(update, context)
    # Never drop what was typed: the coordinator reads it even when no street matched.
    d["place"] = {"address": d["typed"]}
    return await show_signs(update, context)


# --- signs, urgency and the rest on one screen -----------------------------------------------------------
def _check(on: bool) -> str:
    return "✅ " if on else "▫️ "


def signs_keyboard(_: Translator, d: dict[str, Any]) -> list[list[Button]]:
    toggles = [Button.labelled(_check(s in d["signs"]) + _(f"sign.{s}"), ToggleSign(s)) for s in SIGNS]
    rows = [toggles[i : i + 2] for i in range(0, len(toggles), 2)]
    rows.append(
        [
            Button.labelled(_check(d["urgency"] == u.value) + _(f"urgency.{u.value}"), ChooseUrgency(u))
            for u in (Urgency.SOON, Urgency.LATER)
        ]
    )
    rows.append([Button("button.who", AskWho()), Button("button.note", AskNote())])
    if d["channel"] == Channel.TELEGRAM:
        rows.append(
            [
                Button.labelled(_check(d["anonymous"]) + _("button.anonymous"), ToggleAnonymous()),
                Button.labelled(_check(d["contact_ok"]) + _("button.contact_ok"), ToggleContact()),
            ]
        )
    rows.append([Button("button.danger_now", DangerNow())])
    rows.append([Button("button.send_report", SendReport())])
    rows.append([BACK, CANCEL])
    return rows


async def show_signs(update: Update, context: Context, new_message: bool = False) -> str:
    _ = await context.translator()
    d = _draft(context)
    place = d["place"] or {}
    text = _("report.ask_signs", where=place.get("address") or _("report.where_unknown"))
    if d["who"]:
        text += "\n" + _("report.who_is", who=d["who"])
    if d["note"]:
        text += "\n" + _("report.note_is", note=d["note"])
    markup = buttons(_, signs_keyboard(_, d))
    chat = update.effective_chat
    if new_message and chat is not None:
        await chat.send_message(text, reply_markup=markup)
    else:
        await answer(update, text, markup)
    return SIGNS_STATE


async def toggle(
    update: Update, context: Context, pressed: ToggleSign | ChooseUrgency | ToggleAnonymous | ToggleContact
) -> str:
    d = _draft(context)
    match pressed:
        case ToggleSign(sign=sign):
            d["signs"] = [s for s in SIGNS if (s in d["signs"]) != (s == sign)]
        case ChooseUrgency(urgency=urgency):
            d["urgency"] = urgency.value
        case ToggleAnonymous():
            d["anonymous"] = not d["anonymous"]
        case ToggleContact():
            d["contact_ok"] = not d["contact_ok"]
    return await show_signs(update, context)


async def ask_text(update: Update, context: Context, pressed: AskWho | AskNote) -> str:
    _ = await context.translator()
    field = "who" if isinstance(pressed, AskWho) else "note"
    _draft(context)["awaiting"] = field
    key = "report.ask_who" if field == "who" else "report.ask_note"
    await answer(update, _(key), buttons(_, [[Button("button.back", BackToSigns()), CANCEL]]))
    return TEXT


async def text_typed(update: Update, context: Context) -> str:
    _ = await context.translator()
    assert update.message is not None and update.message.text is not None
    d = _draft(context)
    field = "who" if d["awaiting"] == "who" else "note"
    text = " ".join(update.message.text.split()) if field == "who" else update.message.text.strip()
    limit = MAX_WHO_CHARS if field == "who" else MAX_NOTE_CHARS
    back = buttons(_, [[Button("button.back", BackToSigns()), CANCEL]])
    if len(text) > limit:
        await answer(update, _("report.too_long", limit=limit), back)
        return TEXT
    if not any(char.isalnum() for char in text):
        await answer(update, _("report.needs_words"), back)
        return TEXT
    d[field] = text
    d["awaiting"] = None
    return await show_signs(update, context, new_message=True)


# --- danger and sending ---------------------------------------------------------------------------------
async def danger(update: Update, context: Context, _action: DangerNow) -> object:
    _ = await context.translator()
    if update.callback_query is not None:
        await update.callback_query.answer()
    svc = context.services
    chat = update.effective_chat
    assert chat is not None
    numbers = svc.settings.emergency
    # The numbers first, before anything is stored or asked: they are what saves a life.
    await chat.send_message(
        _(
            "report.emergency_numbers",
            samu=numbers.samu,
            european=numbers.european,
            service=numbers.social_service_name,
            phone=numbers.social_service_phone,
        ),
        reply_markup=ReplyKeyboardRemove(),
    )
    d = _draft(context)
    d["urgency"] = Urgency.DANGER.value
    if d["danger_id"] is None:
        channel, reporter, entered_by = _people(update, d)
        raised = await svc.reports.raise_danger(
            _content(d), update_id=update.update_id, channel=channel, reporter_id=reporter, entered_by=entered_by
        )
        if isinstance(raised, LimitReached):
            # The numbers above stay: only the desk is spared one more alert.
            await chat.send_message(
                _("report.danger_limit", samu=numbers.samu, european=numbers.european),
                reply_markup=buttons(_, [[MENU]]),
            )
            draft(context).pop(DRAFT, None)
            return END
        d["danger_id"] = raised.id
    await chat.send_message(_("report.danger_alerted"))
    if d["place"] is None:
        return await ask_where(update, context)
    return await show_signs(update, context, new_message=True)


async def send(update: Update, context: Context, _action: SendReport) -> object:
    _ = await context.translator()
    d = _draft(context)
    channel, reporter, entered_by = _people(update, d)
    report = await context.services.reports.submit(
        _content(d),
        update_id=update.update_id,
        channel=channel,
        reporter_id=reporter,
        entered_by=entered_by,
        danger_report_id=d["danger_id"],
    )
    if isinstance(report, LimitReached):
        # The draft stays: the reporter can send it later, or call.
        numbers = context.services.settings.emergency
        limited = _("report.limit_reached", service=numbers.social_service_name, phone=numbers.social_service_phone)
        await answer(update, limited, buttons(_, [[Button("button.send_report", SendReport())], [CANCEL]]))
        return SIGNS_STATE
    key = "report.sent" if channel == Channel.TELEGRAM else "report.entered"
    await answer(update, _(key, reference=report.reference), buttons(_, [[MENU]]))
    draft(context).pop(DRAFT, None)
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
    draft(context)["answering"] = report_id
    await answer(update, _("report.ask_answer"), buttons(_, [[CANCEL]]))
    return ANSWER


async def answer_typed(update: Update, context: Context) -> object:
    _ = await context.translator()
    user = update.effective_user
    assert update.message is not None and update.message.text is not None and user is not None
    text = update.message.text.strip()
    if len(text) > MAX_NOTE_CHARS or not any(char.isalnum() for char in text):
        key = "report.needs_words" if len(text) <= MAX_NOTE_CHARS else "report.too_long"
        await answer(update, _(key, limit=MAX_NOTE_CHARS), buttons(_, [[CANCEL]]))
        return ANSWER
    report_id = draft(context).get("answering")
    relayed = isinstance(report_id, int) and await context.services.reports.answer_from_reporter(
        report_id, user.id, text, update.update_id
    )
    draft(context).pop("answering", None)
    await answer(update, _("report.answer_sent") if relayed else _("fallback.stale_button"), buttons(_, [[MENU]]))
    return END


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND
    where: list[BaseHandler[Update, Context, object]] = [
        MessageHandler(filters.LOCATION, pin_shared),
        MessageHandler(text, address_typed),
        on(DangerNow, danger),
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
                WHERE: [*where, on(ReportAtMyStreet, my_street)],
                PICK: [
                    *where,
                    on(PickReportAddress, address_picked),
                    on(KeepTypedReportAddress, keep_typed),
                    on(BackToWhere, plain(ask_where)),
                ],
                SIGNS_STATE: [
                    on(ToggleSign, toggle),
                    on(ChooseUrgency, toggle),
                    on(ToggleAnonymous, toggle),
                    on(ToggleContact, toggle),
                    on(AskWho, ask_text),
                    on(AskNote, ask_text),
                    on(SendReport, send),
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
