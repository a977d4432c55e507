"""The file of a person followed, for coordinators and professionals. Buttons carry all they need (the
person's id and the value), so they work in or out of a typing step; the service checks every value again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from bot.domain.callbacks import Action, Digits, Id, Matching, OneOf
from bot.domain.persons import CONSENT_WAYS, END_REASONS, VISITOR_GENDERS, AddressForm, FileField, PersonStatus
from bot.domain.reports import NEEDS
from bot.domain.roles import STAFF

# The screens of one field of the file.
PERSON_SCREENS = ("needs", "freq", "slots", "langs", "gender", "consent", "satisf", "end", "called")
ConsentWay = Annotated[str, OneOf(CONSENT_WAYS)]
ChoiceIndex = Annotated[int, Digits(1)]


@dataclass(frozen=True)
class OpenPerson(Action, prefix="pe:open", roles=STAFF):
    """The whole file (its reading is audited); also Back from any typed step, which it ends."""

    person_id: Id


@dataclass(frozen=True)
class PersonScreen(Action, prefix="pe:scr", roles=STAFF):
    person_id: Id
    screen: Annotated[str, OneOf(PERSON_SCREENS)]


@dataclass(frozen=True)
class TogglePersonNeed(Action, prefix="pe:need", roles=STAFF):
    person_id: Id
    need: Annotated[str, OneOf(NEEDS)]


@dataclass(frozen=True)
class TogglePersonSlot(Action, prefix="pe:slot", roles=STAFF):
    person_id: Id
    slot_id: Annotated[str, Matching("[a-z0-9-]{1,20}")]


@dataclass(frozen=True)
class TogglePersonLanguage(Action, prefix="pe:lang", roles=STAFF):
    person_id: Id
    code: Annotated[str, Matching("[a-z]{2,3}")]


@dataclass(frozen=True)
class SetVisitFrequency(Action, prefix="pe:freq", roles=STAFF):
    person_id: Id
    per_month: Annotated[int, Digits(2)]


@dataclass(frozen=True)
class SetVisitorGender(Action, prefix="pe:gender", roles=STAFF):
    person_id: Id
    gender: Annotated[str, OneOf(VISITOR_GENDERS)]


@dataclass(frozen=True)
class SetAddressForm(Action, prefix="pe:called", roles=STAFF):
    person_id: Id
    form: AddressForm


@dataclass(frozen=True)
class SetPersonStatus(Action, prefix="pe:st", roles=STAFF):
    """Pause or resume; ending goes through its reasons."""

    person_id: Id
    status: Annotated[PersonStatus, OneOf((PersonStatus.ACTIVE, PersonStatus.PAUSED))]


@dataclass(frozen=True)
class EndFollowUp(Action, prefix="pe:end", roles=STAFF):
    person_id: Id
    reason: Annotated[str, OneOf(END_REASONS)]


@dataclass(frozen=True)
class RecordSatisfaction(Action, prefix="pe:satisf", roles=STAFF):
    person_id: Id
    level: Annotated[int, Digits(1)]


@dataclass(frozen=True)
class WithdrawConsent(Action, prefix="pe:noconsent", roles=STAFF):
    person_id: Id


@dataclass(frozen=True)
class RemovePhone(Action, prefix="pe:nophone", roles=STAFF):
    person_id: Id


@dataclass(frozen=True)
class StopBereavement(Action, prefix="pe:noloss", roles=STAFF):
    person_id: Id


@dataclass(frozen=True)
class SetLossDay(Action, prefix="pe:loss", roles=STAFF):
    person_id: Id
    day: date


@dataclass(frozen=True)
class SetConsentDay(Action, prefix="pe:cdate", roles=STAFF):
    person_id: Id
    how: ConsentWay
    day: date


@dataclass(frozen=True)
class AskPersonField(Action, prefix="pe:ask", roles=STAFF):
    person_id: Id
    field: FileField


@dataclass(frozen=True)
class AskConsentDay(Action, prefix="pe:consent", roles=STAFF):
    person_id: Id
    how: ConsentWay


@dataclass(frozen=True)
class SearchPersons(Action, prefix="pe:find", roles=STAFF):
    pass


@dataclass(frozen=True)
class ListPersons(Action, prefix="pe:list", roles=STAFF):
    page: Annotated[int, Digits(4)]


@dataclass(frozen=True)
class ListAllPersons(Action, prefix="pe:all", roles=STAFF):
    """The list without the search typed before."""


@dataclass(frozen=True)
class PickPersonAddress(Action, prefix="pe:addr", roles=STAFF):
    index: ChoiceIndex


@dataclass(frozen=True)
class KeepTypedPersonAddress(Action, prefix="pe:keep", roles=STAFF):
    pass
