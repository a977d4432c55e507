"""A week's plan and its visits: where each stands, the volunteer's answer, and what became of the visit."""

from __future__ import annotations

from enum import StrEnum

# How the person seemed, from 1 (very low) to 5 (very well), as the pair answers after a visit.
MOODS = (1, 2, 3, 4, 5)


class PlanStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class VisitStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DONE = "done"
    MISSED = "missed"
    DECLINED = "declined"
    REPLACED = "replaced"


class Answer(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class Outcome(StrEnum):
    DONE = "done"
    NOBODY_HOME = "nobody_home"
    REFUSED = "refused"
    UNANSWERED = "unanswered"
