"""Concern reports: how urgent, where they stand, how they reached the team, and what a reporter tells."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from pydantic import field_validator

from bot.domain.places import Address
from bot.domain.records import Record, json_list

# The six needs found in Agen's home visits.
NEEDS = ("mobility", "meals", "leisure", "company", "digital", "chores")
# What a neighbour sees from the street, on the report's first screen; the needs are among its details.
SEEN_SIGNS = ("shutters", "mail", "not_seen", "unwell", "bereaved", "no_visitor", "lonely")
NEED_SIGNS = tuple(f"need_{need}" for need in NEEDS)
SIGNS = (*SEEN_SIGNS, *NEED_SIGNS)
NO_ACTION_REASONS = ("not_isolated", "already_helped", "duplicate", "refused", "other")


class Urgency(StrEnum):
    DANGER = "danger"
    SOON = "soon"
    LATER = "later"


class ReportStatus(StrEnum):
    """new → triaged (a coordinator read it) → followed / no action / escalated → closed."""

    NEW = "new"
    TRIAGED = "triaged"
    FOLLOWED = "followed"
    NO_ACTION = "no_action"
    ESCALATED = "escalated"
    CLOSED = "closed"


class Relay(StrEnum):
    """A message passed between the coordination and a reporter through the bot."""

    SENT = "sent"
    # Not the reporter's report, a report gone, or a reporter who asked not to be contacted.
    NOT_POSSIBLE = "not_possible"


class Channel(StrEnum):
    TELEGRAM = "telegram"
    PHONE = "phone"
    IN_PERSON = "in_person"
    # The person themselves, after the isolation self-test, asked to be contacted.
    SELF_TEST = "self_test"


class DeskLimit(StrEnum):
    """What one account sends the coordinators' desk, counted per period against a limit."""

    REPORTS = "reports"
    DANGERS = "dangers"
    CONTACT_REQUESTS = "contact_requests"


@dataclass(frozen=True, slots=True)
class Ceiling:
    """At most `most` of `kind` from one account within `hours` (since a coordinator's lift, if later)."""

    kind: DeskLimit
    most: int
    hours: int


OPEN_STATUSES = (ReportStatus.NEW, ReportStatus.TRIAGED, ReportStatus.FOLLOWED, ReportStatus.ESCALATED)
# Read or not, a report still waits for a coordinator's decision in these.
UNDECIDED = (ReportStatus.NEW, ReportStatus.TRIAGED)
# The coordinator's list of reports, filtered: "todo" is every report still waiting for a decision.
REPORT_FILTERS: dict[str, tuple[ReportStatus, ...]] = {
    "todo": UNDECIDED,
    **{s.value: (s,) for s in ReportStatus},
    "all": tuple(ReportStatus),
}


class ReportRecord(Record):
    id: int
    reference: str
    channel: Channel
    reporter_id: int | None
    entered_by: int | None
    anonymous: bool
    contact_ok: bool
    street_id: int | None
    address: str | None
    lat: float | None
    lon: float | None
    neighbourhood: str | None
    signs: tuple[str, ...]
    urgency: Urgency
    who: str | None
    note: str | None
    status: ReportStatus
    person_id: int | None
    no_action_reason: str | None
    created_at: str

    _signs = field_validator("signs", mode="before")(json_list)


@dataclass(frozen=True, slots=True)
class Place:
    street_id: int | None = None
    address: str | None = None
    lat: float | None = None
    lon: float | None = None
    neighbourhood: str | None = None

    @classmethod
    def of(cls, address: Address) -> Place:
        return cls(address.street_id, address.label, address.lat, address.lon, address.neighbourhood)


@dataclass(frozen=True, slots=True)
class ReportContent:
    """What the reporter told: everything but who they are and how it reached us."""

    place: Place
    signs: Sequence[str]
    urgency: Urgency
    who: str | None
    note: str | None
    anonymous: bool
    contact_ok: bool
