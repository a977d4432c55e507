"""Privacy rights: erasing oneself, a coordinator erasing a person's file, the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.domain.callbacks import Action, Digits, Id
from bot.domain.roles import COORDINATORS, EVERYONE


@dataclass(frozen=True)
class ForgetMe(Action, prefix="pv:forget", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class ErasePerson(Action, prefix="pv:erase", roles=COORDINATORS):
    """Asks to be sure first."""

    person_id: Id


@dataclass(frozen=True)
class ErasePersonConfirmed(Action, prefix="pv:erase_yes", roles=COORDINATORS):
    person_id: Id


@dataclass(frozen=True)
class AuditPage(Action, prefix="au", roles=COORDINATORS):
    page: Annotated[int, Digits(5)]
