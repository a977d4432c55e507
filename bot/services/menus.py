"""Which commands a person's "/" menu lists: their roles' own commands first (as `bot.domain.commands`
declares who may send each), then everyone's.

Coordinators, professionals and volunteers get a menu of their own, in their language; everyone else the
public one. What each was given is recorded, so a menu is sent again only when it changes (a role gained or
lost, another language) and a restart takes back the menu of whoever lost their role meanwhile."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.commands import COMMANDS
from bot.domain.roles import Role
from bot.services.roles import RoleService
from bot.storage.menus import MenuRepository

# Everyone's menu, in this order: a subset of the commands open to everyone (the others are reached by buttons).
PUBLIC = ("start", "report", "myreports", "selftest", "mydata", "forget", "language", "help", "cancel")
OWN_MENU = frozenset({Role.COORDINATOR, Role.PROFESSIONAL, Role.VOLUNTEER})


@dataclass(frozen=True, slots=True)
class Menu:
    language: str
    commands: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.language}:{','.join(self.commands)}"


@dataclass(frozen=True, slots=True)
class MenuChange:
    """Give `telegram_id` this menu, or take their own menu back (None: the public one applies again)."""

    telegram_id: int
    menu: Menu | None


def commands_for(roles: frozenset[Role]) -> tuple[str, ...] | None:
    """None for whoever has no menu of their own."""
    if not roles & OWN_MENU:
        return None
    own = [c.name for c in COMMANDS if Role.ANYONE not in c.roles and c.roles & roles]
    return (*own, *PUBLIC)


class MenuService:
    def __init__(self, roles: RoleService, menus: MenuRepository) -> None:
        self._roles = roles
        self._menus = menus

    async def change_for(self, telegram_id: int, language: str) -> MenuChange | None:
        """What to send this person now, None when their menu is already right."""
        commands = commands_for(await self._roles.roles_of(telegram_id))
        wanted = Menu(language, commands) if commands is not None else None
        given = await self._menus.given_to(telegram_id)
        if (wanted.key if wanted else None) == given:
            return None
        return MenuChange(telegram_id, wanted)

    async def people_to_check(self) -> set[int]:
        """Everyone who holds a role with a menu now, or was given one before."""
        holders = await self._menus.role_holders()
        return holders | set(self._roles.coordinators) | set(await self._menus.given())

    async def given(self, change: MenuChange) -> None:
        await self._menus.record(change.telegram_id, change.menu.key if change.menu else None)
