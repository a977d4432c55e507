"""Applying as a volunteer, and the coordinator's decision."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.callbacks import Action, PageIndex, TelegramId
from bot.domain.roles import COORDINATORS, EVERYONE
from bot.domain.volunteers import VolunteerKind


@dataclass(frozen=True)
class ChooseVolunteerKind(Action, prefix="vo:kind", roles=EVERYONE):
    kind: VolunteerKind


@dataclass(frozen=True)
class AcceptVolunteerCharter(Action, prefix="vo:accept", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class BackToVolunteerKinds(Action, prefix="vo:back", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class ApproveVolunteer(Action, prefix="vol:ok", roles=COORDINATORS):
    volunteer_id: TelegramId


@dataclass(frozen=True)
class RefuseVolunteer(Action, prefix="vol:no", roles=COORDINATORS):
    volunteer_id: TelegramId


@dataclass(frozen=True)
class PendingPage(Action, prefix="vol:page", roles=COORDINATORS):
    """A page of /pending: the applications waiting for a decision."""

    page: PageIndex
