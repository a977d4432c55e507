"""The file of a person followed, for coordinators and professionals only: every field with buttons, a few
typed (name, address, phone, a date), and /persons to find a file by name or street. Each reading of a whole
file is written to the audit log; every id and value in a button is checked again by the service.

Buttons carry all they need (`pe:<verb>:<person id>[:<value>]`), so they work in or out of a typing step;
pressed during one, they end it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.geo.point import Point
from bot.handlers.choices import day_label, language_name, slot_grid, slot_label
from bot.handlers.common import Context, answer, buttons, draft, requires, services, translator
from bot.handlers.leaving import CANCEL, cancel_handlers
from bot.handlers.mini_app import desk_rows
from bot.handlers.street_picker import location_keyboard
from bot.i18n import Translator
from bot.notices import Button
from bot.services.addresses import MAX_ADDRESS_CHARS, Address, LookupOutcome
from bot.services.persons import (
    CONSENT_WAYS,
    END_REASONS,
    SATISFACTION_LEVELS,
    VISIT_FREQUENCIES,
    VISITOR_GENDERS,
    PersonFile,
    parse_day,
)
from bot.services.reports import NEEDS
from bot.services.roles import Role
from bot.storage.persons import PersonRecord, PersonStatus, PlaceOfPerson

TYPING, PICK = "pe.typing", "pe.pick"
END = ConversationHandler.END
DRAFT = "person_edit"
QUERY = "persons_query"
ID = r"\d{1,9}"
DAY = r"\d{4}-\d{2}-\d{2}"
RECENT_DAYS = 7
STAFF = (Role.COORDINATOR, Role.PROFESSIONAL)


def _parts(update: Update) -> list[str]:
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data.split(":")


def _actor(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


def _back(person_id: int) -> Button:
    return Button("button.back", f"pe:open:{person_id}")


async def _stale(update: Update, context: Context) -> None:
    """A button whose data does not hold (old, forged, or a value not offered): say so, change nothing."""
    _ = await translator(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(_("fallback.stale_button"), show_alert=True)


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
        [Button("person.edit.name", f"pe:ask:{pid}:name"), Button("person.edit.address", f"pe:ask:{pid}:address")],
        [Button("person.edit.phone", f"pe:ask:{pid}:phone"), Button("person.edit.needs", f"pe:scr:{pid}:needs")],
        [Button("person.edit.frequency", f"pe:scr:{pid}:freq"), Button("person.edit.slots", f"pe:scr:{pid}:slots")],
        [
            Button("person.edit.languages", f"pe:scr:{pid}:langs"),
            Button("person.edit.visitors", f"pe:scr:{pid}:gender"),
        ],
        [
            Button("person.edit.consent", f"pe:scr:{pid}:consent"),
            Button("person.edit.bereavement", f"pe:ask:{pid}:loss"),
        ],
        [Button("person.edit.satisfaction", f"pe:scr:{pid}:satisf")],
    ]
    if person.status == PersonStatus.ACTIVE:
        rows.append(
            [Button("person.set_status.paused", f"pe:st:{pid}:paused"), Button("person.end", f"pe:scr:{pid}:end")]
        )
    elif person.status == PersonStatus.PAUSED:
        rows.append(
            [Button("person.set_status.active", f"pe:st:{pid}:active"), Button("person.end", f"pe:scr:{pid}:end")]
        )
    else:
        rows.append([Button("person.set_status.active", f"pe:st:{pid}:active")])
    # Coordinators only: the button is refused to anyone else (bot/handlers/privacy.py).
    rows.append([Button("button.erase_file", f"pv:erase:{pid}")])
    rows.append([Button("button.persons_list", "pe:list:0")])
    return rows


async def _show_file(update: Update, context: Context, person_id: int, notice: str | None = None) -> None:
    """The whole file, as it is now; the reading goes to the audit log."""
    _ = await translator(update, context)
    svc = services(context)
    file = await svc.persons.open(person_id, _actor(update))
    if file is None:
        await answer(update, _("person.unknown"), buttons(_, [[Button("button.persons_list", "pe:list:0")]]))
        return
    labels = {slot.id: slot_label(_, slot) for slot in svc.settings.slots}
    text = render(_, file, labels)
    await answer(update, text if notice is None else f"{notice}\n\n{text}", buttons(_, file_buttons(file.person)))


@requires(*STAFF)
async def open_file(update: Update, context: Context) -> object:
    """The file; also Back from any typed step, which it ends."""
    draft(context).pop(DRAFT, None)
    await _show_file(update, context, int(_parts(update)[2]))
    return END


# --- screens of one field ---------------------------------------------------------------------------------
def _check(on: bool) -> str:
    return "✅ " if on else "▫️ "


def _screen_rows(_: Translator, person: PersonRecord, screen: str, context: Context) -> list[list[Button]]:
    pid = person.id
    svc = services(context)
    if screen == "needs":
        toggles = [
            Button.labelled(_check(n in person.needs) + _(f"sign.need_{n}"), f"pe:need:{pid}:{n}") for n in NEEDS
        ]
        return [*(toggles[i : i + 2] for i in range(0, len(toggles), 2)), [Button("button.done", f"pe:open:{pid}")]]
    if screen == "freq":
        choices = [
            Button.labelled(
                ("✅ " if f == person.visits_per_month else "") + _("person.per_month", count=f), f"pe:freq:{pid}:{f}"
            )
            for f in VISIT_FREQUENCIES
        ]
        return [choices, [_back(pid)]]
    if screen == "slots":
        return [
            *slot_grid(_, svc.settings.slots, person.slots, f"pe:slot:{pid}:"),
            [Button("button.done", f"pe:open:{pid}")],
        ]
    if screen == "langs":
        toggles = [
            Button.labelled(_check(code in person.languages) + language_name(_, code), f"pe:lang:{pid}:{code}")
            for code in svc.settings.volunteers.languages
        ]
        return [*(toggles[i : i + 2] for i in range(0, len(toggles), 2)), [Button("button.done", f"pe:open:{pid}")]]
    if screen == "gender":
        return [
            *(
                [
                    Button.labelled(
                        ("✅ " if g == person.visitor_gender else "") + _(f"person.visitors.{g}"),
                        f"pe:gender:{pid}:{g}",
                    )
                ]
                for g in VISITOR_GENDERS
            ),
            [_back(pid)],
        ]
    if screen == "consent":
        rows = [[Button(f"person.consent.{how}", f"pe:consent:{pid}:{how}")] for how in CONSENT_WAYS]
        if person.consent_at:
            rows.append([Button("person.withdraw_consent", f"pe:noconsent:{pid}")])
        return [*rows, [_back(pid)]]
    if screen == "satisf":
        levels = [[Button(f"person.satisfaction.{level}", f"pe:satisf:{pid}:{level}")] for level in SATISFACTION_LEVELS]
        return [*levels, [_back(pid)]]
    # end: why the follow-up ends
    return [*([Button(f"person.end_reason.{r}", f"pe:end:{pid}:{r}")] for r in END_REASONS), [_back(pid)]]


SCREENS = ("needs", "freq", "slots", "langs", "gender", "consent", "satisf", "end")


async def _show_screen(update: Update, context: Context, person_id: int, screen: str) -> None:
    _ = await translator(update, context)
    person = await services(context).persons.get(person_id)
    if person is None:
        await answer(update, _("person.unknown"))
        return
    await answer(
        update, _(f"person.screen.{screen}", name=person.name), buttons(_, _screen_rows(_, person, screen, context))
    )


@requires(*STAFF)
async def open_screen(update: Update, context: Context) -> object:
    _prefix, _verb, raw_id, screen = _parts(update)
    await _show_screen(update, context, int(raw_id), screen)
    return END


@requires(*STAFF)
async def change(update: Update, context: Context) -> object:
    """A toggle redraws its screen; a choice goes back to the file. Nothing changes when the value is not one
    the service accepts (an old or forged button)."""
    _prefix, verb, raw_id, *rest = _parts(update)
    person_id, value, actor = int(raw_id), rest[0] if rest else "", _actor(update)
    persons = services(context).persons
    if verb == "need":
        done, screen = await persons.toggle_need(person_id, actor, value), "needs"
    elif verb == "slot":
        done, screen = await persons.toggle_slot(person_id, actor, value), "slots"
    elif verb == "lang":
        done, screen = await persons.toggle_language(person_id, actor, value), "langs"
    elif verb == "freq":
        done, screen = await persons.set_frequency(person_id, actor, int(value)), ""
    elif verb == "gender":
        done, screen = await persons.set_visitor_gender(person_id, actor, value), ""
    elif verb == "st":
        done, screen = await persons.set_status(person_id, actor, PersonStatus(value)), ""
    elif verb == "end":
        done, screen = await persons.end(person_id, actor, value), ""
    elif verb == "satisf":
        done, screen = await persons.record_satisfaction(person_id, actor, int(value)), ""
    elif verb == "noconsent":
        done, screen = await persons.withdraw_consent(person_id, actor), ""
    elif verb == "nophone":
        done, screen = await persons.set_phone(person_id, actor, None), ""
    else:  # noloss
        done, screen = await persons.stop_bereavement(person_id, actor), ""
    draft(context).pop(DRAFT, None)
    if not done:
        await _stale(update, context)
    if screen:
        await _show_screen(update, context, person_id, screen)
    else:
        await _show_file(update, context, person_id)
    return END


# --- dates: a loss, a consent --------------------------------------------------------------------------------
def _recent_days(_: Translator, today: date, data_prefix: str) -> list[list[Button]]:
    days = [today - timedelta(days=i) for i in range(RECENT_DAYS)]
    labels = [_("person.today"), _("person.yesterday"), *(day_label(_, d) for d in days[2:])]
    choices = [Button.labelled(label, f"{data_prefix}{d.isoformat()}") for label, d in zip(labels, days, strict=True)]
    return [choices[i : i + 4] for i in range(0, len(choices), 4)]


async def _bereavement_set(update: Update, context: Context, person_id: int, loss: date) -> bool:
    _ = await translator(update, context)
    scheduled = await services(context).persons.follow_bereavement(person_id, _actor(update), loss)
    if scheduled is None:
        return False
    days = ", ".join(_.format_date(day, "medium") for day in scheduled) or _("person.no_checkin_left")
    await _show_file(update, context, person_id, _("person.checkins_scheduled", days=days))
    return True


async def _consent_set(update: Update, context: Context, person_id: int, how: str, on: date) -> bool:
    if not await services(context).persons.set_consent(person_id, _actor(update), how, on):
        return False
    await _show_file(update, context, person_id)
    return True


@requires(*STAFF)
async def day_pressed(update: Update, context: Context) -> object:
    """pe:loss:<id>:<day> or pe:cdate:<id>:<how>:<day>."""
    parts = _parts(update)
    person_id = int(parts[2])
    draft(context).pop(DRAFT, None)
    try:
        day = date.fromisoformat(parts[-1])
    except ValueError:
        await _stale(update, context)
        return END
    if parts[1] == "loss":
        done = await _bereavement_set(update, context, person_id, day)
    else:
        done = await _consent_set(update, context, person_id, parts[3], day)
    if not done:
        await _stale(update, context)
    return END


# --- typed steps: name, address, phone, a date, a search --------------------------------------------------------
async def _prompt(update: Update, context: Context, person_id: int, field: str) -> object:
    _ = await translator(update, context)
    svc = services(context)
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
            rows.append([Button("person.remove_phone", f"pe:nophone:{pid}")])
    elif field == "loss":
        text = _("person.ask_loss", name=person.name)
        rows = _recent_days(_, svc.persons.today(), f"pe:loss:{pid}:")
        if person.bereavement_on:
            rows.append([Button("person.stop_bereavement", f"pe:noloss:{pid}")])
    else:  # consent:<how>
        how = field.split(":")[1]
        text = _("person.ask_consent_date", name=person.name, how=_(f"person.consent.{how}"))
        rows = _recent_days(_, svc.persons.today(), f"pe:cdate:{pid}:{how}:")
    rows.append([_back(pid), CANCEL])
    await answer(update, text, buttons(_, rows))
    return TYPING


@requires(*STAFF)
async def ask(update: Update, context: Context) -> object:
    """pe:ask:<id>:<name|address|phone|loss> or pe:consent:<id>:<how>."""
    parts = _parts(update)
    field = parts[3] if parts[1] == "ask" else f"consent:{parts[3]}"
    return await _prompt(update, context, int(parts[2]), field)


@requires(*STAFF)
async def ask_search(update: Update, context: Context) -> object:
    _ = await translator(update, context)
    draft(context)[DRAFT] = {"id": 0, "field": "search", "choices": [], "typed": None}
    await answer(update, _("persons.ask_search"), buttons(_, [[Button("button.back", "pe:list:0"), CANCEL]]))
    return TYPING


@requires(*STAFF)
async def typed(update: Update, context: Context) -> object:
    _ = await translator(update, context)
    assert update.message is not None and update.message.text is not None
    state = draft(context).get(DRAFT)
    if not isinstance(state, dict):
        return END
    text, person_id, field = update.message.text, int(state["id"]), str(state["field"])
    svc = services(context)
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
    _ = await translator(update, context)
    person_id = int(state["id"])
    again = buttons(_, [[_back(person_id), CANCEL]])
    text = text.strip()
    if len(text) > MAX_ADDRESS_CHARS:
        await answer(update, _("report.too_long", limit=MAX_ADDRESS_CHARS), again)
        return TYPING
    if not any(char.isalnum() for char in text):
        await answer(update, _("report.needs_words"), again)
        return TYPING
    lookup = await services(context).addresses.lookup(text)
    if lookup.outcome == LookupOutcome.OUTSIDE:
        await answer(update, _("report.outside_town", town=services(context).settings.town.name), again)
        return TYPING
    state["typed"] = text
    state["choices"] = [_place(choice) for choice in lookup.choices]
    rows = [[Button.labelled(c.label, f"pe:addr:{i}")] for i, c in enumerate(lookup.choices)]
    rows.append([Button("button.keep_typed", "pe:keep")])
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
    await services(context).persons.set_address(person_id, _actor(update), stored)
    await _show_file(update, context, person_id)
    return END


@requires(*STAFF)
async def address_picked(update: Update, context: Context) -> object:
    state = draft(context).get(DRAFT)
    index = int(_parts(update)[2])
    if not isinstance(state, dict) or not 0 <= index < len(state["choices"]):
        await _stale(update, context)
        return PICK
    return await _address_done(update, context, state["choices"][index])


@requires(*STAFF)
async def keep_typed(update: Update, context: Context) -> object:
    state = draft(context).get(DRAFT)
    if not isinstance(state, dict) or not state.get("typed"):
        await _stale(update, context)
        return PICK
    # Never drop what was typed: with no street found, the address stays as the coordinator wrote it.
    return await _address_done(update, context, {"address": state["typed"]})


@requires(*STAFF)
async def pinned(update: Update, context: Context) -> object:
    _ = await translator(update, context)
    assert update.message is not None and update.message.location is not None
    state = draft(context).get(DRAFT)
    if not isinstance(state, dict) or state.get("field") != "address":
        await answer(update, _("fallback.stray_text"))
        return TYPING
    pin = update.message.location
    address = await services(context).addresses.at_pin(Point(pin.latitude, pin.longitude))
    if address is None:
        town = services(context).settings.town.name
        await answer(update, _("report.outside_town", town=town), buttons(_, [[_back(int(state["id"])), CANCEL]]))
        return TYPING
    await answer(update, _("street.location_received"), ReplyKeyboardRemove())
    return await _address_done(update, context, _place(address))


# --- /persons: find a file ---------------------------------------------------------------------------------
async def _show_list(update: Update, context: Context, page: int) -> None:
    _ = await translator(update, context)
    query = str(draft(context).get(QUERY) or "")
    found = await services(context).persons.search(query, page)
    mark = {PersonStatus.ACTIVE: "", PersonStatus.PAUSED: "⏸ ", PersonStatus.ENDED: "⏹ "}
    rows = [
        [Button.labelled(f"{mark[p.status]}{p.name} · {p.address or '?'}", f"pe:open:{p.id}")] for p in found.persons
    ]
    turns = []
    if found.page > 0:
        turns.append(Button("button.previous", f"pe:list:{found.page - 1}"))
    if found.page + 1 < found.pages:
        turns.append(Button("button.next", f"pe:list:{found.page + 1}"))
    if turns:
        rows.append(turns)
    rows.append([Button("persons.search", "pe:find"), *([Button("persons.show_all", "pe:all")] if query else [])])
    if found.total:
        title = _("persons.list", count=found.total, page=found.page + 1, pages=found.pages)
    else:
        title = _("persons.none")
    if query:
        title += "\n" + _("persons.searched", query=query)
    await answer(update, title, buttons(_, rows + desk_rows(context)))


@requires(*STAFF)
async def list_command(update: Update, context: Context) -> object:
    """/persons, or /persons <part of a name or a street>."""
    draft(context).pop(DRAFT, None)
    draft(context)[QUERY] = " ".join(context.args or [])[:100]
    await _show_list(update, context, 0)
    return END


@requires(*STAFF)
async def list_pressed(update: Update, context: Context) -> object:
    parts = _parts(update)
    draft(context).pop(DRAFT, None)
    if parts[1] == "all":
        draft(context)[QUERY] = ""
        await _show_list(update, context, 0)
    else:
        await _show_list(update, context, int(parts[2]))
    return END


async def remind_checkins(context: Context) -> None:
    """The daily job, and the run at start for what fell due while the bot was stopped."""
    await services(context).persons.remind_checkins()


def _stateless() -> list[BaseHandler[Update, Context, object]]:
    """Buttons whose data is the whole request: fresh handlers each call, for the typing step's fallbacks too."""
    needs, statuses = "|".join(NEEDS), "|".join(s.value for s in PersonStatus if s != PersonStatus.ENDED)
    changes = "|".join(
        [
            rf"need:{ID}:({needs})",
            rf"slot:{ID}:[a-z0-9-]{{1,20}}",
            rf"lang:{ID}:[a-z]{{2,3}}",
            rf"freq:{ID}:\d{{1,2}}",
            rf"gender:{ID}:({'|'.join(VISITOR_GENDERS)})",
            rf"st:{ID}:({statuses})",
            rf"end:{ID}:({'|'.join(END_REASONS)})",
            rf"satisf:{ID}:\d",
            rf"(noconsent|nophone|noloss):{ID}",
        ]
    )
    return [
        CallbackQueryHandler(open_file, pattern=rf"^pe:open:{ID}$"),
        CallbackQueryHandler(open_screen, pattern=rf"^pe:scr:{ID}:({'|'.join(SCREENS)})$"),
        CallbackQueryHandler(change, pattern=rf"^pe:({changes})$"),
        CallbackQueryHandler(day_pressed, pattern=rf"^pe:(loss:{ID}|cdate:{ID}:({'|'.join(CONSENT_WAYS)})):{DAY}$"),
        CallbackQueryHandler(list_pressed, pattern=r"^pe:(list:\d{1,4}|all)$"),
    ]


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND
    return [
        ConversationHandler(
            entry_points=[
                CallbackQueryHandler(
                    ask, pattern=rf"^pe:(ask:{ID}:(name|address|phone|loss)|consent:{ID}:({'|'.join(CONSENT_WAYS)}))$"
                ),
                CallbackQueryHandler(ask_search, pattern=r"^pe:find$"),
            ],
            states={
                TYPING: [MessageHandler(text, typed), MessageHandler(filters.LOCATION, pinned)],
                PICK: [
                    CallbackQueryHandler(address_picked, pattern=r"^pe:addr:\d$"),
                    CallbackQueryHandler(keep_typed, pattern=r"^pe:keep$"),
                    MessageHandler(text, typed),
                    MessageHandler(filters.LOCATION, pinned),
                ],
            },
            fallbacks=[*cancel_handlers(), CommandHandler("persons", list_command), *_stateless()],
            name="person_file",
            persistent=True,
            allow_reentry=True,
        ),
        CommandHandler("persons", list_command),
        *_stateless(),
    ]
