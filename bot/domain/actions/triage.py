"""The coordinator's desk of reports. Every id is checked again by the service: a button proves nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.domain.callbacks import Action, Digits, Id, OneOf
from bot.domain.reports import NO_ACTION_REASONS, REPORT_FILTERS
from bot.domain.roles import COORDINATORS

Filter = Annotated[str, OneOf(tuple(REPORT_FILTERS))]


@dataclass(frozen=True)
class ListReports(Action, prefix="tr:list", roles=COORDINATORS):
    filter: Filter
    # A neighbourhood's place in the town's list, or every neighbourhood.
    area: Annotated[int | None, Digits(3)]
    page: Annotated[int, Digits(4)]


@dataclass(frozen=True)
class PickReportArea(Action, prefix="tr:areas", roles=COORDINATORS):
    filter: Filter


@dataclass(frozen=True)
class OpenReport(Action, prefix="tr:open", roles=COORDINATORS):
    """Also Back from the name or question steps, which it ends."""

    report_id: Id


@dataclass(frozen=True)
class AttachChoices(Action, prefix="tr:attach", roles=COORDINATORS):
    report_id: Id


@dataclass(frozen=True)
class AttachReport(Action, prefix="tr:link", roles=COORDINATORS):
    report_id: Id
    person_id: Id


@dataclass(frozen=True)
class NoActionReasons(Action, prefix="tr:noact", roles=COORDINATORS):
    report_id: Id


@dataclass(frozen=True)
class NoAction(Action, prefix="tr:na", roles=COORDINATORS):
    report_id: Id
    reason: Annotated[str, OneOf(NO_ACTION_REASONS)]


@dataclass(frozen=True)
class Escalate(Action, prefix="tr:esc", roles=COORDINATORS):
    report_id: Id


@dataclass(frozen=True)
class CloseReport(Action, prefix="tr:close", roles=COORDINATORS):
    report_id: Id


@dataclass(frozen=True)
class OpenFileFromReport(Action, prefix="tr:file", roles=COORDINATORS):
    """Asks the person's name, then opens their file."""

    report_id: Id


@dataclass(frozen=True)
class AskReporter(Action, prefix="tr:ask", roles=COORDINATORS):
    report_id: Id
