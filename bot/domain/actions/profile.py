"""An approved volunteer's profile, all with buttons: weekly grid, absences, visits a week, home street,
languages, gender, pause."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from bot.domain.callbacks import Absent, Action, Digits, Id, Matching
from bot.domain.roles import VOLUNTEERS
from bot.domain.volunteers import Gender

Page = Annotated[int, Digits(3)]


@dataclass(frozen=True)
class ProfileMenu(Action, prefix="pf:home", roles=VOLUNTEERS):
    """Also Back from the home street's question, which it ends."""


@dataclass(frozen=True)
class ProfileGrid(Action, prefix="pf:grid", roles=VOLUNTEERS):
    pass


@dataclass(frozen=True)
class ProfileCapacity(Action, prefix="pf:cap", roles=VOLUNTEERS):
    pass


@dataclass(frozen=True)
class ProfileLanguages(Action, prefix="pf:lang", roles=VOLUNTEERS):
    pass


@dataclass(frozen=True)
class ProfileGender(Action, prefix="pf:gender", roles=VOLUNTEERS):
    pass


@dataclass(frozen=True)
class ProfileAbsences(Action, prefix="pf:abs", roles=VOLUNTEERS):
    pass


@dataclass(frozen=True)
class AskHomeStreet(Action, prefix="pf:street", roles=VOLUNTEERS):
    pass


@dataclass(frozen=True)
class PickHomeStreet(Action, prefix="pf:street", roles=VOLUNTEERS):
    street_id: Id


@dataclass(frozen=True)
class ToggleAvailableSlot(Action, prefix="pf:slot", roles=VOLUNTEERS):
    slot_id: Annotated[str, Matching("[a-z0-9-]{1,20}")]


@dataclass(frozen=True)
class SetCapacity(Action, prefix="pf:cap", roles=VOLUNTEERS):
    """Visits a week."""

    capacity: Annotated[int, Digits(1)]


@dataclass(frozen=True)
class ToggleSpokenLanguage(Action, prefix="pf:lang", roles=VOLUNTEERS):
    code: Annotated[str, Matching("[a-z]{2,3}")]


@dataclass(frozen=True)
class SetGender(Action, prefix="pf:gender", roles=VOLUNTEERS):
    gender: Annotated[Gender | None, Absent("none")]


@dataclass(frozen=True)
class Pause(Action, prefix="pf:pause", roles=VOLUNTEERS):
    pass


@dataclass(frozen=True)
class Resume(Action, prefix="pf:resume", roles=VOLUNTEERS):
    pass


@dataclass(frozen=True)
class AbsenceStartPage(Action, prefix="pf:abs:from", roles=VOLUNTEERS):
    """The days an absence may start on, a page at a time."""

    page: Page


@dataclass(frozen=True)
class AbsenceStartChosen(Action, prefix="pf:abs:start", roles=VOLUNTEERS):
    first: date


@dataclass(frozen=True)
class AbsenceEndPage(Action, prefix="pf:abs:to", roles=VOLUNTEERS):
    """The days an absence starting on `first` may end on, a page at a time."""

    first: date
    page: Page


@dataclass(frozen=True)
class AddAbsence(Action, prefix="pf:abs:end", roles=VOLUNTEERS):
    first: date
    last: date


@dataclass(frozen=True)
class DeleteAbsence(Action, prefix="pf:abs:del", roles=VOLUNTEERS):
    absence_id: Id
