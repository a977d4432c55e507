"""The file of a person followed: read with a trace in the audit log, changed field by field, and the
bereavement follow-up whose check-ins remind the coordinators."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from bot.notices import Button, Notice
from bot.services.notifications import Notifier
from bot.services.reports import NEEDS
from bot.services.roles import RoleService
from bot.storage.persons import PersonRecord, PersonRepository, PersonStatus

MAX_NAME_CHARS = 80
VISIT_FREQUENCIES = (1, 2, 4, 8)


def valid_name(text: str) -> str | None:
    """A name someone can be greeted by: with letters, not too long; None otherwise."""
    name = " ".join(text.split())
    if not name or len(name) > MAX_NAME_CHARS or not any(char.isalpha() for char in name):
        return None
    return name


class PersonService:
    def __init__(
        self,
        persons: PersonRepository,
        roles: RoleService,
        notifier: Notifier,
        checkin_days: Sequence[int],
        today: Callable[[], date] = date.today,
    ) -> None:
        self._persons = persons
        self._roles = roles
        self._notifier = notifier
        self._checkin_days = tuple(checkin_days)
        self._today = today

    async def open(self, person_id: int, actor: int) -> PersonRecord | None:
        return await self._persons.open(person_id, actor)

    async def toggle_need(self, person_id: int, actor: int, need: str) -> bool:
        person = await self._persons.get(person_id)
        if person is None or need not in NEEDS:
            return False
        needs = [n for n in NEEDS if (n in person.needs) != (n == need)]
        return await self._persons.update(person_id, actor, {"needs": needs})

    async def set_frequency(self, person_id: int, actor: int, per_month: int) -> bool:
        if per_month not in VISIT_FREQUENCIES:
            return False
        return await self._persons.update(person_id, actor, {"visits_per_month": per_month})

    async def rename(self, person_id: int, actor: int, text: str) -> bool:
        name = valid_name(text)
        return name is not None and await self._persons.update(person_id, actor, {"name": name})

    async def set_status(self, person_id: int, actor: int, status: PersonStatus, reason: str | None = None) -> bool:
        return await self._persons.set_status(person_id, actor, status, reason)

    async def follow_bereavement(self, person_id: int, actor: int, loss: date) -> list[date]:
        """Schedule the check-ins after a loss; those already past are not scheduled."""
        if await self._persons.get(person_id) is None or loss > self._today():
            return []
        due = [loss + timedelta(days=days) for days in self._checkin_days]
        upcoming = [day for day in due if day >= self._today()]
        await self._persons.schedule_checkins(person_id, loss, upcoming)
        await self._persons.update(person_id, actor, {"bereavement_on": loss.isoformat()})
        return upcoming

    async def remind_checkins(self) -> int:
        """Remind every coordinator of the check-ins due; run daily, and at start for the days missed."""
        due = await self._persons.due_checkins(self._today())
        for checkin in due:
            notice = Notice(
                "person.checkin_due",
                {"name": checkin.person_name, "due": checkin.due_on},
                ((Button("button.open_file", f"pf:open:{checkin.person_id}"),),),
            )
            for coordinator in sorted(self._roles.coordinators):
                key = f"person.checkin:{checkin.person_id}:{checkin.due_on}:{coordinator}"
                await self._notifier.tell(coordinator, notice, key)
            await self._persons.mark_reminded(checkin.person_id, checkin.due_on)
        return len(due)
