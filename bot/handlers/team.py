"""/team, for coordinators: who has access (professionals, volunteers, caring neighbours), and taking it away
with one confirmation: remove a professional, suspend, reinstate or remove a volunteer, remove a neighbour
from a street. The service audits it, tells the person and hands a volunteer's outings over."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.handlers.common import Context, answer, buttons, requires, services, translator
from bot.handlers.leaving import MENU
from bot.handlers.menus import keep_menu
from bot.i18n import Translator
from bot.notices import Button
from bot.services.access import Change, Team
from bot.services.roles import Role
from bot.storage.models import VolunteerStatus

GROUPS = ("pro", "vol", "nb")
CHANGES = "|".join(change.value for change in Change)
# Names on one page, three a row.
PAGE_SIZE = 24
GROUP_OF = {
    Change.REMOVE_PROFESSIONAL: "pro",
    Change.SUSPEND: "vol",
    Change.REINSTATE: "vol",
    Change.REMOVE_VOLUNTEER: "vol",
}


def _data(*parts: object) -> str:
    """The callback data of every button of /team, built here only: `ac:<verb>:<values>`."""
    return ":".join(["ac", *(str(part) for part in parts)])


def _parts(update: Update) -> list[str]:
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data.split(":")[2:]


def _members(team: Team, group: str) -> list[tuple[int, str]]:
    """(Telegram id, label) of a group, by name; a suspended volunteer is marked."""
    if group == "pro":
        return [(m.telegram_id, m.first_name) for m in team.professionals]
    if group == "vol":
        return [
            (v.telegram_id, ("⏸ " if v.status is VolunteerStatus.SUSPENDED else "") + v.first_name)
            for v in team.volunteers
        ]
    return [(m.telegram_id, m.first_name) for m in team.neighbours]


@requires(Role.COORDINATOR)
async def home(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    team = await services(context).access.team()
    rows = [
        [Button.labelled(_.label(f"team.group.{group}", count=len(_members(team, group))), _data("list", group, 0))]
        for group in GROUPS
    ]
    await answer(update, _("team.title"), buttons(_, [*rows, [MENU]]))


@requires(Role.COORDINATOR)
async def group_list(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    group, raw_page = _parts(update)
    members = _members(await services(context).access.team(), group)
    pages = max(1, -(-len(members) // PAGE_SIZE))
    page = min(int(raw_page), pages - 1)
    shown = members[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    names = [Button.labelled(label, _data("who", group, telegram_id)) for telegram_id, label in shown]
    rows = [names[i : i + 3] for i in range(0, len(names), 3)]
    turns = []
    if page > 0:
        turns.append(Button("button.previous", _data("list", group, page - 1)))
    if page + 1 < pages:
        turns.append(Button("button.next", _data("list", group, page + 1)))
    title = _("team.list", group=_(f"team.name.{group}"), count=len(members), page=page + 1, pages=pages)
    await answer(update, title, buttons(_, [*rows, turns, [Button("button.back", _data("home"))]]))


@requires(Role.COORDINATOR)
async def member(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    group, raw_id = _parts(update)
    telegram_id = int(raw_id)
    svc = services(context)
    team = await svc.access.team()
    back = [Button("button.back", _data("list", group, 0))]
    zone = ZoneInfo(svc.settings.reports.timezone)
    if group == "pro":
        found = next((m for m in team.professionals if m.telegram_id == telegram_id), None)
        if found is not None:
            text = _("team.professional", name=found.first_name, since=_since(_, found.since, zone))
            rows = [[_ask(_, Change.REMOVE_PROFESSIONAL, telegram_id)]]
            await answer(update, text, buttons(_, [*rows, back]))
            return
    elif group == "vol":
        volunteer = next((v for v in team.volunteers if v.telegram_id == telegram_id), None)
        if volunteer is not None:
            status = _(f"team.volunteer_status.{volunteer.status.value}")
            kind = _(f"volunteer.kind.{volunteer.kind.value}")
            text = _("team.volunteer", name=volunteer.first_name, kind=kind, status=status)
            pause = Change.REINSTATE if volunteer.status is VolunteerStatus.SUSPENDED else Change.SUSPEND
            rows = [[_ask(_, pause, telegram_id)], [_ask(_, Change.REMOVE_VOLUNTEER, telegram_id)]]
            await answer(update, text, buttons(_, [*rows, back]))
            return
    else:
        streets = await svc.access.streets_of(telegram_id)
        neighbour = next((m for m in team.neighbours if m.telegram_id == telegram_id), None)
        if neighbour is not None and streets:
            text = _("team.neighbour", name=neighbour.first_name, streets=", ".join(s.street for s in streets))
            rows = [
                [
                    Button.labelled(
                        _.label("team.remove_from_street", street=s.street), _data("asknb", telegram_id, s.street_id)
                    )
                ]
                for s in streets
            ]
            await answer(update, text, buttons(_, [*rows, back]))
            return
    await answer(update, _("team.gone"), buttons(_, [back]))


def _since(_: Translator, stamp: str, zone: ZoneInfo) -> str:
    try:
        return _.format_date(datetime.fromisoformat(stamp).astimezone(zone).date(), "medium")
    except ValueError:
        return "?"


def _ask(_: Translator, change: Change, telegram_id: int) -> Button:
    return Button(f"team.button.{change.value}", _data("ask", change.value, telegram_id))


async def _name(context: Context, telegram_id: int) -> str:
    found = await services(context).users.get(telegram_id)
    return found.first_name if found else "?"


@requires(Role.COORDINATOR)
async def confirm(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    raw_change, raw_id = _parts(update)
    change, telegram_id = Change(raw_change), int(raw_id)
    rows = [
        [Button(f"team.yes.{change.value}", _data("do", change.value, telegram_id))],
        [Button("button.back", _data("who", GROUP_OF[change], telegram_id))],
    ]
    await answer(update, _(f"team.confirm.{change.value}", name=await _name(context, telegram_id)), buttons(_, rows))


@requires(Role.COORDINATOR)
async def confirmed(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    raw_change, raw_id = _parts(update)
    change, telegram_id = Change(raw_change), int(raw_id)
    user = update.effective_user
    assert user is not None
    name = await _name(context, telegram_id)
    done = await services(context).access.change(change, telegram_id, user.id, update.update_id)
    await keep_menu(context.bot, services(context), telegram_id)
    text = _(f"team.done.{change.value}", name=name) if done else _("team.gone")
    await answer(update, text, buttons(_, [[Button("button.back", _data("list", GROUP_OF[change], 0))]]))


@requires(Role.COORDINATOR)
async def confirm_street(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    raw_id, raw_street = _parts(update)
    telegram_id, street_id = int(raw_id), int(raw_street)
    street = await services(context).streets.get(street_id)
    text = _("team.confirm.street", name=await _name(context, telegram_id), street=street.name if street else "?")
    rows = [
        [Button("team.yes.street", _data("donb", telegram_id, street_id))],
        [Button("button.back", _data("who", "nb", telegram_id))],
    ]
    await answer(update, text, buttons(_, rows))


@requires(Role.COORDINATOR)
async def street_confirmed(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    raw_id, raw_street = _parts(update)
    telegram_id, street_id = int(raw_id), int(raw_street)
    user = update.effective_user
    assert user is not None
    svc = services(context)
    street = await svc.streets.get(street_id)
    name = await _name(context, telegram_id)
    done = await svc.access.remove_neighbour(telegram_id, street_id, user.id, update.update_id)
    await keep_menu(context.bot, svc, telegram_id)
    text = _("team.done.street", name=name, street=street.name if street else "?") if done else _("team.gone")
    await answer(update, text, buttons(_, [[Button("button.back", _data("list", "nb", 0))]]))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    groups = "|".join(GROUPS)
    return [
        CommandHandler("team", home),
        CallbackQueryHandler(home, pattern=r"^ac:home$"),
        CallbackQueryHandler(group_list, pattern=rf"^ac:list:({groups}):\d{{1,4}}$"),
        CallbackQueryHandler(member, pattern=rf"^ac:who:({groups}):\d{{1,15}}$"),
        CallbackQueryHandler(confirm, pattern=rf"^ac:ask:({CHANGES}):\d{{1,15}}$"),
        CallbackQueryHandler(confirmed, pattern=rf"^ac:do:({CHANGES}):\d{{1,15}}$"),
        CallbackQueryHandler(confirm_street, pattern=r"^ac:asknb:\d{1,15}:\d{1,9}$"),
        CallbackQueryHandler(street_confirmed, pattern=r"^ac:donb:\d{1,15}:\d{1,9}$"),
    ]
