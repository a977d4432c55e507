"""/team, for coordinators: who has access, and taking it away with one confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.domain.callbacks import Action, Digits, Id, OneOf, TelegramId
from bot.domain.roles import COORDINATORS
from bot.domain.team import Change

# Professionals, volunteers, caring neighbours.
GROUPS = ("pro", "vol", "nb")
Group = Annotated[str, OneOf(GROUPS)]


@dataclass(frozen=True)
class TeamHome(Action, prefix="ac:home", roles=COORDINATORS):
    pass


@dataclass(frozen=True)
class TeamGroup(Action, prefix="ac:list", roles=COORDINATORS):
    group: Group
    page: Annotated[int, Digits(4)]


@dataclass(frozen=True)
class TeamMember(Action, prefix="ac:who", roles=COORDINATORS):
    group: Group
    telegram_id: TelegramId


@dataclass(frozen=True)
class AskAccessChange(Action, prefix="ac:ask", roles=COORDINATORS):
    change: Change
    telegram_id: TelegramId


@dataclass(frozen=True)
class ChangeAccess(Action, prefix="ac:do", roles=COORDINATORS):
    change: Change
    telegram_id: TelegramId


@dataclass(frozen=True)
class AskRemoveFromStreet(Action, prefix="ac:asknb", roles=COORDINATORS):
    telegram_id: TelegramId
    street_id: Id


@dataclass(frozen=True)
class RemoveFromStreet(Action, prefix="ac:donb", roles=COORDINATORS):
    telegram_id: TelegramId
    street_id: Id
