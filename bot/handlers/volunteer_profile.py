"""An approved volunteer's profile, all with buttons: weekly grid, absences, visits a week, home street,
languages, gender, pause. Each screen edits the same message in place and has a way back."""

from __future__ import annotations

from datetime import date, timedelta

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.domain.roles import Role
from bot.domain.volunteers import Gender, VolunteerProfile
from bot.handlers.choices import day_label, language_name, slot_grid
from bot.handlers.common import Callback, Context, answer, buttons, requires, services, translator
from bot.handlers.leaving import CANCEL, MENU, cancel_handlers
from bot.handlers.street_picker import chosen_street, location_keyboard, offer_streets
from bot.i18n import Translator
from bot.notices import Button
from bot.services.availability import ABSENCE_HORIZON_DAYS, MAX_ABSENCE_DAYS, MAX_CAPACITY

HOME = Button("button.back", "pf:home")
STREET, CHOOSE = "pf.street", "pf.choose"
END = ConversationHandler.END
DAYS_PER_PAGE = 14
DATE = r"\d{4}-\d{2}-\d{2}"
GENDER_CHOICES = ("f", "m", "none")


def _user_id(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


def _data(update: Update) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data


async def _stale(update: Update, context: Context) -> None:
    """Data that does not hold (an old button, a forged one): say so and change nothing."""
    _ = await translator(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(_("fallback.stale_button"), show_alert=True)


async def _render_menu(update: Update, context: Context, profile: VolunteerProfile) -> None:
    _ = await translator(update, context)
    street = profile.home_street_name or _("profile.no_street")
    languages = ", ".join(sorted(language_name(_, code) for code in profile.languages))
    gender = _(f"profile.gender.{profile.gender.value if profile.gender else 'none'}")
    status = _("profile.status_paused") if profile.paused else _("profile.status_active")
    text = _(
        "profile.menu",
        slots=len(profile.slot_ids),
        capacity=profile.capacity,
        street=street,
        languages=languages,
        gender=gender,
        status=status,
    )
    pause = Button("button.resume", "pf:resume") if profile.paused else Button("button.pause", "pf:pause")
    rows = [
        [Button("button.profile_grid", "pf:grid"), Button("button.profile_absences", "pf:abs")],
        [Button("button.profile_capacity", "pf:cap"), Button("button.profile_street", "pf:street")],
        [Button("button.profile_languages", "pf:lang"), Button("button.profile_gender", "pf:gender")],
        [pause, MENU],
    ]
    await answer(update, text, buttons(_, rows))


async def _show(update: Update, context: Context, profile: VolunteerProfile | None, screen: str) -> None:
    """Render `screen` for the profile as it is now, or refuse when the request did not hold."""
    if profile is None:
        await _stale(update, context)
        return
    await SCREENS[screen](update, context, profile)


def opening(screen: str) -> Callback[None]:
    @requires(Role.VOLUNTEER)
    async def open_screen(update: Update, context: Context) -> None:
        await _show(update, context, await services(context).availability.profile(_user_id(update)), screen)

    return open_screen


async def _render_grid(update: Update, context: Context, profile: VolunteerProfile) -> None:
    _ = await translator(update, context)
    rows = slot_grid(_, services(context).availability.slots, profile.slot_ids, "pf:slot:")
    rows.append([Button("button.done", "pf:home")])
    await answer(update, _("profile.grid"), buttons(_, rows))


@requires(Role.VOLUNTEER)
async def slot_toggled(update: Update, context: Context) -> None:
    slot_id = _data(update).removeprefix("pf:slot:")
    profile = await services(context).availability.toggle_slot(_user_id(update), slot_id)
    await _show(update, context, profile, "grid")


async def _render_capacity(update: Update, context: Context, profile: VolunteerProfile) -> None:
    _ = await translator(update, context)
    choices = [
        Button.labelled(f"✅ {n}" if n == profile.capacity else str(n), f"pf:cap:{n}")
        for n in range(1, MAX_CAPACITY + 1)
    ]
    await answer(update, _("profile.capacity"), buttons(_, [choices, [HOME]]))


@requires(Role.VOLUNTEER)
async def capacity_chosen(update: Update, context: Context) -> None:
    chosen = int(_data(update).removeprefix("pf:cap:"))
    await _show(update, context, await services(context).availability.set_capacity(_user_id(update), chosen), "menu")


async def _render_languages(update: Update, context: Context, profile: VolunteerProfile) -> None:
    _ = await translator(update, context)
    choices = [
        Button.labelled(f"{'✅' if code in profile.languages else '▫️'} {language_name(_, code)}", f"pf:lang:{code}")
        for code in services(context).availability.languages
    ]
    rows = [choices[i : i + 2] for i in range(0, len(choices), 2)]
    await answer(update, _("profile.languages"), buttons(_, [*rows, [Button("button.done", "pf:home")]]))


@requires(Role.VOLUNTEER)
async def language_toggled(update: Update, context: Context) -> None:
    code = _data(update).removeprefix("pf:lang:")
    profile = await services(context).availability.toggle_language(_user_id(update), code)
    await _show(update, context, profile, "languages")


async def _render_gender(update: Update, context: Context, profile: VolunteerProfile) -> None:
    _ = await translator(update, context)
    current = profile.gender.value if profile.gender else "none"
    rows = [
        [Button.labelled(f"{'✅ ' if choice == current else ''}{_(f'profile.gender.{choice}')}", f"pf:gender:{choice}")]
        for choice in GENDER_CHOICES
    ]
    await answer(update, _("profile.gender"), buttons(_, [*rows, [HOME]]))


@requires(Role.VOLUNTEER)
async def gender_chosen(update: Update, context: Context) -> None:
    raw = _data(update).removeprefix("pf:gender:")
    chosen = None if raw == "none" else Gender(raw)
    await _show(update, context, await services(context).availability.set_gender(_user_id(update), chosen), "menu")


@requires(Role.VOLUNTEER)
async def pause_or_resume(update: Update, context: Context) -> None:
    paused = _data(update) == "pf:pause"
    await _show(update, context, await services(context).availability.set_paused(_user_id(update), paused), "menu")


async def _render_absences(update: Update, context: Context, profile: VolunteerProfile) -> None:
    _ = await translator(update, context)
    today = date.today()
    coming = [a for a in profile.absences if a.last_day >= today]
    rows = [
        [Button.labelled(f"🗑 {day_label(_, a.first_day)} → {day_label(_, a.last_day)}", f"pf:abs:del:{a.id}")]
        for a in coming
    ]
    text = _("profile.absences") if coming else _("profile.no_absences")
    await answer(update, text, buttons(_, [*rows, [Button("button.add_absence", "pf:abs:from:0")], [HOME]]))


def _date_page(_: Translator, first: date, last: date, page: int, pick: str, turn: str) -> list[list[Button]] | None:
    """Days from `first` (at most `last`), DAYS_PER_PAGE at a time; None when the page is out of range."""
    start = first + timedelta(days=page * DAYS_PER_PAGE)
    if page < 0 or start > last:
        return None
    days = [start + timedelta(days=i) for i in range(DAYS_PER_PAGE) if start + timedelta(days=i) <= last]
    day_buttons = [Button.labelled(day_label(_, day), f"{pick}{day.isoformat()}") for day in days]
    rows = [day_buttons[i : i + 2] for i in range(0, len(day_buttons), 2)]
    turns = []
    if page > 0:
        turns.append(Button("button.earlier", f"{turn}{page - 1}"))
    if start + timedelta(days=DAYS_PER_PAGE) <= last:
        turns.append(Button("button.later", f"{turn}{page + 1}"))
    return [*rows, turns, [Button("button.back", "pf:abs")]]


@requires(Role.VOLUNTEER)
async def absence_start_page(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    today = date.today()
    page = int(_data(update).removeprefix("pf:abs:from:"))
    rows = _date_page(_, today, today + timedelta(days=ABSENCE_HORIZON_DAYS), page, "pf:abs:start:", "pf:abs:from:")
    if rows is None:
        await _stale(update, context)
        return
    await answer(update, _("profile.absence_start"), buttons(_, rows))


def _parse_day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


@requires(Role.VOLUNTEER)
async def absence_end_page(update: Update, context: Context) -> None:
    """After a start was picked (`pf:abs:start:<day>`) or while turning pages (`pf:abs:to:<day>:<page>`)."""
    _ = await translator(update, context)
    parts = _data(update).split(":")
    first = _parse_day(parts[3])
    page = int(parts[4]) if len(parts) == 5 else 0
    today = date.today()
    rows = None
    if first is not None and today <= first <= today + timedelta(days=ABSENCE_HORIZON_DAYS):
        last = first + timedelta(days=MAX_ABSENCE_DAYS - 1)
        rows = _date_page(_, first, last, page, f"pf:abs:end:{first.isoformat()}:", f"pf:abs:to:{first.isoformat()}:")
    if first is None or rows is None:
        await _stale(update, context)
        return
    await answer(update, _("profile.absence_end", first=day_label(_, first)), buttons(_, rows))


@requires(Role.VOLUNTEER)
async def absence_chosen(update: Update, context: Context) -> None:
    _prefix, _kind, _end, raw_first, raw_last = _data(update).split(":")
    first, last = _parse_day(raw_first), _parse_day(raw_last)
    profile = None
    if first is not None and last is not None:
        profile = await services(context).availability.add_absence(_user_id(update), first, last, date.today())
    await _show(update, context, profile, "absences")


@requires(Role.VOLUNTEER)
async def absence_deleted(update: Update, context: Context) -> None:
    absence_id = int(_data(update).removeprefix("pf:abs:del:"))
    profile = await services(context).availability.delete_absence(_user_id(update), absence_id)
    await _show(update, context, profile, "absences")


@requires(Role.VOLUNTEER)
async def ask_street(update: Update, context: Context) -> str:
    _ = await translator(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer()
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(_("profile.ask_street"), reply_markup=location_keyboard(_))
    await chat.send_message(_("common.or_cancel"), reply_markup=buttons(_, [[HOME, CANCEL]]))
    return STREET


async def street_given(update: Update, context: Context) -> str:
    found = await offer_streets(update, context, "pf:street:", [Button("button.type_again", "pf:street"), HOME])
    return CHOOSE if found else STREET


@requires(Role.VOLUNTEER)
async def street_chosen(update: Update, context: Context) -> object:
    street = await chosen_street(update, context)
    profile = None
    if street is not None:
        profile = await services(context).availability.set_home_street(_user_id(update), street.id)
    await _show(update, context, profile, "menu")
    return END if profile is not None else CHOOSE


@requires(Role.VOLUNTEER)
async def street_left(update: Update, context: Context) -> object:
    await _show(update, context, await services(context).availability.profile(_user_id(update)), "menu")
    return END


SCREENS = {
    "menu": _render_menu,
    "grid": _render_grid,
    "capacity": _render_capacity,
    "languages": _render_languages,
    "gender": _render_gender,
    "absences": _render_absences,
}
SCREEN_BUTTONS = {
    "pf:home": "menu",
    "pf:grid": "grid",
    "pf:cap": "capacity",
    "pf:lang": "languages",
    "pf:gender": "gender",
    "pf:abs": "absences",
}


def handlers() -> list[BaseHandler[Update, Context, object]]:
    text = filters.TEXT & ~filters.COMMAND
    screens: list[BaseHandler[Update, Context, object]] = [
        CallbackQueryHandler(opening(screen), pattern=rf"^{data}$") for data, screen in SCREEN_BUTTONS.items()
    ]
    return [
        # First, so that Back leaves the street question before the plain menu button would answer it.
        ConversationHandler(
            entry_points=[CallbackQueryHandler(ask_street, pattern=r"^pf:street$")],
            states={
                STREET: [MessageHandler(text | filters.LOCATION, street_given)],
                CHOOSE: [
                    CallbackQueryHandler(street_chosen, pattern=r"^pf:street:\d{1,9}$"),
                    MessageHandler(text | filters.LOCATION, street_given),
                ],
            },
            fallbacks=[*cancel_handlers(), CallbackQueryHandler(street_left, pattern=r"^pf:home$")],
            name="volunteer_home_street",
            persistent=True,
            allow_reentry=True,
        ),
        CommandHandler("profile", opening("menu")),
        CommandHandler("availability", opening("grid")),
        *screens,
        CallbackQueryHandler(slot_toggled, pattern=r"^pf:slot:[a-z0-9-]{1,20}$"),
        CallbackQueryHandler(capacity_chosen, pattern=r"^pf:cap:\d$"),
        CallbackQueryHandler(language_toggled, pattern=r"^pf:lang:[a-z]{2,3}$"),
        CallbackQueryHandler(gender_chosen, pattern=rf"^pf:gender:({'|'.join(GENDER_CHOICES)})$"),
        CallbackQueryHandler(pause_or_resume, pattern=r"^pf:(pause|resume)$"),
        CallbackQueryHandler(absence_start_page, pattern=r"^pf:abs:from:\d{1,3}$"),
        CallbackQueryHandler(absence_end_page, pattern=rf"^pf:abs:(start:{DATE}|to:{DATE}:\d{{1,3}})$"),
        CallbackQueryHandler(absence_chosen, pattern=rf"^pf:abs:end:{DATE}:{DATE}$"),
        CallbackQueryHandler(absence_deleted, pattern=r"^pf:abs:del:\d{1,9}$"),
    ]
