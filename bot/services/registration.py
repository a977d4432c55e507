"""Becoming a caring neighbour or a volunteer, and the coordinator's decision on volunteers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.actions.neighbour import TakeMainOfStreet
from bot.domain.actions.volunteers import ApproveVolunteer, RefuseVolunteer
from bot.domain.callbacks import Button
from bot.domain.volunteers import VolunteerKind, VolunteerStatus
from bot.notices import Message, Notice
from bot.services.notifications import Notifier
from bot.services.roles import RoleService
from bot.storage.invitation_codes import new_code
from bot.storage.invitations import ProfessionalInvitationRepository, Redemption
from bot.storage.models import VolunteerRecord, WatchedStreet
from bot.storage.streets import StreetRepository
from bot.storage.volunteers import VolunteerRepository


class WatchOutcome(StrEnum):
    MAIN = "main"
    BACKUP = "backup"
    ALREADY = "already"


@dataclass(frozen=True, slots=True)
class StreetWatch:
    watched: WatchedStreet
    has_main: bool
    backups: int


@dataclass(frozen=True, slots=True)
class NeighbourRegistration:
    outcome: WatchOutcome
    street_name: str


class DecisionOutcome(StrEnum):
    DONE = "done"
    ALREADY_DECIDED = "already_decided"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class IssuedInvitation:
    """A code shown once to the coordinator who asked for it (only its hash is kept), and when it expires."""

    code: str
    expires_at: str


class RegistrationService:
    def __init__(
        self,
        invitations: ProfessionalInvitationRepository,
        volunteers: VolunteerRepository,
        streets: StreetRepository,
        roles: RoleService,
        notifier: Notifier,
        invitation_days: int,
    ) -> None:
        self._invitations = invitations
        self._invitation_days = invitation_days
        self._volunteers = volunteers
        self._streets = streets
        self._roles = roles
        self._notifier = notifier

    async def become_neighbour(self, telegram_id: int, street_id: int) -> NeighbourRegistration | None:
        """Watch a street after accepting the charter: the first is its main neighbour, others back up."""
        street = await self._streets.get(street_id)
        if street is None:
            return None
        is_main = await self._streets.add_watcher(street_id, telegram_id)
        outcome = {True: WatchOutcome.MAIN, False: WatchOutcome.BACKUP, None: WatchOutcome.ALREADY}[is_main]
        return NeighbourRegistration(outcome, street.name)

    async def watched_streets(self, telegram_id: int) -> list[StreetWatch]:
        """The streets this neighbour watches, each with whether it has a main neighbour and how many backups."""
        found = []
        for watched in await self._streets.watched_by(telegram_id):
            has_main, backups = await self._streets.watchers_of(watched.street_id)
            found.append(StreetWatch(watched, has_main, backups))
        return found

    async def hand_over(self, telegram_id: int, street_id: int, event_id: int) -> bool:
        """The main neighbour hands the street to its longest-serving backup, who is told; False if they cannot."""
        street = await self._streets.get(street_id)
        successor = await self._streets.hand_over(street_id, telegram_id) if street else None
        if street is None or successor is None:
            return False
        notice = Notice("neighbour.now_main", {"street": street.name})
        await self._notifier.tell(successor, notice, f"street.main:{street.id}:{event_id}")
        return True

    async def take_main(self, telegram_id: int, street_id: int) -> bool:
        """A backup becomes the main neighbour of a street left without one."""
        return await self._streets.take_main(street_id, telegram_id)

    async def leave_street(self, telegram_id: int, street_id: int, event_id: int) -> bool:
        """Stop watching a street; False when they were not watching it. When the main neighbour leaves, the
        backups are asked whether one becomes main; the coordinators are told when a street is left without a
        main neighbour or without anyone."""
        street = await self._streets.get(street_id)
        departure = await self._streets.leave(street_id, telegram_id) if street else None
        if street is None or departure is None:
            return False
        params = {"street": street.name, "neighbourhood": street.neighbourhood}
        if departure.remaining and not departure.was_main:
            return True
        if departure.remaining:
            offer = ((Button("button.take_main", TakeMainOfStreet(street.id)),),)
            for backup in departure.remaining:
                await self._notifier.tell(
                    backup, Notice("neighbour.main_left", params, offer), f"street.main_left:{street.id}:{event_id}"
                )
        key = "coordinator.street_no_main" if departure.remaining else "coordinator.street_uncovered"
        for coordinator in sorted(self._roles.coordinators):
            await self._notifier.tell(
                coordinator, Notice(key, params), f"street.uncovered:{street.id}:{event_id}:{coordinator}"
            )
        return True

    async def volunteer(self, telegram_id: int) -> VolunteerRecord | None:
        return await self._volunteers.get(telegram_id)

    async def pending_volunteers(self) -> list[VolunteerRecord]:
        """Applications waiting for a coordinator's decision, oldest first."""
        return await self._volunteers.pending()

    async def apply_as_volunteer(self, telegram_id: int, first_name: str, kind: VolunteerKind) -> bool:
        """Store the application, then ask every coordinator to decide with one button.

        Replaying the same update (after a crash) finds the application pending and queues the coordinators'
        notice again under the same dedup key, so it is sent exactly when it had not been queued yet.
        True when the application is pending (created now, or by the same update before a crash)."""
        await self._volunteers.apply(telegram_id, kind)
        volunteer = await self._volunteers.get(telegram_id)
        if volunteer is None or volunteer.status != VolunteerStatus.PENDING:
            return False
        notice = Notice(
            "coordinator.volunteer_applied",
            {"name": first_name, "kind": Message(f"volunteer.kind.{volunteer.kind.value}")},
            (
                (
                    Button("button.approve", ApproveVolunteer(telegram_id)),
                    Button("button.refuse", RefuseVolunteer(telegram_id)),
                ),
            ),
        )
        for coordinator in sorted(self._roles.coordinators):
            await self._notifier.tell(coordinator, notice, f"volunteer.applied:{telegram_id}:{volunteer.applied_at}")
        return True

    async def decide_volunteer(self, coordinator_id: int, telegram_id: int, approve: bool) -> DecisionOutcome:
        if await self._volunteers.get(telegram_id) is None:
            return DecisionOutcome.UNKNOWN
        decided = await self._volunteers.decide(telegram_id, approve, coordinator_id)
        volunteer = await self._volunteers.get(telegram_id)
        if volunteer is not None and volunteer.status != VolunteerStatus.PENDING:
            key = "volunteer.approved" if volunteer.status == VolunteerStatus.APPROVED else "volunteer.refused"
            await self._notifier.tell(
                telegram_id, Notice(key), f"volunteer.decided:{telegram_id}:{volunteer.applied_at}"
            )
        return DecisionOutcome.DONE if decided else DecisionOutcome.ALREADY_DECIDED

    async def invite_professional(self, coordinator_id: int) -> IssuedInvitation:
        code = new_code()
        expires_at = await self._invitations.create(code, coordinator_id, self._invitation_days)
        return IssuedInvitation(code, expires_at)

    async def redeem_invitation(self, telegram_id: int, code: str) -> bool:
        """True when this account is (now) in the expert unit thanks to the code."""
        return await self._invitations.redeem(code, telegram_id) != Redemption.INVALID
