"""Persons followed: where their follow-up stands, their file as read above storage, and the choices it offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pydantic import field_validator

from bot.domain.grammar import GrammaticalGender
from bot.domain.records import Record, json_list

VISIT_FREQUENCIES = (1, 2, 4, 8)
VISITOR_GENDERS = ("any", "female", "male")
CONSENT_WAYS = ("oral", "written", "phone")
# "left_isolation" is the outcome the town's plan is judged on (see bot/services/indicators.py).
END_REASONS = ("left_isolation", "moved", "care_home", "deceased", "not_needed", "refused", "other")
# How satisfied the person says they are with the visits, when asked: 4 very ... 1 not at all.
SATISFACTION_LEVELS = (4, 3, 2, 1)


class AddressForm(StrEnum):
    """How the visitors address the person: what they say at the door, and whom the sentences agree with."""

    MADAME = "madame"
    MONSIEUR = "monsieur"
    FIRST_NAME = "first_name"

    @property
    def grammar(self) -> GrammaticalGender | None:
        """Madame's sentences agree in the feminine, Monsieur's in the masculine; by first name, nobody said."""
        return {"madame": GrammaticalGender.FEMININE, "monsieur": GrammaticalGender.MASCULINE}.get(self.value)


class FileField(StrEnum):
    """The fields of a file asked by typing (the day of a loss may also be picked)."""

    NAME = "name"
    ADDRESS = "address"
    PHONE = "phone"
    LOSS = "loss"


class PersonStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class PersonRecord(Record):
    id: int
    name: str
    address: str
    street_id: int | None
    lat: float | None
    lon: float | None
    phone: str | None
    needs: tuple[str, ...]
    visits_per_month: int
    slots: tuple[str, ...]
    languages: tuple[str, ...]
    visitor_gender: str
    consent_at: str | None
    consent_how: str | None
    bereavement_on: str | None
    status: PersonStatus
    ended_reason: str | None
    address_as: AddressForm | None = None

    @property
    def grammar(self) -> GrammaticalGender | None:
        return self.address_as.grammar if self.address_as is not None else None

    _lists = field_validator("needs", "slots", "languages", mode="before")(json_list)


class Edit(StrEnum):
    """What a change to a file came to. A value refused leaves the file as it was."""

    CHANGED = "changed"
    # A value no button offers now (an old or forged one), or a file that is not there.
    NOT_POSSIBLE = "not_possible"
    BAD_NAME = "bad_name"
    BAD_PHONE = "bad_phone"
    BAD_DATE = "bad_date"


@dataclass(frozen=True, slots=True)
class CheckinsScheduled:
    """The bereavement follow-up set: the check-ins still ahead (none when the loss is long past)."""

    days: tuple[date, ...]


# Columns a coordinator may change on a file (each a column of its own).
EDITABLE = frozenset(
    {
        "name",
        "phone",
        "needs",
        "visits_per_month",
        "slots",
        "languages",
        "visitor_gender",
        "consent_at",
        "consent_how",
        "bereavement_on",
        "access_notes",
        "address_as",
    }
)
