"""The week's plan (the coordinator's), a volunteer's answer to a visit, and the few taps after it. The
services check the plan, the pair and the time on top."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.domain.callbacks import Action, Id, OneOf, PageIndex
from bot.domain.reports import NEEDS
from bot.domain.roles import COORDINATORS, VOLUNTEERS
from bot.domain.visits import MOODS, Outcome

REPORTED_OUTCOMES = (Outcome.DONE, Outcome.NOBODY_HOME, Outcome.REFUSED)


@dataclass(frozen=True)
class PublishPlan(Action, prefix="pl:pub", roles=COORDINATORS):
    plan_id: Id


@dataclass(frozen=True)
class RerunPlan(Action, prefix="pl:rerun", roles=COORDINATORS):
    plan_id: Id


@dataclass(frozen=True)
class ShowPlan(Action, prefix="pl:show", roles=COORDINATORS):
    plan_id: Id


@dataclass(frozen=True)
class PlanPage(Action, prefix="pl:page", roles=COORDINATORS):
    """A page of the week's preview."""

    plan_id: Id
    page: PageIndex


@dataclass(frozen=True)
class WeekPage(Action, prefix="wk:page", roles=COORDINATORS):
    """A page of /week: the visits of the plan's week."""

    plan_id: Id
    page: PageIndex


@dataclass(frozen=True)
class ConfirmVisit(Action, prefix="vis:ok", roles=VOLUNTEERS):
    visit_id: Id


@dataclass(frozen=True)
class AskDeclineVisit(Action, prefix="vis:no", roles=VOLUNTEERS):
    """Can't go: asks to be sure first."""

    visit_id: Id


@dataclass(frozen=True)
class DeclineVisit(Action, prefix="vis:nok", roles=VOLUNTEERS):
    visit_id: Id


@dataclass(frozen=True)
class KeepVisit(Action, prefix="vis:keep", roles=VOLUNTEERS):
    pass


@dataclass(frozen=True)
class ReportOutcome(Action, prefix="vr:out", roles=VOLUNTEERS):
    """The first tap after a visit, which opens the rest of its report."""

    visit_id: Id
    outcome: Annotated[Outcome, OneOf(REPORTED_OUTCOMES)]


@dataclass(frozen=True)
class ReportMood(Action, prefix="vr:mood", roles=VOLUNTEERS):
    mood: Annotated[int, OneOf(MOODS)]


@dataclass(frozen=True)
class ToggleNeedSeen(Action, prefix="vr:need", roles=VOLUNTEERS):
    need: Annotated[str, OneOf(NEEDS)]


@dataclass(frozen=True)
class NeedsSeenDone(Action, prefix="vr:next", roles=VOLUNTEERS):
    pass


@dataclass(frozen=True)
class ReportWorry(Action, prefix="vr:worry", roles=VOLUNTEERS):
    worried: bool


@dataclass(frozen=True)
class SendVisitReport(Action, prefix="vr:send", roles=VOLUNTEERS):
    """Without a note."""


@dataclass(frozen=True)
class BackFromNeedsSeen(Action, prefix="vr:back:mood", roles=VOLUNTEERS):
    """Back to how the person seemed."""


@dataclass(frozen=True)
class BackFromWorry(Action, prefix="vr:back:worry", roles=VOLUNTEERS):
    """Back to the needs seen, or to the outcome when nobody was seen."""


@dataclass(frozen=True)
class BackFromNote(Action, prefix="vr:back:note", roles=VOLUNTEERS):
    """Back to the worry."""
