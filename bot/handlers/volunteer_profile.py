"""An approved volunteer's profile, all with buttons: weekly grid, absences, visits a week, home street,
languages, gender, pause. Each screen edits the same message in place and has a way back."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, timedelta

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler, MessageHandler, filters

from bot.domain import commands
from bot.domain.actions.profile import (
    AbsenceEndPage,
    AbsenceStartChosen,
    AbsenceStartPage,
    AddAbsence,
    AskHomeStreet,
    DeleteAbsence,
    Pause,
    PickHomeStreet,
    ProfileAbsences,
    ProfileCapacity,
    ProfileGender,
    ProfileGrid,
    ProfileLanguages,
    ProfileMenu,
    Resume,
    SetCapacity,
    SetGender,
    ToggleAvailableSlot,
    ToggleSpokenLanguage,
)
from bot.domain.actions.start import Cancel
from bot.domain.callbacks import Action, Button
from bot.domain.volunteers import Gender, VolunteerProfile
from bot.handlers.access import command, on
from bot.handlers.choices import day_label, language_name, slot_grid
from bot.handlers.common import Context, answer, buttons, stale
from bot.handlers.leaving import MENU, cancel, cancel_handlers
from bot.handlers.street_picker import ask_place, offer_streets, place_noted, shortcut
from bot.i18n import Safe, Translator
from bot.services.availability import ABSENCE_HORIZON_DAYS, MAX_ABSENCE_DAYS, MAX_CAPACITY

HOME = Button("button.back", ProfileMenu())
STREET, CHOOSE = "pf.street", "pf.choose"
END = ConversationHandler.END
DAYS_PER_PAGE = 14


def _user_id(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


def _gender_key(gender: Gender | None) -> str:
    return f"profile.gender.{gender.value if gender else 'none'}"


async def _render_menu(update: Update, context: Context, profile: VolunteerProfile) -> None:
    _ = await context.translator()
    street = profile.home_street_name or _("profile.no_street")
    languages = ", ".join(sorted(language_name(_, code) for code in profile.languages))
    gender = _(_gender_key(profile.gender))
    status = _("profile.status_paused") if profile.paused else _("profile.status_active")
    text = _(
        "profile.menu",
        slots=Safe(_("profile.slots_a_week", count=len(profile.slot_ids))),
        capacity=Safe(_("profile.visits_a_week", count=profile.capacity)),
        street=street,
        languages=languages,
        gender=gender,
        status=status,
    )
    pause = Button("button.resume", Resume()) if profile.paused else Button("button.pause", Pause())
    rows = [
        [Button("button.profile_grid", ProfileGrid()), Button("button.profile_absences", ProfileAbsences())],
        [Button("button.profile_capacity", ProfileCapacity()), Button("button.profile_street", AskHomeStreet())],
        [Button("button.profile_languages", ProfileLanguages()), Button("button.profile_gender", ProfileGender())],
        [pause, MENU],
    ]
    await answer(update, text, buttons(_, rows))


async def _show(update: Update, context: Context, profile: VolunteerProfile | None, screen: str) -> None:
    """Render `screen` for the profile as it is now, or refuse when the request did not hold."""
    if profile is None:
        await stale(update, context)
        return
    await SCREENS[screen](update, context, profile)


async def _open(update: Update, context: Context, screen: str) -> None:
    await _show(update, context, await context.services.availability.profile(_user_id(update)), screen)


async def menu_command(update: Update, context: Context) -> None:
    await _open(update, context, "menu")


async def grid_command(update: Update, context: Context) -> None:
    await _open(update, context, "grid")


async def screen_pressed(update: Update, context: Context, pressed: Action) -> None:
    await _open(update, context, SCREEN_BUTTONS[type(pressed)])


async def _render_grid(update: Update, context: Context, profile: VolunteerProfile) -> None:
    _ = await context.translator()
    rows = slot_grid(_, context.services.availability.slots, profile.slot_ids, ToggleAvailableSlot)
    rows.append([Button("button.done", ProfileMenu())])
    await answer(update, _("profile.grid"), buttons(_, rows))


async def slot_toggled(update: Update, context: Context, toggled: ToggleAvailableSlot) -> None:
    profile = await context.services.availability.toggle_slot(_user_id(update), toggled.slot_id)
    await _show(update, context, profile, "grid")


async def _render_capacity(update: Update, context: Context, profile: VolunteerProfile) -> None:
    _ = await context.translator()
    choices = [
        Button.labelled(f"✅ {n}" if n == profile.capacity else str(n), SetCapacity(n))
        for n in range(1, MAX_CAPACITY + 1)
    ]
    await answer(update, _("profile.capacity"), buttons(_, [choices, [HOME]]))


async def capacity_chosen(update: Update, context: Context, chosen: SetCapacity) -> None:
    profile = await context.services.availability.set_capacity(_user_id(update), chosen.capacity)
    await _show(update, context, profile, "menu")


async def _render_languages(update: Update, context: Context, profile: VolunteerProfile) -> None:
    _ = await context.translator()
    choices = [
        Button.labelled(
            f"{'✅' if code in profile.languages else '▫️'} {language_name(_, code)}", ToggleSpokenLanguage(code)
        )
        for code in context.services.availability.languages
    ]
    rows = [choices[i : i + 2] for i in range(0, len(choices), 2)]
    await answer(update, _("profile.languages"), buttons(_, [*rows, [Button("button.done", ProfileMenu())]]))


async def language_toggled(update: Update, context: Context, toggled: ToggleSpokenLanguage) -> None:
    profile = await context.services.availability.toggle_language(_user_id(update), toggled.code)
    await _show(update, context, profile, "languages")


async def _render_gender(update: Update, context: Context, profile: VolunteerProfile) -> None:
    _ = await context.translator()
    rows = [
        [Button.labelled(("✅ " if choice == profile.gender else "") + _(_gender_key(choice)), SetGender(choice))]
        for choice in (Gender.FEMALE, Gender.MALE, None)
    ]
    await answer(update, _("profile.gender"), buttons(_, [*rows, [HOME]]))


async def gender_chosen(update: Update, context: Context, chosen: SetGender) -> None:
    profile = await context.services.availability.set_gender(_user_id(update), chosen.gender)
    await _show(update, context, profile, "menu")


async def pause_or_resume(update: Update, context: Context, pressed: Pause | Resume) -> None:
    paused = isinstance(pressed, Pause)
    await _show(update, context, await context.services.availability.set_paused(_user_id(update), paused), "menu")


async def _render_absences(update: Update, context: Context, profile: VolunteerProfile) -> None:
    _ = await context.translator()
    today = date.today()
    coming = [a for a in profile.absences if a.last_day >= today]
    rows = [
        [Button.labelled(f"🗑 {day_label(_, a.first_day)} → {day_label(_, a.last_day)}", DeleteAbsence(a.id))]
        for a in coming
    ]
    text = _("profile.absences") if coming else _("profile.no_absences")
    await answer(update, text, buttons(_, [*rows, [Button("button.add_absence", AbsenceStartPage(0))], [HOME]]))


def _date_page(
    _: Translator, first: date, last: date, page: int, pick: Callable[[date], Action], turn: Callable[[int], Action]
) -> list[list[Button]] | None:
    """Days from `first` (at most `last`), DAYS_PER_PAGE at a time, each calling back `pick` of the day, and
    the pages turned by `turn` of the page; None when the page is out of range."""
    start = first + timedelta(days=page * DAYS_PER_PAGE)
    if page < 0 or start > last:
        return None
    days = [start + timedelta(days=i) for i in range(DAYS_PER_PAGE) if start + timedelta(days=i) <= last]
    day_buttons = [Button.labelled(day_label(_, day), pick(day)) for day in days]
    rows = [day_buttons[i : i + 2] for i in range(0, len(day_buttons), 2)]
    turns = []
    if page > 0:
        turns.append(Button("button.earlier", turn(page - 1)))
    if start + timedelta(days=DAYS_PER_PAGE) <= last:
        turns.append(Button("button.later", turn(page + 1)))
    return [*rows, turns, [Button("button.back", ProfileAbsences())]]


async def absence_start_page(update: Update, context: Context, turned: AbsenceStartPage) -> None:
    _ = await context.translator()
    today = date.today()
    last = today + timedelta(days=ABSENCE_HORIZON_DAYS)
    rows = _date_page(_, today, last, turned.page, AbsenceStartChosen, AbsenceStartPage)
    if rows is None:
        await stale(update, context)
        return
    await answer(update, _("profile.absence_start"), buttons(_, rows))


async def absence_end_page(update: Update, context: Context, pressed: AbsenceStartChosen | AbsenceEndPage) -> None:
    """After a start was picked, or while turning the pages of the days it may end on."""
    _ = await context.translator()
    first = pressed.first
    page = pressed.page if isinstance(pressed, AbsenceEndPage) else 0
    today = date.today()
    rows = None
    if today <= first <= today + timedelta(days=ABSENCE_HORIZON_DAYS):
        last = first + timedelta(days=MAX_ABSENCE_DAYS - 1)
        rows = _date_page(
            _, first, last, page, functools.partial(AddAbsence, first), functools.partial(AbsenceEndPage, first)
        )
    if rows is None:
        await stale(update, context)
        return
    await answer(update, _("profile.absence_end", first=day_label(_, first)), buttons(_, rows))


async def absence_chosen(update: Update, context: Context, chosen: AddAbsence) -> None:
    availability = context.services.availability
    profile = await availability.add_absence(_user_id(update), chosen.first, chosen.last, date.today())
    await _show(update, context, profile, "absences")


async def absence_deleted(update: Update, context: Context, pressed: DeleteAbsence) -> None:
    profile = await context.services.availability.delete_absence(_user_id(update), pressed.absence_id)
    await _show(update, context, profile, "absences")


async def ask_street(update: Update, context: Context, _action: AskHomeStreet) -> str:
    _ = await context.translator()
    await ask_place(update, context, _("profile.ask_street"), [HOME])
    return STREET


async def street_given(update: Update, context: Context) -> object:
    match await shortcut(update, context, [HOME]):
        case ProfileMenu() as back:
            await place_noted(update, context, "address.unchanged")
            return await street_left(update, context, back)
        case Cancel():
            return await cancel(update, context)
    found = await offer_streets(update, context, PickHomeStreet, [Button("button.type_again", AskHomeStreet()), HOME])
    return CHOOSE if found else STREET


async def street_chosen(update: Update, context: Context, picked: PickHomeStreet) -> object:
    street = await context.services.streets.get(picked.street_id)
    profile = None
    if street is not None:
        profile = await context.services.availability.set_home_street(_user_id(update), street.id)
    await _show(update, context, profile, "menu")
    return END if profile is not None else CHOOSE


async def street_left(update: Update, context: Context, _action: ProfileMenu) -> object:
    await _show(update, context, await context.services.availability.profile(_user_id(update)), "menu")
    return END


SCREENS = {
    "menu": _render_menu,
    "grid": _render_grid,
    "capacity": _render_capacity,
    "languages": _render_languages,
    "gender": _render_gender,
    "absences": _render_absences,
}
SCREEN_BUTTONS: dict[type[Action], str] = {
    ProfileMenu: "menu",
    ProfileGrid: "grid",
    ProfileCapacity: "capacity",
    ProfileLanguages: "languages",
    ProfileGender: "gender",
    ProfileAbsences: "absences",
}


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND
    screens: list[BaseHandler[Update, Context, object]] = [on(screen, screen_pressed) for screen in SCREEN_BUTTONS]
    return [
        # First, so that Back leaves the street question before the plain menu button would answer it.
        ConversationHandler(
            entry_points=[on(AskHomeStreet, ask_street)],
            states={
                STREET: [MessageHandler(text | filters.LOCATION, street_given)],
                CHOOSE: [on(PickHomeStreet, street_chosen), MessageHandler(text | filters.LOCATION, street_given)],
            },
            fallbacks=[*cancel_handlers(), on(ProfileMenu, street_left)],
            name="volunteer_home_street",
            persistent=True,
            allow_reentry=True,
        ),
        command(commands.PROFILE, menu_command),
        command(commands.AVAILABILITY, grid_command),
        *screens,
        on(ToggleAvailableSlot, slot_toggled),
        on(SetCapacity, capacity_chosen),
        on(ToggleSpokenLanguage, language_toggled),
        on(SetGender, gender_chosen),
        on(Pause, pause_or_resume),
        on(Resume, pause_or_resume),
        on(AbsenceStartPage, absence_start_page),
        on(AbsenceStartChosen, absence_end_page),
        on(AbsenceEndPage, absence_end_page),
        on(AddAbsence, absence_chosen),
        on(DeleteAbsence, absence_deleted),
    ]
