"""Planning a week from what is stored: approved volunteers' availability and the persons followed, given to
the pure planner of bot/matching with the town's settings."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from bot.config import PlanningSettings
from bot.domain.persons import PersonRecord
from bot.domain.places import Point
from bot.domain.slots import Slot
from bot.matching.greedy import greedy_plan
from bot.matching.plan import Plan
from bot.matching.planner import plan_week
from bot.matching.week import Gender, Kind, Parameters, Person, Volunteer, Week, Weights
from bot.matching.week import Slot as WeekSlot
from bot.routing.walking import WalkingModel
from bot.services.availability import AvailabilityService, VolunteerWeek, week_days
from bot.storage.persons import PersonRepository

# A person's file says "any", "female" or "male"; the planner only needs the preference when there is one.
VISITOR_GENDER = {"female": Gender.FEMALE, "male": Gender.MALE}


@dataclass(frozen=True, slots=True)
class PlannedWeek:
    week: Week
    plan: Plan
    baseline: Plan


def weekly_visits_due(visits_per_month: int, person_id: int, iso_week: int) -> int:
    """Visits due in one ISO week for a monthly frequency.

    Four or more a month means every week (eight: two a week); two, every other week; one, every fourth
    week. The person's id staggers who is due which week, so the busy weeks do not all coincide."""
    if visits_per_month <= 0:
        return 0
    if visits_per_month >= 4:
        return round(visits_per_month / 4)
    period = 4 // visits_per_month
    return 1 if (iso_week + person_id) % period == 0 else 0


def _volunteer(facts: VolunteerWeek) -> Volunteer:
    return Volunteer(
        id=str(facts.id),
        kind=Kind(facts.kind.value),
        experienced=facts.experienced,
        slot_ids=facts.slot_ids,
        capacity=facts.capacity,
        home=facts.home,
        languages=facts.languages,
        gender=Gender(facts.gender.value) if facts.gender else None,
    )


def _person(record: PersonRecord, iso_week: int) -> Person:
    assert record.lat is not None and record.lon is not None
    return Person(
        id=str(record.id),
        location=Point(record.lat, record.lon),
        visits_due=weekly_visits_due(record.visits_per_month, record.id, iso_week),
        preferred_slot_ids=frozenset(record.slots),
        languages=frozenset(record.languages) or frozenset({"fr"}),
        visitor_gender=VISITOR_GENDER.get(record.visitor_gender),
    )


def build_week(
    year: int,
    iso_week: int,
    slots: tuple[Slot, ...],
    volunteers: tuple[VolunteerWeek, ...],
    persons: list[PersonRecord],
    settings: PlanningSettings,
) -> Week:
    days = week_days(year, iso_week)
    return Week(
        slots=tuple(WeekSlot(s.id, days[s.day], s.start, s.end) for s in slots),
        volunteers=tuple(_volunteer(v) for v in volunteers),
        persons=tuple(p for p in (_person(r, iso_week) for r in persons) if p.visits_due > 0),
        walking=WalkingModel(settings.walking_speed_kmh, settings.walking_circuity),
        weights=Weights(**settings.weights.model_dump()),
        parameters=Parameters(
            time_limit_s=settings.time_limit_s,
            num_workers=settings.workers,
            random_seed=settings.random_seed,
            rotation_window_weeks=settings.rotation_window_weeks,
            visit_minutes=settings.visit_minutes,
            max_walk_minutes=settings.max_walk_minutes,
            log_search=settings.log_search,
            dump_models_to=settings.dump_models_to,
        ),
    )


class PlanningService:
    def __init__(
        self,
        availability: AvailabilityService,
        persons: PersonRepository,
        slots: tuple[Slot, ...],
        settings: PlanningSettings,
        planned_in: Callable[[float], object] = lambda _seconds: None,
    ) -> None:
        """`planned_in` hears how long each planning took (the metrics)."""
        self._availability = availability
        self._persons = persons
        self._slots = slots
        self._settings = settings
        self._planned_in = planned_in

    async def week(self, year: int, iso_week: int) -> Week:
        """What the planner is given for that week, from what is stored now."""
        return build_week(
            year,
            iso_week,
            self._slots,
            await self._availability.week(year, iso_week),
            await self._persons.to_plan(),
            self._settings,
        )

    async def plan(self, year: int, iso_week: int) -> PlannedWeek:
        """The CP-SAT plan of a week and, beside it, what a coordinator would do by hand (greedy).

        The solves run in a worker thread: they take seconds, and the bot keeps answering meanwhile."""
        week = await self.week(year, iso_week)
        plan = await asyncio.to_thread(plan_week, week)
        self._planned_in(plan.figures.solve_seconds)
        return PlannedWeek(week, plan, await asyncio.to_thread(greedy_plan, week))
