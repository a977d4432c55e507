"""The file of a person followed, for coordinators and professionals only: every field with buttons, a few
typed (name, address, phone, a date), and /persons to find a file by name or street. Each reading of a whole
file is written to the audit log; every id and value in a button is checked again by the service.

Buttons carry all they need (the person's id and the value, bot/domain/actions/persons.py), so they work in
or out of a typing step; pressed during one, they end it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, timedelta

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler, MessageHandler, filters

from bot.domain import commands
from bot.domain.actions.persons import (
    AskConsentDay,
    AskPersonField,
    EndFollowUp,
    KeepTypedPersonAddress,
    ListAllPersons,
    ListPersons,
    OpenPerson,
    PersonScreen,
    PickPersonAddress,
    RecordSatisfaction,
    RemovePhone,
    SearchPersons,
    SetAddressForm,
    SetConsentDay,
    SetLossDay,
    SetPersonStatus,
    SetVisitFrequency,
    SetVisitorGender,
    StopBereavement,
    TogglePersonLanguage,
    TogglePersonNeed,
    TogglePersonSlot,
    WithdrawConsent,
)
from bot.domain.actions.privacy import ErasePerson
from bot.domain.callbacks import Action, Button
from bot.domain.persons import (
    CONSENT_WAYS,
    END_REASONS,
    SATISFACTION_LEVELS,
    VISIT_FREQUENCIES,
    VISITOR_GENDERS,
    AddressForm,
    CheckinsScheduled,
    Edit,
    FileField,
    PersonRecord,
    PersonStatus,
)
from bot.domain.places import Address
from bot.domain.reports import NEEDS
from bot.domain.roles import STAFF
from bot.handlers.access import command, on, requires
from bot.handlers.address_step import AddressStep
from bot.handlers.choices import day_label, language_name, slot_grid, slot_label
from bot.handlers.common import Context, answer, buttons, stale, step_closed
from bot.handlers.drafts import ConsentDayStep, FileFieldStep, SearchStep
from bot.handlers.leaving import CANCEL, cancel, cancel_handlers
from bot.handlers.mini_app import desk_rows
from bot.handlers.pages import Listing, show_page
from bot.handlers.street_picker import ask_place, place_noted, shortcut
from bot.i18n import Safe, Translator
from bot.services.persons import MAX_SEARCH_CHARS, PersonFile

TYPING, PICK = "pe.typing", "pe.pick"
END = ConversationHandler.END
RECENT_DAYS = 7
REFUSALS = {Edit.BAD_NAME: "triage.bad_name", Edit.BAD_PHONE: "person.bad_phone", Edit.BAD_DATE: "person.bad_date"}
# A file a line, with its button: a page a phone reads at a glance.
PERSONS_A_PAGE = 10
STATUS_MARKS = {PersonStatus.ACTIVE: "", PersonStatus.PAUSED: "⏸ ", PersonStatus.ENDED: "⏹ "}


def _actor(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


def _back(person_id: int) -> Button:
    return Button("button.back", OpenPerson(person_id))


# --- the file -------------------------------------------------------------------------------------------
def render(_: Translator, file: PersonFile, slot_labels: dict[str, str]) -> str:
    person = file.person
    about = person.grammar
    status = _(f"person.status.{person.status.value}", about=about)
    if person.status == PersonStatus.ENDED and person.ended_reason in END_REASONS:
        status += f" ({_(f'person.end_reason.{person.ended_reason}', about=about)})"
    consent = _("person.consent_missing")
    if person.consent_at and person.consent_how in CONSENT_WAYS:
        on = _.format_date(date.fromisoformat(person.consent_at), "medium")
        consent = _("person.consent_given", how=_(f"person.consent.{person.consent_how}"), on=on)
    bereavement = "-"
    if person.bereavement_on:
        loss = _.format_date(date.fromisoformat(person.bereavement_on), "medium")
        upcoming = file.next_checkin
        following = _.format_date(upcoming, "medium") if upcoming else _("person.no_checkin_left")
        bereavement = _("person.bereavement", loss=loss, next=following)
    satisfaction = _("person.satisfaction_never")
    if file.satisfaction is not None:
        asked_on, level = file.satisfaction
        level_said = _(f"person.satisfaction.{level}", about=about)
        satisfaction = _("person.satisfaction_asked", level=level_said, on=_.format_date(asked_on, "medium"))
    reports = ", ".join(
        _("person.report", reference=r.reference, status=_(f"report.status_label.{r.status.value}"))
        for r in file.reports
    )
    return _(
        "person.file",
        name=person.name,
        status=status,
        called=_(f"person.called.{person.address_as.value}") if person.address_as else _("person.called_unknown"),
        address=person.address or _("person.no_address"),
        phone=person.phone or "-",
        needs=Safe(", ".join(_(f"need.{need}") for need in person.needs) or "-"),
        frequency=person.visits_per_month,
        slots=", ".join(slot_labels[s] for s in slot_labels if s in person.slots) or _("person.any_slot"),
        languages=", ".join(language_name(_, code) for code in person.languages) or "-",
        visitors=_(f"person.visitors.{person.visitor_gender}"),
        consent=consent,
        bereavement=bereavement,
        satisfaction=satisfaction,
        reports=Safe(reports or "-"),
    )


def file_buttons(person: PersonRecord) -> list[list[Button]]:
    pid = person.id
    rows = [
        [
            Button("person.edit.name", AskPersonField(pid, FileField.NAME)),
            Button("person.edit.called", PersonScreen(pid, "called")),
        ],
        [
            Button("person.edit.address", AskPersonField(pid, FileField.ADDRESS)),
            Button("person.edit.phone", AskPersonField(pid, FileField.PHONE)),
        ],
        [
            Button("person.edit.needs", PersonScreen(pid, "needs")),
            Button("person.edit.frequency", PersonScreen(pid, "freq")),
        ],
        [
            Button("person.edit.slots", PersonScreen(pid, "slots")),
            Button("person.edit.languages", PersonScreen(pid, "langs")),
        ],
        [
            Button("person.edit.visitors", PersonScreen(pid, "gender")),
            Button("person.edit.consent", PersonScreen(pid, "consent")),
        ],
        [
            Button("person.edit.bereavement", AskPersonField(pid, FileField.LOSS)),
            Button("person.edit.satisfaction", PersonScreen(pid, "satisf")),
        ],
    ]
    end = Button("person.end", PersonScreen(pid, "end"))
    if person.status == PersonStatus.ACTIVE:
        rows.append([Button("person.set_status.paused", SetPersonStatus(pid, PersonStatus.PAUSED)), end])
    elif person.status == PersonStatus.PAUSED:
        rows.append([Button("person.set_status.active", SetPersonStatus(pid, PersonStatus.ACTIVE)), end])
    else:
        rows.append([Button("person.set_status.active", SetPersonStatus(pid, PersonStatus.ACTIVE))])
    # Coordinators only: the button is refused to anyone else (bot/handlers/privacy.py).
    rows.append([Button("button.erase_file", ErasePerson(pid))])
    rows.append([Button("button.persons_list", ListPersons(0))])
    return rows


async def _show_file(
    update: Update, context: Context, person_id: int, notice: str | None = None, new_message: bool = False
) -> None:
    """The whole file, as it is now; the reading goes to the audit log."""
    _ = await context.translator()
    svc = context.services
    file = await svc.persons.open(person_id, _actor(update))
    if file is None:
        await answer(update, _("person.unknown"), buttons(_, [[Button("button.persons_list", ListPersons(0))]]))
        return
    labels = {slot.id: slot_label(_, slot) for slot in svc.settings.slots}
    text = render(_, file, labels)
    text, markup = (text if notice is None else f"{notice}\n\n{text}"), buttons(_, file_buttons(file.person))
    chat = update.effective_chat
    if new_message and chat is not None:
        await chat.send_message(text, reply_markup=markup)
    else:
        await answer(update, text, markup)


async def open_file(update: Update, context: Context, pressed: OpenPerson) -> object:
    """The file; also Back from any typed step, which it ends."""
    context.drafts.person_edit = None
    await _show_file(update, context, pressed.person_id)
    return END


# --- screens of one field ---------------------------------------------------------------------------------
def _check(on: bool) -> str:
    return "✅ " if on else "▫️ "


def _screen_rows(_: Translator, person: PersonRecord, screen: str, context: Context) -> list[list[Button]]:
    pid = person.id
    svc = context.services
    if screen == "needs":
        toggles = [
            Button.labelled(_check(n in person.needs) + _.label(f"need.{n}"), TogglePersonNeed(pid, n)) for n in NEEDS
        ]
        return [*(toggles[i : i + 2] for i in range(0, len(toggles), 2)), [Button("button.done", OpenPerson(pid))]]
    if screen == "freq":
        choices = [
            Button.labelled(
                ("✅ " if f == person.visits_per_month else "") + _("person.per_month", count=f),
                SetVisitFrequency(pid, f),
            )
            for f in VISIT_FREQUENCIES
        ]
        return [choices, [_back(pid)]]
    if screen == "slots":
        return [
            *slot_grid(_, svc.settings.slots, person.slots, functools.partial(TogglePersonSlot, pid)),
            [Button("button.done", OpenPerson(pid))],
        ]
    if screen == "langs":
        toggles = [
            Button.labelled(_check(code in person.languages) + language_name(_, code), TogglePersonLanguage(pid, code))
            for code in svc.settings.volunteers.languages
        ]
        return [*(toggles[i : i + 2] for i in range(0, len(toggles), 2)), [Button("button.done", OpenPerson(pid))]]
    if screen == "gender":
        return [
            *(
                [
                    Button.labelled(
                        ("✅ " if g == person.visitor_gender else "") + _(f"person.visitors.{g}"),
                        SetVisitorGender(pid, g),
                    )
                ]
                for g in VISITOR_GENDERS
            ),
            [_back(pid)],
        ]
    if screen == "called":
        forms = [
            Button.labelled(
                ("✅ " if form == person.address_as else "") + _(f"person.called.{form.value}"),
                SetAddressForm(pid, form),
            )
            for form in AddressForm
        ]
        return [forms, [_back(pid)]]
    if screen == "consent":
        rows = [[Button(f"person.consent.{how}", AskConsentDay(pid, how))] for how in CONSENT_WAYS]
        if person.consent_at:
            rows.append([Button("person.withdraw_consent", WithdrawConsent(pid))])
        return [*rows, [_back(pid)]]
    about = person.grammar
    if screen == "satisf":
        levels = [
            [Button.labelled(_.label(f"person.satisfaction.{level}", about=about), RecordSatisfaction(pid, level))]
            for level in SATISFACTION_LEVELS
        ]
        return [*levels, [_back(pid)]]
    # end: why the follow-up ends
    reasons = [
        [Button.labelled(_.label(f"person.end_reason.{r}", about=about), EndFollowUp(pid, r))] for r in END_REASONS
    ]
    return [*reasons, [_back(pid)]]


async def _show_screen(update: Update, context: Context, person_id: int, screen: str) -> None:
    _ = await context.translator()
    person = await context.services.persons.get(person_id)
    if person is None:
        await answer(update, _("person.unknown"))
        return
    title = _(f"person.screen.{screen}", name=person.name, about=person.grammar)
    await answer(update, title, buttons(_, _screen_rows(_, person, screen, context)))


async def open_screen(update: Update, context: Context, pressed: PersonScreen) -> object:
    await _show_screen(update, context, pressed.person_id, pressed.screen)
    return END


Change = (
    TogglePersonNeed
    | TogglePersonSlot
    | TogglePersonLanguage
    | SetVisitFrequency
    | SetVisitorGender
    | SetAddressForm
    | SetPersonStatus
    | EndFollowUp
    | RecordSatisfaction
    | WithdrawConsent
    | RemovePhone
    | StopBereavement
)


async def change(update: Update, context: Context, pressed: Change) -> object:
    """A toggle redraws its screen; a choice goes back to the file. Nothing changes when the value is not one
    the service accepts (an old or forged button)."""
    person_id, actor = pressed.person_id, _actor(update)
    persons = context.services.persons
    screen = ""
    match pressed:
        case TogglePersonNeed(need=need):
            edit, screen = await persons.toggle_need(person_id, actor, need), "needs"
        case TogglePersonSlot(slot_id=slot_id):
            edit, screen = await persons.toggle_slot(person_id, actor, slot_id), "slots"
        case TogglePersonLanguage(code=code):
            edit, screen = await persons.toggle_language(person_id, actor, code), "langs"
        case SetVisitFrequency(per_month=per_month):
            edit = await persons.set_frequency(person_id, actor, per_month)
        case SetVisitorGender(gender=gender):
            edit = await persons.set_visitor_gender(person_id, actor, gender)
        case SetAddressForm(form=form):
            edit = await persons.set_address_as(person_id, actor, form)
        case SetPersonStatus(status=status):
            edit = await persons.set_status(person_id, actor, status)
        case EndFollowUp(reason=reason):
            edit = await persons.end(person_id, actor, reason)
        case RecordSatisfaction(level=level):
            edit = await persons.record_satisfaction(person_id, actor, level)
        case WithdrawConsent():
            edit = await persons.withdraw_consent(person_id, actor)
        case RemovePhone():
            edit = await persons.set_phone(person_id, actor, None)
        case StopBereavement():
            edit = await persons.stop_bereavement(person_id, actor)
    context.drafts.person_edit = None
    if edit != Edit.CHANGED:
        await stale(update, context)
    if screen:
        await _show_screen(update, context, person_id, screen)
    else:
        await _show_file(update, context, person_id)
    return END


# --- dates: a loss, a consent --------------------------------------------------------------------------------
def _recent_days(_: Translator, today: date, pick: Callable[[date], Action]) -> list[list[Button]]:
    days = [today - timedelta(days=i) for i in range(RECENT_DAYS)]
    labels = [_("person.today"), _("person.yesterday"), *(day_label(_, d) for d in days[2:])]
    choices = [Button.labelled(label, pick(d)) for label, d in zip(labels, days, strict=True)]
    return [choices[i : i + 4] for i in range(0, len(choices), 4)]


async def _edited(
    update: Update, context: Context, person_id: int, edit: Edit | CheckinsScheduled, new_message: bool = False
) -> object:
    """What a typed value, a day or an address came to: the file as it is now, or why nothing changed (the
    step stays open for another try)."""
    _ = await context.translator()
    match edit:
        case CheckinsScheduled(days=days):
            scheduled = ", ".join(_.format_date(day, "medium") for day in days) or _("person.no_checkin_left")
            notice: str | None = _("person.checkins_scheduled", days=scheduled)
        case Edit.CHANGED:
            notice = None
        case Edit.BAD_NAME | Edit.BAD_PHONE | Edit.BAD_DATE:
            # A phone refused shows one written as the town's country writes them.
            example = {"example": context.services.persons.phone_example()} if edit is Edit.BAD_PHONE else {}
            await answer(update, _(REFUSALS[edit], **example), buttons(_, [[_back(person_id), CANCEL]]))
            return None
        case Edit.NOT_POSSIBLE:
            context.drafts.person_edit = None
            await answer(update, _("person.unknown"), buttons(_, [[Button("button.persons_list", ListPersons(0))]]))
            return END
    context.drafts.person_edit = None
    await _show_file(update, context, person_id, notice, new_message)
    return END


async def day_pressed(update: Update, context: Context, pressed: SetLossDay | SetConsentDay) -> object:
    """The day of a loss, or of a consent, picked among the recent days."""
    persons, actor = context.services.persons, _actor(update)
    context.drafts.person_edit = None
    if isinstance(pressed, SetLossDay):
        edit = await persons.follow_bereavement(pressed.person_id, actor, pressed.day)
    else:
        edit = await persons.set_consent(pressed.person_id, actor, pressed.how, pressed.day)
    if not isinstance(edit, CheckinsScheduled) and edit != Edit.CHANGED:
        await stale(update, context)
        return END
    return await _edited(update, context, pressed.person_id, edit)


# --- typed steps: name, address, phone, a date, a search --------------------------------------------------------
async def ask(update: Update, context: Context, pressed: AskPersonField | AskConsentDay) -> object:
    """A field to type (name, address, phone, the day of a loss), or the day of a consent given that way."""
    _ = await context.translator()
    svc = context.services
    pid = pressed.person_id
    person = await svc.persons.get(pid)
    if person is None:
        await answer(update, _("person.unknown"))
        return END
    if isinstance(pressed, AskPersonField):
        context.drafts.person_edit = FileFieldStep(person_id=pid, field=pressed.field)
    else:
        context.drafts.person_edit = ConsentDayStep(person_id=pid, how=pressed.how)
    rows: list[list[Button]] = []
    match pressed:
        case AskPersonField(field=FileField.ADDRESS):
            await ask_place(update, context, _("person.ask_address", name=person.name), [_back(pid)])
            return TYPING
        case AskPersonField(field=FileField.NAME):
            text = _("person.ask_name", name=person.name)
        case AskPersonField(field=FileField.PHONE):
            text = _("person.ask_phone", name=person.name, example=svc.persons.phone_example())
            if person.phone:
                rows.append([Button("person.remove_phone", RemovePhone(pid))])
        case AskPersonField(field=FileField.LOSS):
            text = _("person.ask_loss", name=person.name)
            rows = _recent_days(_, svc.persons.today(), functools.partial(SetLossDay, pid))
            if person.bereavement_on:
                rows.append([Button("person.stop_bereavement", StopBereavement(pid))])
        case AskConsentDay(how=how):
            text = _("person.ask_consent_date", name=person.name, how=_(f"person.consent.{how}"))
            rows = _recent_days(_, svc.persons.today(), functools.partial(SetConsentDay, pid, how))
    rows.append([_back(pid), CANCEL])
    await answer(update, text, buttons(_, rows))
    return TYPING


async def ask_search(update: Update, context: Context, _action: SearchPersons) -> object:
    _ = await context.translator()
    context.drafts.person_edit = SearchStep()
    await answer(update, _("persons.ask_search"), buttons(_, [[Button("button.back", ListPersons(0)), CANCEL]]))
    return TYPING


@requires(*STAFF)
async def typed(update: Update, context: Context) -> object:
    assert update.message is not None and update.message.text is not None
    text, step = update.message.text, context.drafts.person_edit
    persons, actor = context.services.persons, _actor(update)
    match step:
        case None:
            return await step_closed(update, context)
        case SearchStep():
            context.drafts.person_edit = None
            context.drafts.persons_query = " ".join(text.split())[:MAX_SEARCH_CHARS]
            await _show_list(update, context, 0)
            return END
        case FileFieldStep(field=FileField.ADDRESS):
            return await _address_text(update, context, step)
        case FileFieldStep(field=FileField.NAME):
            edit: Edit | CheckinsScheduled = await persons.rename(step.person_id, actor, text)
        case FileFieldStep(field=FileField.PHONE):
            edit = await persons.set_phone(step.person_id, actor, text)
        case FileFieldStep(field=FileField.LOSS):
            edit = await persons.follow_bereavement(step.person_id, actor, text)
        case ConsentDayStep(how=how):
            edit = await persons.set_consent(step.person_id, actor, how, text)
    return await _edited(update, context, step.person_id, edit)


async def _address_text(update: Update, context: Context, step: FileFieldStep) -> object:
    """Typed text in the address step: Back or Cancel (the question's buttons), else an address."""
    pressed = await shortcut(update, context, [_back(step.person_id)])
    match pressed:
        case None:
            return await ADDRESS.typed(update, context)
        case OpenPerson():
            await place_noted(update, context, "address.unchanged")
            context.drafts.person_edit = None
            await _show_file(update, context, step.person_id, new_message=True)
            return END
    return await cancel(update, context)


def _address_step(context: Context) -> FileFieldStep | None:
    step = context.drafts.person_edit
    return step if isinstance(step, FileFieldStep) and step.field == FileField.ADDRESS else None


async def _address_chosen(update: Update, context: Context, address: Address) -> object:
    step = _address_step(context)
    if step is None:
        return await step_closed(update, context)
    edit = await context.services.persons.set_address(step.person_id, _actor(update), address)
    return await _edited(update, context, step.person_id, edit, new_message=True)


ADDRESS: AddressStep[FileFieldStep] = AddressStep(
    picking=PICK,
    pick=PickPersonAddress,
    keep=KeepTypedPersonAddress(),
    draft=_address_step,
    way_back=lambda step: [_back(step.person_id), CANCEL],
    chosen=_address_chosen,
)


@requires(*STAFF)
async def pinned(update: Update, context: Context) -> object:
    if _address_step(context) is None:
        _ = await context.translator()
        await answer(update, _("fallback.stray_text"))
        return None
    return await ADDRESS.pinned(update, context)


# --- /persons: find a file ---------------------------------------------------------------------------------
async def _show_list(update: Update, context: Context, page: int) -> None:
    _ = await context.translator()
    query = context.drafts.persons_query
    found = await context.services.persons.search(query)
    rows = [
        [Button("persons.search", SearchPersons()), *([Button("persons.show_all", ListAllPersons())] if query else [])],
        *desk_rows(context),
    ]
    title = _("persons.list_header", count=len(found)) if found else _("persons.none")
    if query:
        title = _("persons.searched_list", list=title, query=query)
    listing = Listing(
        title,
        [_("persons.list_line", mark=STATUS_MARKS[p.status], name=p.name, address=p.address or "?") for p in found],
        line_buttons=[(Button.labelled(f"{STATUS_MARKS[p.status]}{p.name}", OpenPerson(p.id)),) for p in found],
        max_lines=PERSONS_A_PAGE,
    )
    await show_page(update, _, listing, page, ListPersons, rows)


async def list_command(update: Update, context: Context) -> object:
    """/persons, or /persons <part of a name or a street>."""
    context.drafts.person_edit = None
    context.drafts.persons_query = " ".join(context.args or [])[:MAX_SEARCH_CHARS]
    await _show_list(update, context, 0)
    return END


async def list_pressed(update: Update, context: Context, pressed: ListPersons | ListAllPersons) -> object:
    context.drafts.person_edit = None
    if isinstance(pressed, ListAllPersons):
        context.drafts.persons_query = ""
        await _show_list(update, context, 0)
    else:
        await _show_list(update, context, pressed.page)
    return END


async def remind_checkins(context: Context) -> None:
    """The daily job, and the run at start for what fell due while the bot was stopped."""
    await context.services.persons.remind_checkins()


CHANGES: tuple[type[Change], ...] = (
    TogglePersonNeed,
    TogglePersonSlot,
    TogglePersonLanguage,
    SetVisitFrequency,
    SetVisitorGender,
    SetAddressForm,
    SetPersonStatus,
    EndFollowUp,
    RecordSatisfaction,
    WithdrawConsent,
    RemovePhone,
    StopBereavement,
)


def _stateless() -> list[BaseHandler[Update, Context, object]]:
    """Buttons whose data is the whole request: fresh handlers each call, for the typing step's fallbacks too."""
    changes: list[BaseHandler[Update, Context, object]] = [on(action, change) for action in CHANGES]
    return [
        on(OpenPerson, open_file),
        on(PersonScreen, open_screen),
        *changes,
        on(SetLossDay, day_pressed),
        on(SetConsentDay, day_pressed),
        on(ListPersons, list_pressed),
        on(ListAllPersons, list_pressed),
    ]


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND
    return [
        ConversationHandler(
            entry_points=[on(AskPersonField, ask), on(AskConsentDay, ask), on(SearchPersons, ask_search)],
            states={
                TYPING: [MessageHandler(text, typed), MessageHandler(filters.LOCATION, pinned)],
                PICK: [
                    on(PickPersonAddress, ADDRESS.picked),
                    on(KeepTypedPersonAddress, ADDRESS.kept),
                    MessageHandler(text, typed),
                    MessageHandler(filters.LOCATION, pinned),
                ],
            },
            fallbacks=[*cancel_handlers(), command(commands.PERSONS, list_command), *_stateless()],
            name="person_file",
            persistent=True,
            allow_reentry=True,
        ),
        command(commands.PERSONS, list_command),
        *_stateless(),
    ]
