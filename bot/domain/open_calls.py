"""Open calls for the visits nobody could take: where a call stands, each volunteer's answer, and what a
press on "I can go" came to."""

from __future__ import annotations

from enum import StrEnum


class CallStatus(StrEnum):
    OPEN = "open"
    FILLED = "filled"
    EXPIRED = "expired"


class CallAnswer(StrEnum):
    ASKED = "asked"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Acceptance(StrEnum):
    NOT_INVITED = "not_invited"  # no such call, or this volunteer was not asked
    CLOSED = "closed"  # taken by others, or ended
    BUSY = "busy"  # since asked, the volunteer got a visit in that slot or reached their capacity
    ALREADY = "already"  # accepted before, still waiting for a partner
    HELD = "held"  # accepted, waiting for a partner they may go with
    FILLED = "filled"  # accepted, and the pair is complete
