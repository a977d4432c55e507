"""The quick report (anyone; a coordinator enters one received by phone or in person), and the reporter's
answer to a question relayed by the coordinator (the service checks whose report it is)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.domain.callbacks import Action, Digits, Id, OneOf
from bot.domain.reports import SIGNS, Channel, Urgency
from bot.domain.roles import COORDINATORS, EVERYONE

# A choice among the few addresses shown.
ChoiceIndex = Annotated[int, Digits(1)]


@dataclass(frozen=True)
class ChooseReportChannel(Action, prefix="rp:ch", roles=COORDINATORS):
    channel: Annotated[Channel, OneOf((Channel.PHONE, Channel.IN_PERSON))]


@dataclass(frozen=True)
class ReportAtMyStreet(Action, prefix="rp:mine", roles=EVERYONE):
    street_id: Id


@dataclass(frozen=True)
class PickReportAddress(Action, prefix="rp:addr", roles=EVERYONE):
    index: ChoiceIndex


@dataclass(frozen=True)
class KeepTypedReportAddress(Action, prefix="rp:keep", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class BackToWhere(Action, prefix="rp:back", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class ToggleSign(Action, prefix="rp:sign", roles=EVERYONE):
    sign: Annotated[str, OneOf(SIGNS)]


@dataclass(frozen=True)
class ChooseUrgency(Action, prefix="rp:urg", roles=EVERYONE):
    urgency: Annotated[Urgency, OneOf((Urgency.SOON, Urgency.LATER))]


@dataclass(frozen=True)
class ToggleAnonymous(Action, prefix="rp:anon", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class ToggleContact(Action, prefix="rp:contact", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class AskWho(Action, prefix="rp:who", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class AskNote(Action, prefix="rp:note", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class BackToSigns(Action, prefix="rp:signs", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class ShowReportDetails(Action, prefix="rp:more", roles=EVERYONE):
    """The optional details, folded behind one button: urgency, needs, who, a note, anonymity, contact."""


@dataclass(frozen=True)
class DangerNow(Action, prefix="rp:danger", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class SendReport(Action, prefix="rp:send", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class AnswerQuestion(Action, prefix="rp:answer", roles=EVERYONE):
    report_id: Id
