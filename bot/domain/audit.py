"""An entry of the audit log: who opened which file, exported what, erased what; never the content.

An entry is stored as three words: the actor (a Telegram id, 0 for the bot itself, minus an erasure's number
for someone erased), the action ("person.opened", "person.changed:name,phone", "neighbour.removed:street:12")
and its subject ("person:12", "user:100002", "erasure:3", "count:4", "evaluation:2026-01-01..2026-12-31").
They are read back here into parts a reader's language can say."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.persons import EDITABLE
from bot.domain.records import Record

# Actor of what the bot does by itself (the daily retention pass).
BOT_ACTOR = 0

# Every action the bot writes; one it does not know (written by a later version) is said as "another action".
ACTIONS = frozenset(
    {
        "data.exported",
        "reports.anonymised",
        "export.evaluation",
        "export.with_names",
        "professional.added",
        "professional.removed",
        "volunteer.approved",
        "volunteer.refused",
        "volunteer.suspended",
        "volunteer.reinstated",
        "volunteer.removed",
        "volunteer.experienced",
        "volunteer.not_experienced",
        "volunteer.imported",
        "volunteer.invitation_renewed",
        "volunteer.invitation_revoked",
        "volunteer.invitation_claimed",
        "neighbour.removed",
        "invitation.revoked",
        "person.created",
        "person.opened",
        "person.changed",
        "person.active",
        "person.paused",
        "person.ended",
        "person.imported",
        "person.erased",
        "user.erased",
    }
)
# The fields of a person's file a change may name (person.changed:...): those a coordinator edits, the address
# with its street, and the satisfaction asked.
FIELDS = EDITABLE | {"address", "street_id", "satisfaction"}
# The subjects an entry may name, by the word before the colon.
SUBJECTS = ("user", "person", "volunteer_invitation", "erasure", "invitation", "count", "evaluation")


class AuditEntry(Record):
    at: str
    actor: int
    actor_name: str | None
    action: str
    subject: str
    subject_name: str | None = None
    """The name of the user, the person's file or the invited volunteer the subject points to, while it exists."""
    street_name: str | None = None
    """The street a neighbour was removed from."""


@dataclass(frozen=True, slots=True)
class Parsed:
    action: str  # one of ACTIONS, or "other"
    fields: tuple[str, ...]  # the fields of a file that changed
    subject_kind: str  # one of SUBJECTS, or "other"
    subject_value: str


def parse(entry: AuditEntry) -> Parsed:
    action, _colon, detail = entry.action.partition(":")
    fields = tuple(sorted(set(detail.split(",")))) if action == "person.changed" and detail else ()
    kind, _colon, value = entry.subject.partition(":")
    return Parsed(action if action in ACTIONS else "other", fields, kind if kind in SUBJECTS else "other", value)
