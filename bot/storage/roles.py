"""The roles a person holds by what the database records of them."""

from __future__ import annotations

from bot.domain.roles import Role
from bot.domain.volunteers import VolunteerStatus
from bot.storage.database import Database


class RoleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def recorded_roles(self, telegram_id: int) -> frozenset[Role]:
        """Professional (invited), volunteer (approved), neighbour (watching a street)."""
        row = await self._db.fetch_one(
            "SELECT EXISTS (SELECT 1 FROM professionals WHERE telegram_id = :id),"
            " EXISTS (SELECT 1 FROM volunteers WHERE telegram_id = :id AND status = :approved),"
            " EXISTS (SELECT 1 FROM street_watchers WHERE telegram_id = :id)",
            {"id": telegram_id, "approved": VolunteerStatus.APPROVED.value},
        )
        held = zip(row or (), (Role.PROFESSIONAL, Role.VOLUNTEER, Role.NEIGHBOUR), strict=False)
        return frozenset(role for flag, role in held if flag)
