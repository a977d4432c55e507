"""/team, for coordinators: who has access (professionals, volunteers, caring neighbours), and taking it away
with one confirmation: remove a professional, suspend, reinstate or remove a volunteer, remove a neighbour
from a street. The service audits it, tells the person and hands a volunteer's outings over."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import BaseHandler

from bot.domain import commands
from bot.domain.actions.team import (
    GROUPS,
    AskAccessChange,
    AskRemoveFromStreet,
    ChangeAccess,
    RemoveFromStreet,
    TeamGroup,
    TeamHome,
    TeamMember,
)
from bot.domain.callbacks import Button
from bot.domain.team import Change
from bot.domain.volunteers import VolunteerStatus
from bot.handlers.access import command, on, plain
from bot.handlers.common import Context, answer, buttons
from bot.handlers.leaving import MENU
from bot.handlers.menus import keep_menu
from bot.i18n import Translator
from bot.services.access import Team

# Names on one page, three a row.
PAGE_SIZE = 24
GROUP_OF = {
    Change.REMOVE_PROFESSIONAL: "pro",
    Change.SUSPEND: "vol",
    Change.REINSTATE: "vol",
    Change.REMOVE_VOLUNTEER: "vol",
}


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


async def home(update: Update, context: Context) -> None:
    _ = await context.translator()
    team = await context.services.access.team()
    rows = [
        [Button.labelled(_.label(f"team.group.{group}", count=len(_members(team, group))), TeamGroup(group, 0))]
        for group in GROUPS
    ]
    await answer(update, _("team.title"), buttons(_, [*rows, [MENU]]))


async def group_list(update: Update, context: Context, listed: TeamGroup) -> None:
    _ = await context.translator()
    group = listed.group
    members = _members(await context.services.access.team(), group)
    pages = max(1, -(-len(members) // PAGE_SIZE))
    page = min(listed.page, pages - 1)
    shown = members[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    names = [Button.labelled(label, TeamMember(group, telegram_id)) for telegram_id, label in shown]
    rows = [names[i : i + 3] for i in range(0, len(names), 3)]
    turns = []
    if page > 0:
        turns.append(Button("button.previous", TeamGroup(group, page - 1)))
    if page + 1 < pages:
        turns.append(Button("button.next", TeamGroup(group, page + 1)))
    title = _("team.list", group=_(f"team.name.{group}"), count=len(members), page=page + 1, pages=pages)
    await answer(update, title, buttons(_, [*rows, turns, [Button("button.back", TeamHome())]]))


async def member(update: Update, context: Context, pressed: TeamMember) -> None:
    _ = await context.translator()
    group, telegram_id = pressed.group, pressed.telegram_id
    svc = context.services
    team = await svc.access.team()
    back = [Button("button.back", TeamGroup(group, 0))]
    zone = ZoneInfo(svc.settings.reports.timezone)
    if group == "pro":
        found = next((m for m in team.professionals if m.telegram_id == telegram_id), None)
        if found is not None:
            text = _("team.professional", name=found.first_name, since=_since(_, found.since, zone))
            rows = [[_ask(Change.REMOVE_PROFESSIONAL, telegram_id)]]
            await answer(update, text, buttons(_, [*rows, back]))
            return
    elif group == "vol":
        volunteer = next((v for v in team.volunteers if v.telegram_id == telegram_id), None)
        if volunteer is not None:
            status = _(f"team.volunteer_status.{volunteer.status.value}")
            kind = _(f"volunteer.kind.{volunteer.kind.value}")
            text = _("team.volunteer", name=volunteer.first_name, kind=kind, status=status)
            pause = Change.REINSTATE if volunteer.status is VolunteerStatus.SUSPENDED else Change.SUSPEND
            rows = [[_ask(pause, telegram_id)], [_ask(Change.REMOVE_VOLUNTEER, telegram_id)]]
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
                        _.label("team.remove_from_street", street=s.street),
                        AskRemoveFromStreet(telegram_id, s.street_id),
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


def _ask(change: Change, telegram_id: int) -> Button:
    return Button(f"team.button.{change.value}", AskAccessChange(change, telegram_id))


async def _name(context: Context, telegram_id: int) -> str:
    return await context.services.people.first_name(telegram_id) or "?"


async def confirm(update: Update, context: Context, asked: AskAccessChange) -> None:
    _ = await context.translator()
    change, telegram_id = asked.change, asked.telegram_id
    rows = [
        [Button(f"team.yes.{change.value}", ChangeAccess(change, telegram_id))],
        [Button("button.back", TeamMember(GROUP_OF[change], telegram_id))],
    ]
    await answer(update, _(f"team.confirm.{change.value}", name=await _name(context, telegram_id)), buttons(_, rows))


async def confirmed(update: Update, context: Context, chosen: ChangeAccess) -> None:
    _ = await context.translator()
    change, telegram_id = chosen.change, chosen.telegram_id
    user = update.effective_user
    assert user is not None
    name = await _name(context, telegram_id)
    done = await context.services.access.change(change, telegram_id, user.id, update.update_id)
    await keep_menu(context.bot, context.services, telegram_id)
    text = _(f"team.done.{change.value}", name=name) if done else _("team.gone")
    await answer(update, text, buttons(_, [[Button("button.back", TeamGroup(GROUP_OF[change], 0))]]))


async def confirm_street(update: Update, context: Context, asked: AskRemoveFromStreet) -> None:
    _ = await context.translator()
    telegram_id, street_id = asked.telegram_id, asked.street_id
    street = await context.services.streets.get(street_id)
    text = _("team.confirm.street", name=await _name(context, telegram_id), street=street.name if street else "?")
    rows = [
        [Button("team.yes.street", RemoveFromStreet(telegram_id, street_id))],
        [Button("button.back", TeamMember("nb", telegram_id))],
    ]
    await answer(update, text, buttons(_, rows))


async def street_confirmed(update: Update, context: Context, chosen: RemoveFromStreet) -> None:
    _ = await context.translator()
    telegram_id, street_id = chosen.telegram_id, chosen.street_id
    user = update.effective_user
    assert user is not None
    svc = context.services
    street = await svc.streets.get(street_id)
    name = await _name(context, telegram_id)
    done = await svc.access.remove_neighbour(telegram_id, street_id, user.id, update.update_id)
    await keep_menu(context.bot, svc, telegram_id)
    text = _("team.done.street", name=name, street=street.name if street else "?") if done else _("team.gone")
    await answer(update, text, buttons(_, [[Button("button.back", TeamGroup("nb", 0))]]))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        command(commands.TEAM, home),
        on(TeamHome, plain(home)),
        on(TeamGroup, group_list),
        on(TeamMember, member),
        on(AskAccessChange, confirm),
        on(ChangeAccess, confirmed),
        on(AskRemoveFromStreet, confirm_street),
        on(RemoveFromStreet, street_confirmed),
    ]
