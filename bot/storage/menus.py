"""Who was given which "/" menu of their own, and who holds a role that gives one."""

from __future__ import annotations

from bot.domain.volunteers import VolunteerStatus
from bot.storage.database import Database


class MenuRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def given(self) -> dict[int, str]:
        rows = await self._db.fetch_all("SELECT telegram_id, menu FROM command_menus")
        return {int(row[0]): str(row[1]) for row in rows}

    async def given_to(self, telegram_id: int) -> str | None:
        row = await self._db.fetch_one("SELECT menu FROM command_menus WHERE telegram_id = ?", (telegram_id,))
        return str(row[0]) if row else None

    async def record(self, telegram_id: int, menu: str | None) -> None:
        async with self._db.transaction() as tx:
            if menu is None:
                await tx.execute("DELETE FROM command_menus WHERE telegram_id = ?", (telegram_id,))
            else:
                await tx.execute(
                    "INSERT INTO command_menus (telegram_id, menu) VALUES (?, ?) "
                    "ON CONFLICT (telegram_id) DO UPDATE SET menu = excluded.menu",
                    (telegram_id, menu),
                )

    async def role_holders(self) -> set[int]:
        """Professionals and approved volunteers (coordinators come from the configuration)."""
        rows = await self._db.fetch_all(
            "SELECT telegram_id FROM professionals UNION SELECT telegram_id FROM volunteers WHERE status = ?",
            (VolunteerStatus.APPROVED.value,),
        )
        return {int(row[0]) for row in rows}
