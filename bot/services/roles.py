"""Who may do what. The role is derived on the server from the database and the configuration, every
time: nothing the client sends (callback data, command arguments) grants a role."""

from __future__ import annotations

from bot.domain.roles import Role
from bot.storage.roles import RoleRepository


class RoleService:
    def __init__(self, recorded: RoleRepository, coordinators: frozenset[int]) -> None:
        self._recorded = recorded
        self._coordinators = coordinators

    @property
    def coordinators(self) -> frozenset[int]:
        return self._coordinators

    async def roles_of(self, telegram_id: int) -> frozenset[Role]:
        configured = {Role.COORDINATOR} if telegram_id in self._coordinators else set()
        return frozenset({Role.ANYONE, *configured}) | await self._recorded.recorded_roles(telegram_id)
