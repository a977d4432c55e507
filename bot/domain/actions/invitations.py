"""An imported volunteer accepts the charter from their invitation link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.domain.callbacks import Action, Matching
from bot.domain.roles import EVERYONE

# Codes are 12 characters; at most what fits Telegram's 64 bytes of callback data after "vi:ok:".
INVITATION_CODE = "[A-Za-z0-9_-]{8,58}"


@dataclass(frozen=True)
class AcceptInvitation(Action, prefix="vi:ok", roles=EVERYONE):
    """Anyone holding the code may accept: the code is the proof, checked (and used up) by the service."""

    code: Annotated[str, Matching(INVITATION_CODE)]
