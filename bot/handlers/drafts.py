"""What a person has answered so far in the conversations underway: typed, and kept across restarts (stored
by the persistence as JSON, one object a person, each conversation's draft under its own name).

The previous version stored the drafts of the report, the person file and the desk as plain objects under the
same names: they are read into their types here (the report's and the person file's reshaped), and a draft
that does not read is dropped, its step then saying it is no longer open."""

from __future__ import annotations

import json
import logging
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.domain.persons import CONSENT_WAYS, FileField
from bot.domain.places import Address
from bot.domain.reports import SIGNS, Channel, Place, Urgency
from bot.domain.visits import Outcome
from bot.domain.volunteers import VolunteerKind

log = logging.getLogger(__name__)


def _one_of(allowed: tuple[str, ...]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"not one of {allowed}")
        return value

    return AfterValidator(check)


class Draft(BaseModel):
    model_config = ConfigDict(validate_assignment=True)


class VisitReportDraft(Draft):
    """The few taps after a visit, until the report is sent."""

    visit: int
    outcome: Outcome
    mood: int | None = None
    needs: list[str] = []
    worry: bool = False


class AddressQuestion(Draft):
    """The address step between typed text and a choice: what was typed, and the addresses it found."""

    typed: str
    choices: list[Address] = []


def _previous_address(stored: object) -> object:
    """An address choice as the previous version stored it (its label under "address")."""
    if isinstance(stored, dict) and "address" in stored and "label" not in stored:
        return {"label": stored["address"], **{k: v for k, v in stored.items() if k != "address"}}
    return stored


def _previous_question(stored: dict[str, Any]) -> dict[str, Any] | None:
    typed = stored.get("typed")
    if not typed:
        return None
    return {"typed": typed, "choices": [_previous_address(c) for c in stored.get("choices") or []]}


class ReportText(StrEnum):
    """The free text a report's details step awaits."""

    WHO = "who"
    NOTE = "note"


class ReportDraft(Draft):
    """A report until it is sent. Anonymous unless the reporter says otherwise: the town's plan names "the
    report is not anonymous" as a risk."""

    channel: Channel = Channel.TELEGRAM
    place: Place | None = None
    found: AddressQuestion | None = None
    signs: list[Annotated[str, _one_of(SIGNS)]] = []
    urgency: Urgency = Urgency.SOON
    anonymous: bool = True
    contact_ok: bool = False
    who: str | None = None
    note: str | None = None
    awaiting: ReportText | None = None
    # The report stored at "Danger now", completed when the rest is sent.
    danger_id: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _previous(cls, stored: object) -> object:
        """The previous version kept the typed address and its choices beside the rest."""
        if isinstance(stored, dict) and ("typed" in stored or "choices" in stored):
            rest = {k: v for k, v in stored.items() if k not in ("typed", "choices")}
            return {**rest, "found": _previous_question(stored)}
        return stored


class FileFieldStep(Draft):
    """A field of a person's file being typed (the address through the address step)."""

    step: Literal["field"] = "field"
    person_id: int
    field: FileField
    found: AddressQuestion | None = None


class ConsentDayStep(Draft):
    """The day a consent was given that way, being typed."""

    step: Literal["consent"] = "consent"
    person_id: int
    how: Annotated[str, _one_of(CONSENT_WAYS)]


class SearchStep(Draft):
    """Part of a name or a street being typed, to find files."""

    step: Literal["search"] = "search"


PersonStep = Annotated[FileFieldStep | ConsentDayStep | SearchStep, Field(discriminator="step")]


def _previous_person_step(stored: object) -> object:
    """The previous version's {"id", "field", "choices", "typed"}, its field "search", "consent:<how>" or the
    field typed."""
    if not isinstance(stored, dict) or "field" not in stored or "step" in stored:
        return stored
    field = str(stored["field"])
    if field == "search":
        return {"step": "search"}
    if field.startswith("consent:"):
        return {"step": "consent", "person_id": stored.get("id"), "how": field.removeprefix("consent:")}
    return {"step": "field", "person_id": stored.get("id"), "field": field, "found": _previous_question(stored)}


class Drafts(Draft):
    visit_report: VisitReportDraft | None = None
    volunteer_kind: VolunteerKind | None = None
    neighbour_street: int | None = None
    report: ReportDraft | None = None
    # The report whose reporter is typing an answer to the coordination's question.
    answering: int | None = None
    person_edit: PersonStep | None = None
    # The last search of /persons, kept for its pages.
    persons_query: str = ""
    # The report whose person's name or question to the reporter the coordinator is typing.
    triage_report: int | None = None

    _person_edit = field_validator("person_edit", mode="before")(_previous_person_step)

    def clear(self) -> None:
        """Every conversation's draft dropped (/start, /cancel, or the person's data erased)."""
        for name, field in type(self).model_fields.items():
            setattr(self, name, field.get_default(call_default_factory=True))

    def dumped(self) -> str | None:
        """The JSON kept for this person: each draft underway, whole (a step's kind included); None when
        there is none."""
        empty = type(self)().model_dump(mode="json")
        found = {name: value for name, value in self.model_dump(mode="json").items() if value != empty[name]}
        return json.dumps(found, ensure_ascii=False) if found else None

    @classmethod
    def restored(cls, stored: str) -> Drafts:
        """The drafts kept, as a previous version may have written them: a draft that no longer reads as its
        type is dropped (logged), the others kept; the step that needed it then says it is no longer open."""
        try:
            found = json.loads(stored)
        except ValueError:
            found = None
        if not isinstance(found, dict):
            log.warning("drafts.dropped field=*")
            return cls()
        drafts = cls()
        for name, value in found.items():
            if name not in cls.model_fields:
                log.warning("drafts.dropped field=%s", name)
                continue
            try:
                setattr(drafts, name, value)  # validated on assignment
            except ValidationError:
                log.warning("drafts.dropped field=%s", name)
        return drafts
