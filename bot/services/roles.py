"""Who may do what. The role is derived on the server from the database and the configuration, every
time: nothing the client sends (callback data, command arguments) grants a role."""

from __future__ import annotations

from bot.domain.roles import Role
from bot.domain.volunteers import VolunteerStatus
from bot.storage.database import Database


class RoleService:
    def __init__(self, db: Database, coordinators: frozenset[int]) -> None:
        self._db = db
        self._coordinators = coordinators

    @property
    def coordinators(self) -> frozenset[int]:
        return self._coordinators

    async def roles_of(self, telegram_id: int) -> frozenset[Role]:
        roles = {Role.ANYONE}
        if telegram_id in self._coordinators:
            roles.add(Role.COORDINATOR)
        row = await self._db.fetch_one(
            "SELECT EXISTS (SELECT 1 FROM professionals WHERE telegram_id = :id),"
            " EXISTS (SELECT 1 FROM volunteers WHERE telegram_id = :id AND status = :approved),"
            " EXISTS (SELECT 1 FROM street_watchers WHERE telegram_id = :id)",
            {"id": telegram_id, "approved": VolunteerStatus.APPROVED.value},
        )
        if row is not None:
            for flag, role in zip(row, (Role.PROFESSIONAL, Role.VOLUNTEER, Role.NEIGHBOUR), strict=True):
                if flag:
                    roles.add(role)
        return frozenset(roles)
