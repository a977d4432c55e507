"""A volunteer's weekly availability and profile, the coordinator's view of everyone's grid, and the facts
the weekly planner needs about each volunteer for one ISO week."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.config import PlanningSettings, VolunteerSettings
from bot.domain.places import Point
from bot.domain.slots import WEEKDAYS, Slot
from bot.domain.volunteers import Gender, VolunteerKind, VolunteerProfile
from bot.services.streets import StreetService
from bot.storage.profiles import ProfileRepository
from bot.storage.visits import VisitRepository

MAX_CAPACITY = 6
# How far ahead an absence may start, and how long one may last: beyond, the coordinator should hear of it.
ABSENCE_HORIZON_DAYS = 365
MAX_ABSENCE_DAYS = 365


@dataclass(frozen=True, slots=True)
class VolunteerWeek:
    """What the planner may rely on about one volunteer for one week: only slots they can really take."""

    id: int
    kind: VolunteerKind
    experienced: bool
    slot_ids: frozenset[str]
    capacity: int
    home: Point | None
    languages: frozenset[str]
    gender: Gender | None


def week_days(year: int, week: int) -> dict[str, date]:
    """The dates of an ISO week by configured day name ("mon" -> Monday's date)."""
    return {day: date.fromisocalendar(year, week, index + 1) for index, day in enumerate(WEEKDAYS)}


def is_experienced(profile: VolunteerProfile, visits_done: int, experienced_after_visits: int) -> bool:
    return profile.experienced or visits_done >= experienced_after_visits


def available_slot_ids(profile: VolunteerProfile, slots: Sequence[Slot], days: Mapping[str, date]) -> frozenset[str]:
    """The volunteer's grid for that week, minus the slots falling on a day they are absent."""
    return frozenset(
        slot.id
        for slot in slots
        if slot.id in profile.slot_ids
        and not any(a.first_day <= days[slot.day] <= a.last_day for a in profile.absences)
    )


def planner_facts(
    year: int,
    week: int,
    slots: Sequence[Slot],
    profiles: Iterable[VolunteerProfile],
    experienced_after_visits: int,
    visits_done: Mapping[int, int],
) -> tuple[VolunteerWeek, ...]:
    """Per volunteer not paused: slots available in ISO week `year`-W`week`, capacity, home point, languages,
    gender and experience. Pure: the caller loads the profiles and counts the visits done."""
    days = week_days(year, week)
    return tuple(
        VolunteerWeek(
            id=profile.telegram_id,
            kind=profile.kind,
            experienced=is_experienced(profile, visits_done.get(profile.telegram_id, 0), experienced_after_visits),
            slot_ids=available_slot_ids(profile, slots, days),
            capacity=profile.capacity,
            home=(
                Point(profile.home_lat, profile.home_lon)
                if profile.home_lat is not None and profile.home_lon is not None
                else None
            ),
            languages=profile.languages,
            gender=profile.gender,
        )
        for profile in profiles
        if not profile.paused
    )


class AvailabilityService:
    """Every change returns the profile as it is now, or None when the request does not hold (not an
    approved volunteer, a slot, language or absence that is not theirs or no longer exists)."""

    def __init__(
        self,
        profiles: ProfileRepository,
        streets: StreetService,
        slots: Sequence[Slot],
        volunteers: VolunteerSettings,
        planning: PlanningSettings,
        visits: VisitRepository,
    ) -> None:
        self._profiles = profiles
        self._visits = visits
        self._streets = streets
        self._slots = tuple(slots)
        self._slot_ids = frozenset(slot.id for slot in slots)
        self._languages = tuple(volunteers.languages)
        self._planning = planning

    @property
    def slots(self) -> tuple[Slot, ...]:
        return self._slots

    @property
    def languages(self) -> tuple[str, ...]:
        return self._languages

    async def profile(self, telegram_id: int) -> VolunteerProfile | None:
        return await self._profiles.get(telegram_id)

    async def toggle_slot(self, telegram_id: int, slot_id: str) -> VolunteerProfile | None:
        if slot_id not in self._slot_ids or await self._profiles.get(telegram_id) is None:
            return None
        await self._profiles.toggle_slot(telegram_id, slot_id)
        return await self._profiles.get(telegram_id)

    async def set_capacity(self, telegram_id: int, capacity: int) -> VolunteerProfile | None:
        if not 1 <= capacity <= MAX_CAPACITY or await self._profiles.get(telegram_id) is None:
            return None
        await self._profiles.set_capacity(telegram_id, capacity)
        return await self._profiles.get(telegram_id)

    async def toggle_language(self, telegram_id: int, language: str) -> VolunteerProfile | None:
        """The last language stays ticked: a visit needs a language in common."""
        profile = await self._profiles.get(telegram_id)
        if language not in self._languages or profile is None:
            return None
        chosen = profile.languages ^ {language}
        if not chosen:
            return profile
        await self._profiles.set_languages(telegram_id, chosen)
        return await self._profiles.get(telegram_id)

    async def set_gender(self, telegram_id: int, gender: Gender | None) -> VolunteerProfile | None:
        if await self._profiles.get(telegram_id) is None:
            return None
        await self._profiles.set_gender(telegram_id, gender)
        return await self._profiles.get(telegram_id)

    async def set_paused(self, telegram_id: int, paused: bool) -> VolunteerProfile | None:
        if await self._profiles.get(telegram_id) is None:
            return None
        await self._profiles.set_paused(telegram_id, paused)
        return await self._profiles.get(telegram_id)

    async def set_home_street(self, telegram_id: int, street_id: int) -> VolunteerProfile | None:
        if await self._streets.get(street_id) is None or await self._profiles.get(telegram_id) is None:
            return None
        await self._profiles.set_home_street(telegram_id, street_id)
        return await self._profiles.get(telegram_id)

    async def add_absence(self, telegram_id: int, first: date, last: date, today: date) -> VolunteerProfile | None:
        if not today <= first <= last or first > today + timedelta(days=ABSENCE_HORIZON_DAYS):
            return None
        if (last - first).days >= MAX_ABSENCE_DAYS or await self._profiles.get(telegram_id) is None:
            return None
        await self._profiles.add_absence(telegram_id, first, last)
        return await self._profiles.get(telegram_id)

    async def delete_absence(self, telegram_id: int, absence_id: int) -> VolunteerProfile | None:
        if not await self._profiles.delete_absence(telegram_id, absence_id):
            return None
        return await self._profiles.get(telegram_id)

    async def everyone(self) -> list[VolunteerProfile]:
        return await self._profiles.approved()

    async def set_experienced(self, coordinator_id: int, telegram_id: int, experienced: bool) -> bool:
        """False when `telegram_id` is not an approved volunteer."""
        if await self._profiles.get(telegram_id) is None:
            return False
        await self._profiles.set_experienced(telegram_id, experienced, coordinator_id)
        return True

    async def experienced(self, profiles: Iterable[VolunteerProfile]) -> set[int]:
        """Of these volunteers, those marked experienced or with enough visits made."""
        done = await self._visits.visits_done()
        return {p.telegram_id for p in profiles if is_experienced(p, done.get(p.telegram_id, 0), self._threshold)}

    async def week(self, year: int, week: int) -> tuple[VolunteerWeek, ...]:
        """The planner-facing facts of every available volunteer for ISO week `year`-W`week`."""
        profiles = await self._profiles.approved()
        return planner_facts(year, week, self._slots, profiles, self._threshold, await self._visits.visits_done())

    @property
    def _threshold(self) -> int:
        return self._planning.experienced_after_visits
