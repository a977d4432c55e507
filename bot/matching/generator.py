"""Seeded Agen-like weeks for demos, tests and benchmarks.

The neighbourhood centres are approximate, read off a map of Agen; the shares below (kinds, availability,
languages, preferences) are plausible guesses, not survey data. What matters for planning is their shape:
most volunteers free two to four half-days, a quarter of them service civique members, pairs of
neighbours that worked together in the last weeks.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.domain.places import Point
from bot.matching.plan import pair_of
from bot.matching.week import (
    DateRange,
    Gender,
    Kind,
    Parameters,
    PastPair,
    Person,
    Slot,
    Volunteer,
    Week,
    may_pair,
)

AGEN_NEIGHBOURHOODS: tuple[tuple[str, Point], ...] = (
    ("Centre-ville", Point(44.2033, 0.6163)),
    ("Le Pin", Point(44.1960, 0.6085)),
    ("Montanou", Point(44.2150, 0.6250)),
    ("Tapie", Point(44.1900, 0.6200)),
    ("Rodrigues", Point(44.2100, 0.6050)),
    ("Barleté", Point(44.2080, 0.6180)),
    ("Sembel", Point(44.1930, 0.6330)),
    ("Pont-de-Casseneuil", Point(44.2180, 0.6080)),
    ("La Masse", Point(44.2230, 0.6300)),
    ("Donnefort", Point(44.1850, 0.6100)),
)
NEIGHBOURHOOD_RADIUS_M = 500.0
SIZES: dict[str, tuple[int, int]] = {"S": (40, 80), "M": (150, 400), "L": (1500, 4000)}
"""Volunteers and persons followed."""
FIRST_MONDAY = date(2026, 11, 23)
HISTORY_WEEKS = 6

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat")
_HALF_DAYS = (("am", time(9, 30), time(12, 0)), ("pm", time(14, 0), time(17, 0)))
_SLOT_COUNT_WEIGHTS = {1: 8, 2: 30, 3: 32, 4: 22, 5: 5, 6: 3}
_EXTRA_LANGUAGES = (("en", 0.10), ("ar", 0.08), ("es", 0.05), ("pt", 0.04))
_PERSON_LANGUAGES = (
    (frozenset({"fr"}), 92),
    (frozenset({"fr", "ar"}), 4),
    (frozenset({"ar"}), 2),
    (frozenset({"es"}), 1),
    (frozenset({"pt"}), 1),
)


def default_slots(monday: date = FIRST_MONDAY) -> tuple[Slot, ...]:
    """Monday to Saturday, 09:30-12:00 and 14:00-17:00; ids like "tue-pm"."""
    return tuple(
        Slot(f"{day}-{half}", monday + timedelta(days=i), start, end)
        for i, day in enumerate(_DAYS)
        for half, start, end in _HALF_DAYS
    )


@dataclass(frozen=True, slots=True)
class _Place:
    neighbourhood: int
    point: Point


def generate_week(
    size: str,
    seed: int,
    *,
    slots: Sequence[Slot] | None = None,
    neighbourhoods: Sequence[tuple[str, Point]] = AGEN_NEIGHBOURHOODS,
    parameters: Parameters | None = None,
) -> Week:
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    rng = random.Random(f"{size}:{seed}")
    week_slots = tuple(slots) if slots is not None else default_slots()
    n_volunteers, n_persons = SIZES[size]
    places = [_place(rng, neighbourhoods) for _ in range(n_volunteers)]
    volunteers = tuple(_volunteer(rng, f"v{i:04d}", place, week_slots) for i, place in enumerate(places))
    by_neighbourhood: dict[int, list[str]] = {}
    for volunteer, place in zip(volunteers, places, strict=True):
        by_neighbourhood.setdefault(place.neighbourhood, []).append(volunteer.id)
    persons = tuple(
        _person(rng, f"p{i:04d}", _place(rng, neighbourhoods), week_slots, by_neighbourhood) for i in range(n_persons)
    )
    return Week(
        slots=week_slots,
        volunteers=volunteers,
        persons=persons,
        history=_history(rng, volunteers, places),
        parameters=parameters or Parameters(),
    )


def _place(rng: random.Random, neighbourhoods: Sequence[tuple[str, Point]]) -> _Place:
    index = rng.randrange(len(neighbourhoods))
    centre = neighbourhoods[index][1]
    # Uniform in the disc: the square root keeps the density even out to the rim.
    distance = NEIGHBOURHOOD_RADIUS_M * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    lat = centre.lat + distance * math.cos(bearing) / 111_132.0
    lon = centre.lon + distance * math.sin(bearing) / (111_320.0 * math.cos(math.radians(centre.lat)))
    return _Place(index, Point(round(lat, 6), round(lon, 6)))


def _volunteer(rng: random.Random, id_: str, place: _Place, slots: Sequence[Slot]) -> Volunteer:
    roll = rng.random()
    kind = Kind.SERVICE_CIVIQUE if roll < 0.25 else Kind.AGENT_MUNICIPAL if roll < 0.34 else Kind.BENEVOLE
    # Service civique members are on weekday contracts.
    open_slots = [s for s in slots if s.day.weekday() < 5] if kind is Kind.SERVICE_CIVIQUE else list(slots)
    count = min(len(open_slots), rng.choices(list(_SLOT_COUNT_WEIGHTS), list(_SLOT_COUNT_WEIGHTS.values()))[0])
    chosen = rng.sample(open_slots, count)
    absences: tuple[DateRange, ...] = ()
    if rng.random() < 0.06:
        first = rng.choice(slots).day
        absences = (DateRange(first, first + timedelta(days=rng.randint(0, 2))),)
    languages = {"fr"} | {lang for lang, share in _EXTRA_LANGUAGES if rng.random() < share}
    return Volunteer(
        id=id_,
        kind=kind,
        experienced=kind is not Kind.SERVICE_CIVIQUE and rng.random() < 0.5,
        slot_ids=frozenset(s.id for s in chosen),
        capacity=min(3 * count, 2 * count + rng.randint(0, 2)),
        home=None if rng.random() < 0.05 else place.point,
        absences=absences,
        languages=frozenset(languages),
        gender=Gender.FEMALE if rng.random() < 0.65 else Gender.MALE,
    )


def _person(
    rng: random.Random, id_: str, place: _Place, slots: Sequence[Slot], by_neighbourhood: dict[int, list[str]]
) -> Person:
    roll = rng.random()
    ids = [s.id for s in slots]
    if roll < 0.45:
        preferred: list[str] = []
    elif roll < 0.70:
        preferred = [s for s in ids if s.endswith("-am")]
    elif roll < 0.85:
        preferred = [s for s in ids if s.endswith("-pm")]
    else:
        preferred = rng.sample(ids, min(len(ids), rng.randint(2, 4)))
    languages = rng.choices([lang for lang, _ in _PERSON_LANGUAGES], [w for _, w in _PERSON_LANGUAGES])[0]
    neighbours = by_neighbourhood.get(place.neighbourhood, [])
    known = rng.sample(neighbours, min(len(neighbours), rng.randint(1, 2))) if rng.random() < 0.35 else []
    return Person(
        id=id_,
        location=place.point,
        preferred_slot_ids=frozenset(preferred),
        languages=languages,
        visitor_gender=Gender.FEMALE if rng.random() < 0.12 else None,
        known_volunteer_ids=frozenset(known),
    )


def _history(rng: random.Random, volunteers: Sequence[Volunteer], places: Sequence[_Place]) -> tuple[PastPair, ...]:
    """Past weeks as a coordinator would have formed them: in each slot, neighbours side by side."""
    slot_ids = sorted({s for v in volunteers for s in v.slot_ids})
    result: list[PastPair] = []
    for weeks_ago in range(1, HISTORY_WEEKS + 1):
        for slot_id in slot_ids:
            out = [
                (places[i].neighbourhood, places[i].point.lon, v)
                for i, v in enumerate(volunteers)
                if slot_id in v.slot_ids and rng.random() < 0.7
            ]
            out.sort(key=lambda item: (item[0], item[1]))
            waiting: list[Volunteer] = []
            for _, _, volunteer in out:
                partner = next((w for w in waiting if may_pair(w, volunteer)), None)
                if partner is None:
                    waiting.append(volunteer)
                    continue
                waiting.remove(partner)
                result.append(PastPair(*pair_of(partner.id, volunteer.id), weeks_ago=weeks_ago))
    return tuple(result)
