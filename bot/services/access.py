"""A coordinator takes access away: removes a professional from the expert unit, suspends (or reinstates) or
removes a volunteer, removes a caring neighbour from a street. Each change is audited and the person is told.
A volunteer's outings still ahead are handed over first, while they are still in the planning, and nobody
plans them again. Roles are read from the database on every update, so their buttons are refused from that moment."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.roles import Role
from bot.domain.team import Change
from bot.domain.volunteers import VolunteerStatus
from bot.notices import Notice
from bot.services.notifications import Notifier
from bot.services.registration import RegistrationService
from bot.services.roles import RoleService
from bot.services.visit_answers import AnswerService
from bot.storage.access import AccessRepository, Member, TeamVolunteer, WatchedBy

# For each change of a volunteer: the status it leads to, and the statuses it may start from.
VOLUNTEER_CHANGES: dict[Change, tuple[VolunteerStatus, tuple[VolunteerStatus, ...]]] = {
    Change.SUSPEND: (VolunteerStatus.SUSPENDED, (VolunteerStatus.APPROVED,)),
    Change.REINSTATE: (VolunteerStatus.APPROVED, (VolunteerStatus.SUSPENDED,)),
    Change.REMOVE_VOLUNTEER: (VolunteerStatus.REMOVED, (VolunteerStatus.APPROVED, VolunteerStatus.SUSPENDED)),
}
# What the person is told, by change.
TOLD = {
    Change.REMOVE_PROFESSIONAL: "access.professional_removed",
    Change.SUSPEND: "access.volunteer_suspended",
    Change.REINSTATE: "access.volunteer_reinstated",
    Change.REMOVE_VOLUNTEER: "access.volunteer_removed",
}


@dataclass(frozen=True, slots=True)
class Team:
    professionals: list[Member]
    volunteers: list[TeamVolunteer]
    neighbours: list[Member]


class AccessService:
    def __init__(
        self,
        access: AccessRepository,
        registration: RegistrationService,
        answers: AnswerService,
        roles: RoleService,
        notifier: Notifier,
    ) -> None:
        self._access = access
        self._registration = registration
        self._answers = answers
        self._roles = roles
        self._notifier = notifier

    async def team(self) -> Team:
        return Team(
            await self._access.professionals(), await self._access.volunteers(), await self._access.neighbours()
        )

    async def streets_of(self, telegram_id: int) -> list[WatchedBy]:
        return await self._access.streets_of(telegram_id)

    async def change(self, change: Change, telegram_id: int, actor: int, event_id: int) -> bool:
        """Apply a change; False when the person is not (or no longer) where the change starts from."""
        if change is Change.REMOVE_PROFESSIONAL:
            done = await self._access.remove_professional(telegram_id, actor)
        else:
            wanted, allowed_from = VOLUNTEER_CHANGES[change]
            if change is not Change.REINSTATE and await self._access.volunteer_status(telegram_id) in allowed_from:
                # While they are still in the planning: they leave every outing ahead in one repair that
                # no longer counts on them, before their status changes.
                await self._answers.withdraw_for_good(telegram_id)
            done = await self._access.change_volunteer(telegram_id, actor, wanted, allowed_from)
        if done:
            await self._told(telegram_id, Notice(TOLD[change]), f"access.{change.value}:{telegram_id}:{event_id}")
        return done

    async def remove_neighbour(self, telegram_id: int, street_id: int, actor: int, event_id: int) -> bool:
        """As if they left the street themselves (the backups are asked, the coordinators told), audited."""
        street = next((s for s in await self._access.streets_of(telegram_id) if s.street_id == street_id), None)
        if street is None or not await self._registration.leave_street(telegram_id, street_id, event_id):
            return False
        await self._access.audit_street_removal(telegram_id, street_id, actor)
        notice = Notice("access.neighbour_removed", {"street": street.street})
        await self._told(telegram_id, notice, f"access.neighbour:{telegram_id}:{street_id}:{event_id}")
        return True

    async def _told(self, telegram_id: int, notice: Notice, dedup_key: str) -> None:
        """Someone left with no role is sent nothing still waiting about anyone; then the notice of the change."""
        if await self._roles.roles_of(telegram_id) == frozenset({Role.ANYONE}):
            await self._access.drop_pending_notices(telegram_id)
        await self._notifier.tell(telegram_id, notice, dedup_key)
