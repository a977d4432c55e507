"""Invitations of imported volunteers: what opening one's link came to."""

from __future__ import annotations

from enum import StrEnum


class ClaimOutcome(StrEnum):
    JOINED = "joined"
    # The same account opened its own link again (or the update was replayed): nothing more to do.
    ALREADY_JOINED = "already_joined"
    # Already an approved volunteer: the record is tied to the account, the profile they keep is theirs.
    LINKED = "linked"
    # Unknown code, or used by another account.
    INVALID = "invalid"
    # This account is already tied to another imported record.
    OTHER_RECORD = "other_record"
