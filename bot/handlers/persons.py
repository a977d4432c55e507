"""The file of a person followed, for coordinators and professionals only: every field with buttons, a few
typed (name, address, phone, a date), and /persons to find a file by name or street. Each reading of a whole
file is written to the audit log; every id and value in a button is checked again by the service.

Buttons carry all they need (the person's id and the value, bot/domain/actions/persons.py), so they work in
or out of a typing step; pressed during one, they end it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from telegram import ReplyKeyboardRemove, Update
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
    PersonRecord,
    PersonStatus,
    PlaceOfPerson,
)
from bot.domain.places import Point
from bot.domain.reports import NEEDS
from bot.domain.roles import STAFF
from bot.handlers.access import command, on, requires
from bot.handlers.choices import day_label, language_name, slot_grid, slot_label
from bot.handlers.common import Context, answer, buttons, draft, stale
from bot.handlers.leaving import CANCEL, cancel_handlers
from bot.handlers.mini_app import desk_rows
from bot.handlers.street_picker import location_keyboard
from bot.i18n import Translator
from bot.services.addresses import MAX_ADDRESS_CHARS, Address, LookupOutcome
from bot.services.persons import PersonFile, parse_day

TYPING, PICK = "pe.typing", "pe.pick"
END = ConversationHandler.END
DRAFT = "person_edit"
QUERY = "persons_query"
RECENT_DAYS = 7


def _actor(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


def _back(person_id: int) -> Button:
    return Button("button.back", OpenPerson(person_id))


# --- the file -------------------------------------------------------------------------------------------
def render(_: Translator, file: PersonFile, slot_labels: dict[str, str]) -> str:
    person = file.person
    status = _(f"person.status.{person.status.value}")
    if person.status == PersonStatus.ENDED and person.ended_reason in END_REASONS:
        status += f" ({_(f'person.end_reason.{person.ended_reason}')})"
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
        satisfaction = _(
            "person.satisfaction_asked", level=_(f"person.satisfaction.{level}"), on=_.format_date(asked_on, "medium")
        )
    reports = ", ".join(f"{r.reference} ({_(f'report.status_label.{r.status.value}')})" for r in file.reports)
    return _(
        "person.file",
        name=person.name,
        status=status,
        address=person.address or _("person.no_address"),
        phone=person.phone or "-",
        needs=", ".join(_(f"sign.need_{need}") for need in person.needs) or "-",
        frequency=person.visits_per_month,
        slots=", ".join(slot_labels[s] for s in slot_labels if s in person.slots) or _("person.any_slot"),
        languages=", ".join(language_name(_, code) for code in person.languages) or "-",
        visitors=_(f"person.visitors.{person.visitor_gender}"),
        consent=consent,
        bereavement=bereavement,
        satisfaction=satisfaction,
        reports=reports or "-",
    )


def file_buttons(person: PersonRecord) -> list[list[Button]]:
    pid = person.id
    rows = [
        [
            Button("person.edit.name", AskPersonField(pid, "name")),
            Button("person.edit.address", AskPersonField(pid, "address")),
        ],
        [
            Button("person.edit.phone", AskPersonField(pid, "phone")),
            Button("person.edit.needs", PersonScreen(pid, "needs")),
        ],
        [
            Button("person.edit.frequency", PersonScreen(pid, "freq")),
            Button("person.edit.slots", PersonScreen(pid, "slots")),
        ],
        [
            Button("person.edit.languages", PersonScreen(pid, "langs")),
            Button("person.edit.visitors", PersonScreen(pid, "gender")),
        ],
        [
            Button("person.edit.consent", PersonScreen(pid, "consent")),
            Button("person.edit.bereavement", AskPersonField(pid, "loss")),
        ],
        [Button("person.edit.satisfaction", PersonScreen(pid, "satisf"))],
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


async def _show_file(update: Update, context: Context, person_id: int, notice: str | None = None) -> None:
    """The whole file, as it is now; the reading goes to the audit log."""
    _ = await context.translator()
    svc = context.services
    file = await svc.persons.open(person_id, _actor(update))
    if file is None:
        await answer(update, _("person.unknown"), buttons(_, [[Button("button.persons_list", ListPersons(0))]]))
        return
    labels = {slot.id: slot_label(_, slot) for slot in svc.settings.slots}
    text = render(_, file, labels)
    await answer(update, text if notice is None else f"{notice}\n\n{text}", buttons(_, file_buttons(file.person)))


async def open_file(update: Update, context: Context, pressed: OpenPerson) -> object:
    """The file; also Back from any typed step, which it ends."""
    draft(context).pop(DRAFT, None)
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
            Button.labelled(_check(n in person.needs) + _(f"sign.need_{n}"), TogglePersonNeed(pid, n)) for n in NEEDS
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
    if screen == "consent":
        rows = [[Button(f"person.consent.{how}", AskConsentDay(pid, how))] for how in CONSENT_WAYS]
        if person.consent_at:
            rows.append([Button("person.withdraw_consent", WithdrawConsent(pid))])
        return [*rows, [_back(pid)]]
    if screen == "satisf":
        levels = [
            [Button(f"person.satisfaction.{level}", RecordSatisfaction(pid, level))] for level in SATISFACTION_LEVELS
        ]
        return [*levels, [_back(pid)]]
    # end: why the follow-up ends
    return [*([Button(f"person.end_reason.{r}", EndFollowUp(pid, r))] for r in END_REASONS), [_back(pid)]]


async def _show_screen(update: Update, context: Context, person_id: int, screen: str) -> None:
    _ = await context.translator()
    person = await context.services.persons.get(person_id)
    if person is None:
        await answer(update, _("person.unknown"))
        return
    await answer(
        update, _(f"person.screen.{screen}", name=person.name), buttons(_, _screen_rows(_, person, screen, context))
    )


async def open_screen(update: Update, context: Context, pressed: PersonScreen) -> object:
    await _show_screen(update, context, pressed.person_id, pressed.screen)
    return END


Change = (
    TogglePersonNeed
    | TogglePersonSlot
    | TogglePersonLanguage
    | SetVisitFrequency
    | SetVisitorGender
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
            done, screen = await persons.toggle_need(person_id, actor, need), "needs"
        case TogglePersonSlot(slot_id=slot_id):
            done, screen = await persons.toggle_slot(person_id, actor, slot_id), "slots"
        case TogglePersonLanguage(code=code):
            done, screen = await persons.toggle_language(person_id, actor, code), "langs"
        case SetVisitFrequency(per_month=per_month):
            done = await persons.set_frequency(person_id, actor, per_month)
        case SetVisitorGender(gender=gender):
            done = await persons.set_visitor_gender(person_id, actor, gender)
        case SetPersonStatus(status=status):
            done = await persons.set_status(person_id, actor, status)
        case EndFollowUp(reason=reason):
            done = await persons.end(person_id, actor, reason)
        case RecordSatisfaction(level=level):
            done = await persons.record_satisfaction(person_id, actor, level)
        case WithdrawConsent():
            done = await persons.withdraw_consent(person_id, actor)
        case RemovePhone():
            done = await persons.set_phone(person_id, actor, None)
        case StopBereavement():
            done = await persons.stop_bereavement(person_id, actor)
    draft(context).pop(DRAFT, None)
    if not done:
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


async def _bereavement_set(update: Update, context: Context, person_id: int, loss: date) -> bool:
    _ = await context.translator()
    scheduled = await context.services.persons.follow_bereavement(person_id, _actor(update), loss)
    if scheduled is None:
        return False
    days = ", ".join(_.format_date(day, "medium") for day in scheduled) or _("person.no_checkin_left")
    await _show_file(update, context, person_id, _("person.checkins_scheduled", days=days))
    return True


async def _consent_set(update: Update, context: Context, person_id: int, how: str, on: date) -> bool:
    if not await context.services.persons.set_consent(person_id, _actor(update), how, on):
        return False
    await _show_file(update, context, person_id)
    return True


async def day_pressed(update: Update, context: Context, pressed: SetLossDay | SetConsentDay) -> object:
    """The day of a loss, or of a consent, picked among the recent days."""
    draft(context).pop(DRAFT, None)
    if isinstance(pressed, SetLossDay):
        done = await _bereavement_set(update, context, pressed.person_id, pressed.day)
    else:
        done = await _consent_set(update, context, pressed.person_id, pressed.how, pressed.day)
    if not done:
        await stale(update, context)
    return END


# --- typed steps: name, address, phone, a date, a search --------------------------------------------------------
async def _prompt(update: Update, context: Context, person_id: int, field: str) -> object:
    _ = await context.translator()
    svc = context.services
    person = await svc.persons.get(person_id)
    if person is None:
        await answer(update, _("person.unknown"))
        return END
    draft(context)[DRAFT] = {"id": person_id, "field": field, "choices": [], "typed": None}
    pid = person_id
    if field == "address":
        if update.callback_query is not None:
            await update.callback_query.answer()
        chat = update.effective_chat
        assert chat is not None
        await chat.send_message(_("person.ask_address", name=person.name), reply_markup=location_keyboard(_))
        await chat.send_message(_("common.or_cancel"), reply_markup=buttons(_, [[_back(pid), CANCEL]]))
        return TYPING
    rows: list[list[Button]] = []
    if field == "name":
        text = _("person.ask_name", name=person.name)
    elif field == "phone":
        text = _("person.ask_phone", name=person.name)
        if person.phone:
            rows.append([Button("person.remove_phone", RemovePhone(pid))])
    elif field == "loss":
        text = _("person.ask_loss", name=person.name)
        rows = _recent_days(_, svc.persons.today(), functools.partial(SetLossDay, pid))
        if person.bereavement_on:
            rows.append([Button("person.stop_bereavement", StopBereavement(pid))])
    else:  # consent:<how>
        how = field.split(":")[1]
        text = _("person.ask_consent_date", name=person.name, how=_(f"person.consent.{how}"))
        rows = _recent_days(_, svc.persons.today(), functools.partial(SetConsentDay, pid, how))
    rows.append([_back(pid), CANCEL])
    await answer(update, text, buttons(_, rows))
    return TYPING


async def ask(update: Update, context: Context, pressed: AskPersonField | AskConsentDay) -> object:
    """A field to type (name, address, phone, the day of a loss), or the day of a consent given that way."""
    field = pressed.field if isinstance(pressed, AskPersonField) else f"consent:{pressed.how}"
    return await _prompt(update, context, pressed.person_id, field)


async def ask_search(update: Update, context: Context, _action: SearchPersons) -> object:
    _ = await context.translator()
    draft(context)[DRAFT] = {"id": 0, "field": "search", "choices": [], "typed": None}
    await answer(update, _("persons.ask_search"), buttons(_, [[Button("button.back", ListPersons(0)), CANCEL]]))
    return TYPING


@requires(*STAFF)
async def typed(update: Update, context: Context) -> object:
    _ = await context.translator()
    assert update.message is not None and update.message.text is not None
    state = draft(context).get(DRAFT)
    if not isinstance(state, dict):
        return END
    text, person_id, field = update.message.text, int(state["id"]), str(state["field"])
    svc = context.services
    again = buttons(_, [[_back(person_id), CANCEL]])
    if field == "search":
        draft(context).pop(DRAFT, None)
        draft(context)[QUERY] = " ".join(text.split())[:100]
        await _show_list(update, context, 0)
        return END
    if field == "address":
        return await _address_typed(update, context, state, text)
    if field == "name":
        done = await svc.persons.rename(person_id, _actor(update), text)
        if not done:
            await answer(update, _("triage.bad_name"), again)
            return TYPING
        await _show_file(update, context, person_id)
    elif field == "phone":
        done = await svc.persons.set_phone(person_id, _actor(update), text)
        if not done:
            await answer(update, _("person.bad_phone"), again)
            return TYPING
        await _show_file(update, context, person_id)
    else:  # a date: loss, or consent:<how>
        day = parse_day(text, svc.persons.today())
        if field == "loss":
            done = day is not None and await _bereavement_set(update, context, person_id, day)
        else:
            done = day is not None and await _consent_set(update, context, person_id, field.split(":")[1], day)
        if not done:
            await answer(update, _("person.bad_date"), again)
            return TYPING
    draft(context).pop(DRAFT, None)
    return END


def _place(address: Address) -> dict[str, Any]:
    return {"address": address.label, "street_id": address.street_id, "lat": address.lat, "lon": address.lon}


async def _address_typed(update: Update, context: Context, state: dict[str, Any], text: str) -> object:
    _ = await context.translator()
    person_id = int(state["id"])
    again = buttons(_, [[_back(person_id), CANCEL]])
    text = text.strip()
    if len(text) > MAX_ADDRESS_CHARS:
        await answer(update, _("report.too_long", limit=MAX_ADDRESS_CHARS), again)
        return TYPING
    if not any(char.isalnum() for char in text):
        await answer(update, _("report.needs_words"), again)
        return TYPING
    lookup = await context.services.addresses.lookup(text)
    if lookup.outcome == LookupOutcome.OUTSIDE:
        await answer(update, _("report.outside_town", town=context.services.settings.town.name), again)
        return TYPING
    state["typed"] = text
    state["choices"] = [_place(choice) for choice in lookup.choices]
    rows = [[Button.labelled(c.label, PickPersonAddress(i))] for i, c in enumerate(lookup.choices)]
    rows.append([Button("button.keep_typed", KeepTypedPersonAddress())])
    rows.append([_back(person_id), CANCEL])
    key = "report.pick_address" if lookup.choices else "report.address_unknown"
    await answer(update, _(key, typed=text), buttons(_, rows))
    return PICK


async def _address_done(update: Update, context: Context, place: dict[str, Any]) -> object:
    state = draft(context).pop(DRAFT, None)
    if not isinstance(state, dict):
        return END
    person_id = int(state["id"])
    stored = PlaceOfPerson(str(place["address"]), place.get("street_id"), place.get("lat"), place.get("lon"))
    await context.services.persons.set_address(person_id, _actor(update), stored)
    await _show_file(update, context, person_id)
    return END


async def address_picked(update: Update, context: Context, picked: PickPersonAddress) -> object:
    state = draft(context).get(DRAFT)
    index = picked.index
    if not isinstance(state, dict) or not 0 <= index < len(state["choices"]):
        await stale(update, context)
        return PICK
    return await _address_done(update, context, state["choices"][index])


async def keep_typed(update: Update, context: Context, _action: KeepTypedPersonAddress) -> object:
    state = draft(context).get(DRAFT)
    if not isinstance(state, dict) or not state.get("typed"):
        await stale(update, context)
        return PICK
    # Never drop what was typed: with no street found, the address stays as the coordinator wrote it.
    return await _address_done(update, context, {"address": state["typed"]})


@requires(*STAFF)
async def pinned(update: Update, context: Context) -> object:
    _ = await context.translator()
    assert update.message is not None and update.message.location is not None
    state = draft(context).get(DRAFT)
    if not isinstance(state, dict) or state.get("field") != "address":
        await answer(update, _("fallback.stray_text"))
        return TYPING
    pin = update.message.location
    address = await context.services.addresses.at_pin(Point(pin.latitude, pin.longitude))
    if address is None:
        town = context.services.settings.town.name
        await answer(update, _("report.outside_town", town=town), buttons(_, [[_back(int(state["id"])), CANCEL]]))
        return TYPING
    await answer(update, _("street.location_received"), ReplyKeyboardRemove())
    return await _address_done(update, context, _place(address))


# --- /persons: find a file ---------------------------------------------------------------------------------
async def _show_list(update: Update, context: Context, page: int) -> None:
    _ = await context.translator()
    query = str(draft(context).get(QUERY) or "")
    found = await context.services.persons.search(query, page)
    mark = {PersonStatus.ACTIVE: "", PersonStatus.PAUSED: "⏸ ", PersonStatus.ENDED: "⏹ "}
    rows = [
        [Button.labelled(f"{mark[p.status]}{p.name} · {p.address or '?'}", OpenPerson(p.id))] for p in found.persons
    ]
    turns = []
    if found.page > 0:
        turns.append(Button("button.previous", ListPersons(found.page - 1)))
    if found.page + 1 < found.pages:
        turns.append(Button("button.next", ListPersons(found.page + 1)))
    if turns:
        rows.append(turns)
    rows.append(
        [Button("persons.search", SearchPersons()), *([Button("persons.show_all", ListAllPersons())] if query else [])]
    )
    if found.total:
        title = _("persons.list", count=found.total, page=found.page + 1, pages=found.pages)
    else:
        title = _("persons.none")
    if query:
        title += "\n" + _("persons.searched", query=query)
    await answer(update, title, buttons(_, rows + desk_rows(context)))


async def list_command(update: Update, context: Context) -> object:
    """/persons, or /persons <part of a name or a street>."""
    draft(context).pop(DRAFT, None)
    draft(context)[QUERY] = " ".join(context.args or [])[:100]
    await _show_list(update, context, 0)
    return END


async def list_pressed(update: Update, context: Context, pressed: ListPersons | ListAllPersons) -> object:
    draft(context).pop(DRAFT, None)
    if isinstance(pressed, ListAllPersons):
        draft(context)[QUERY] = ""
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
                    on(PickPersonAddress, address_picked),
                    on(KeepTypedPersonAddress, keep_typed),
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
