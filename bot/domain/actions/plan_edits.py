"""The coordinator's edits of a draft week: another volunteer in a pair (swap), a visit moved (move). Each
step offers only the valid choices; the service checks a press again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.domain.callbacks import Action, Digits, Id, OneOf, PageIndex, TelegramId
from bot.domain.roles import COORDINATORS

SlotIndex = Annotated[int, Digits(2)]
EDITS = ("swap", "move")


@dataclass(frozen=True)
class SwapWhichOuting(Action, prefix="pl:swap", roles=COORDINATORS):
    plan_id: Id


@dataclass(frozen=True)
class EditOutingsPage(Action, prefix="pl:outs", roles=COORDINATORS):
    """A page of the draft's outings, to pick the one an edit (a swap or a move) starts from."""

    plan_id: Id
    edit: Annotated[str, OneOf(EDITS)]
    page: PageIndex


@dataclass(frozen=True)
class SwapWhoLeaves(Action, prefix="pl:sw1", roles=COORDINATORS):
    """An outing, named by its first visit."""

    visit_id: Id


@dataclass(frozen=True)
class SwapWhoComes(Action, prefix="pl:sw2", roles=COORDINATORS):
    visit_id: Id
    leaving: TelegramId


@dataclass(frozen=True)
class SwapMember(Action, prefix="pl:sw3", roles=COORDINATORS):
    visit_id: Id
    leaving: TelegramId
    coming: TelegramId


@dataclass(frozen=True)
class MoveFromWhichOuting(Action, prefix="mv:out", roles=COORDINATORS):
    plan_id: Id


@dataclass(frozen=True)
class MoveWhichVisit(Action, prefix="mv:vis", roles=COORDINATORS):
    """An outing, named by its first visit."""

    visit_id: Id


@dataclass(frozen=True)
class MoveWhere(Action, prefix="mv:pick", roles=COORDINATORS):
    visit_id: Id


@dataclass(frozen=True)
class MoveWhichPair(Action, prefix="mv:sl", roles=COORDINATORS):
    """A new pair in another slot (its index in the week's slots): which two."""

    visit_id: Id
    slot_index: SlotIndex


@dataclass(frozen=True)
class MoveToOuting(Action, prefix="mv:to", roles=COORDINATORS):
    visit_id: Id
    target_visit_id: Id


@dataclass(frozen=True)
class MoveToNewPair(Action, prefix="mv:np", roles=COORDINATORS):
    visit_id: Id
    slot_index: SlotIndex
    first: TelegramId
    second: TelegramId
