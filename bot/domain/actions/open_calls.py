"""Open calls: the coordinator's board and launch, the volunteers' answer. The service checks, on top, that
the week is published and that the volunteer was asked."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.callbacks import Action, Id, PageIndex
from bot.domain.roles import COORDINATORS, VOLUNTEERS


@dataclass(frozen=True)
class OpenCallBoard(Action, prefix="oc:list", roles=COORDINATORS):
    plan_id: Id


@dataclass(frozen=True)
class BoardPage(Action, prefix="oc:page", roles=COORDINATORS):
    plan_id: Id
    page: PageIndex


@dataclass(frozen=True)
class CallForLeftOut(Action, prefix="oc:left", roles=COORDINATORS):
    """A person the published plan left out."""

    plan_id: Id
    person_id: Id


@dataclass(frozen=True)
class CallForDeclined(Action, prefix="oc:visit", roles=COORDINATORS):
    """A visit a volunteer could not make and nobody took over."""

    visit_id: Id


@dataclass(frozen=True)
class AcceptCall(Action, prefix="oc:yes", roles=VOLUNTEERS):
    call_id: Id


@dataclass(frozen=True)
class DeclineCall(Action, prefix="oc:no", roles=VOLUNTEERS):
    call_id: Id
