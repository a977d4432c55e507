"""What a person has answered so far in the conversations underway: typed, and kept across restarts (stored
by the persistence as JSON, one object a person, each conversation's draft under its own name)."""

from __future__ import annotations

import json
import logging
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.domain.visits import Outcome
from bot.domain.volunteers import VolunteerKind

log = logging.getLogger(__name__)


class VisitReportDraft(BaseModel):
    """The few taps after a visit, until the report is sent."""

    visit: int
    outcome: Outcome
    mood: int | None = None
    needs: list[str] = []
    worry: bool = False


class Drafts(BaseModel):
    model_config = ConfigDict(validate_assignment=True)

    visit_report: VisitReportDraft | None = None
    volunteer_kind: VolunteerKind | None = None
    neighbour_street: int | None = None
    untyped: dict[str, Any] = Field(default_factory=dict)
    """Not typed yet: the drafts of bot/handlers/report.py ("report", "answering"), persons.py ("person_edit",
    "persons_query") and triage.py ("triage_report"), under their old names. To be replaced by typed fields."""

    def clear(self) -> None:
        """Every conversation's draft dropped (/start, /cancel, or the person's data erased)."""
        for name, field in type(self).model_fields.items():
            setattr(self, name, field.get_default(call_default_factory=True))

    def dumped(self) -> str | None:
        """The JSON kept for this person (the untyped drafts beside the typed ones), None when there is none."""
        typed = self.model_dump(mode="json", exclude_defaults=True, exclude={"untyped"})
        found = {**self.untyped, **typed}
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
            if name not in cls.model_fields or name == "untyped":
                drafts.untyped[name] = value
                continue
            try:
                setattr(drafts, name, value)  # validated on assignment
            except ValidationError:
                log.warning("drafts.dropped field=%s", name)
        return drafts
