"""Imported volunteers join with their invitation link: the coordinator sends it however they like; opening
it shows the charter, and accepting ties the Telegram account to the imported record, approved at once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.invitations import ClaimOutcome
from bot.notices import Notice
from bot.services.notifications import Notifier
from bot.services.roles import RoleService
from bot.storage.volunteer_invitations import ImportedVolunteer, VolunteerInvitationRepository

START_PREFIX = "vol-"


def invitation_link(bot_username: str, code: str) -> str:
    """A /start deep link: Telegram opens the bot and sends `/start vol-<code>` when the person taps Start."""
    return f"https://t.me/{bot_username}?start={START_PREFIX}{code}"


class OfferOutcome(StrEnum):
    OPEN = "open"
    ALREADY_JOINED = "already_joined"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Offer:
    outcome: OfferOutcome
    record: ImportedVolunteer | None = None


class InvitationService:
    def __init__(self, invitations: VolunteerInvitationRepository, roles: RoleService, notifier: Notifier) -> None:
        self._invitations = invitations
        self._roles = roles
        self._notifier = notifier

    async def unclaimed(self) -> list[ImportedVolunteer]:
        return await self._invitations.unclaimed()

    async def offer(self, code: str, telegram_id: int) -> Offer:
        """What the person who opened the link is shown: the charter for their record, or why not."""
        record = await self._invitations.by_code(code)
        if record is None or record.claimed_by not in (None, telegram_id):
            return Offer(OfferOutcome.INVALID)
        if record.claimed_by == telegram_id:
            return Offer(OfferOutcome.ALREADY_JOINED, record)
        return Offer(OfferOutcome.OPEN, record)

    async def claim(self, code: str, telegram_id: int, first_name: str) -> ClaimOutcome:
        """After the charter: the account becomes the imported volunteer, and the coordinators are told."""
        outcome = await self._invitations.claim(code, telegram_id, first_name)
        record = await self._invitations.by_code(code)
        if record is not None and record.claimed_by == telegram_id and outcome != ClaimOutcome.OTHER_RECORD:
            notice = Notice("coordinator.invitation_claimed", {"name": record.full_name})
            for coordinator in sorted(self._roles.coordinators):
                await self._notifier.tell(coordinator, notice, f"volunteer.invitation_claimed:{record.id}")
        return outcome
