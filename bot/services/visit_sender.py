"""The one way notices about visits leave: it reads what they need (the stops, first names, times), has them
composed by the pure functions of `visit_notices` and queues them. Called inside a use case's transaction,
what it queues is written with the change it reports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.services.notifications import Notifier, Outgoing, send
from bot.services.visit_calendar import VisitCalendar
from bot.services.visit_notices import OutingFacts, outing_notices
from bot.storage.profiles import ProfileRepository
from bot.storage.users import UserRepository
from bot.storage.visits import VisitRecord, VisitRepository


class VisitSender:
    def __init__(
        self,
        visits: VisitRepository,
        users: UserRepository,
        profiles: ProfileRepository,
        notifier: Notifier,
        calendar: VisitCalendar,
        hub_name: str,
    ) -> None:
        self._visits = visits
        self._users = users
        self._profiles = profiles
        self._notifier = notifier
        self._calendar = calendar
        self._hub_name = hub_name

    async def facts(self, outing: Sequence[VisitRecord]) -> OutingFacts:
        stops = await self._visits.stops([v.id for v in outing])
        host = outing[0].meet_host
        profile = await self._profiles.get(host) if host is not None else None
        street = profile.home_street_name if profile is not None else None
        return OutingFacts(outing, stops, self._calendar.start(outing[0]), self._calendar.end(outing[-1]), street)

    async def outing(self, outing: Sequence[VisitRecord]) -> None:
        """The pair's outing, as at publication (each of its notices once)."""
        names = await self._users.first_names(outing[0].pair)
        await self.send(outing_notices(await self.facts(outing), names, self._hub_name))

    async def outing_of(self, visit_id: int) -> None:
        outing = await self._visits.outing(visit_id)
        if outing:
            await self.outing(outing)

    async def first_names(self, telegram_ids: Iterable[int]) -> dict[int, str]:
        return await self._users.first_names(telegram_ids)

    async def send(self, outgoing: Iterable[Outgoing]) -> None:
        await send(self._notifier, outgoing)
