"""Invitations: imported volunteers join with their link (the coordinator sends it however they like; opening
it shows the charter, and accepting ties the Telegram account to the imported record, approved at once), and
professionals with theirs (/invitepro). Every link works once, for `invitations.valid_days`; a coordinator
lists those still pending, revokes them, and issues a volunteer a new link, shown once (only hashes are kept)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.invitations import ClaimOutcome, ImportedVolunteer, PendingInvitation
from bot.notices import Notice
from bot.services.notifications import Notifier
from bot.services.roles import RoleService
from bot.storage.invitation_codes import new_code
from bot.storage.invitations import ProfessionalInvitationRepository
from bot.storage.volunteer_invitations import VolunteerInvitationRepository

START_PREFIX = "vol-"
PRO_PREFIX = "pro-"


def invitation_link(bot_username: str, code: str) -> str:
    """A /start deep link: Telegram opens the bot and sends `/start vol-<code>` when the person taps Start."""
    return f"https://t.me/{bot_username}?start={START_PREFIX}{code}"


def professional_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={PRO_PREFIX}{code}"


class OfferOutcome(StrEnum):
    OPEN = "open"
    ALREADY_JOINED = "already_joined"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Offer:
    outcome: OfferOutcome
    record: ImportedVolunteer | None = None


@dataclass(frozen=True, slots=True)
class Pending:
    """What a coordinator can still revoke: professionals' invitations, and imported volunteers not joined."""

    professionals: list[PendingInvitation]
    volunteers: list[ImportedVolunteer]


@dataclass(frozen=True, slots=True)
class NewLink:
    name: str
    code: str
    expires_at: str


class InvitationService:
    def __init__(
        self,
        invitations: VolunteerInvitationRepository,
        professionals: ProfessionalInvitationRepository,
        roles: RoleService,
        notifier: Notifier,
        valid_days: int,
    ) -> None:
        self._invitations = invitations
        self._professionals = professionals
        self._roles = roles
        self._notifier = notifier
        self._valid_days = valid_days

    async def pending(self) -> Pending:
        return Pending(await self._professionals.pending(), await self._invitations.unclaimed())

    async def renew(self, record_id: int, actor: int) -> NewLink | None:
        """A new link for an imported volunteer who has not joined; the previous one stops working."""
        code = new_code()
        expires_at = await self._invitations.renew(record_id, code, actor, self._valid_days)
        record = await self._invitations.by_code(code) if expires_at else None
        return NewLink(record.full_name, code, expires_at) if record and expires_at else None

    async def revoke_volunteer_link(self, record_id: int, actor: int) -> bool:
        return await self._invitations.revoke(record_id, actor)

    async def revoke_professional(self, invitation_id: int, actor: int) -> bool:
        return await self._professionals.revoke(invitation_id, actor)

    async def offer(self, code: str, telegram_id: int) -> Offer:
        """What the person who opened the link is shown: the charter for their record, or why not."""
        record = await self._invitations.by_code(code)
        if record is None or record.claimed_by not in (None, telegram_id):
            return Offer(OfferOutcome.INVALID)
        if record.claimed_by == telegram_id:
            return Offer(OfferOutcome.ALREADY_JOINED, record)
        if not record.link_valid:
            return Offer(OfferOutcome.INVALID)
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
