"""An imported volunteer accepts the charter from their invitation link; the coordinator's list of the
invitations still pending, where any is revoked and an imported volunteer given a new link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.domain.callbacks import Action, Digits, Id, Matching
from bot.domain.roles import COORDINATORS, EVERYONE

# Codes are 12 characters; at most what fits Telegram's 64 bytes of callback data after "vi:ok:".
INVITATION_CODE = "[A-Za-z0-9_-]{8,58}"


@dataclass(frozen=True)
class AcceptInvitation(Action, prefix="vi:ok", roles=EVERYONE):
    """Anyone holding the code may accept: the code is the proof, checked (and used up) by the service."""

    code: Annotated[str, Matching(INVITATION_CODE)]


@dataclass(frozen=True)
class InvitationsPage(Action, prefix="iv:page", roles=COORDINATORS):
    page: Annotated[int, Digits(4)]


@dataclass(frozen=True)
class NewInvitationLink(Action, prefix="iv:new", roles=COORDINATORS):
    """A new link for an imported volunteer (the old one stops working)."""

    volunteer_record: Id


@dataclass(frozen=True)
class RevokeVolunteerLink(Action, prefix="iv:drop", roles=COORDINATORS):
    volunteer_record: Id


@dataclass(frozen=True)
class RevokeProfessionalInvitation(Action, prefix="iv:pro", roles=COORDINATORS):
    invitation_id: Id
