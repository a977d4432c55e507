"""Invitations: what opening an imported volunteer's link came to, the records the coordinator's list reads."""

from __future__ import annotations

from enum import StrEnum

from pydantic import field_validator

from bot.domain.records import Record, json_list
from bot.domain.volunteers import Gender, VolunteerKind


class ClaimOutcome(StrEnum):
    JOINED = "joined"
    # The same account opened its own link again (or the update was replayed): nothing more to do.
    ALREADY_JOINED = "already_joined"
    # Already an approved volunteer: the record is tied to the account, the profile they keep is theirs.
    LINKED = "linked"
    # Unknown code, expired or revoked, or used by another account.
    INVALID = "invalid"
    # This account is already tied to another imported record.
    OTHER_RECORD = "other_record"


class PendingInvitation(Record):
    """A professional's invitation not used yet, as the coordinator's list shows it."""

    id: int
    created_by: int
    created_by_name: str | None
    created_at: str
    expires_at: str


class ImportedVolunteer(Record):
    id: int
    import_key: str
    # When the link stops working; None when there is no link (revoked, until a new one is issued).
    expires_at: str | None
    link_valid: bool
    first_name: str
    last_name: str
    phone: str | None
    kind: VolunteerKind
    home_street_id: int | None
    capacity: int | None
    slots: tuple[str, ...]
    languages: tuple[str, ...]
    gender: Gender | None
    experienced: bool
    imported_by: int
    claimed_by: int | None

    _lists = field_validator("slots", "languages", mode="before")(json_list)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
