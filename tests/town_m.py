"""A town of a real size written into the database as the bot stores it: the generated Agen-like week of
`bot/matching/generator.py` (size M: 150 volunteers, 400 persons followed) with names and addresses of
ordinary length, and what a coordinator's other screens list at that size: reports, applications waiting,
the audit log, caring neighbours on the streets."""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.config import Settings, TownSettings
from bot.geo.neighbourhoods import nearest_neighbourhood
from bot.i18n import Translations
from bot.matching import generate_week
from bot.matching.generator import FIRST_MONDAY, SIZES
from bot.matching.week import Gender
from bot.runtime.notifier import OutboxNotifier
from bot.services.container import build_services
from bot.services.streets import StreetService
from bot.storage.database import Database
from bot.storage.outbox import OutboxRepository
from bot.storage.sealing import unlock
from bot.storage.streets import StreetRepository
from tests.stored_data import LOCK_WAIT_S

FIRST_VOLUNTEER_ID = 30_000
FIRST_APPLICANT_ID = 39_000
FIRST_NEIGHBOUR_ID = 40_000
PENDING_APPLICATIONS = 15
"""One in ten of the team waiting for a decision: a town recruiting."""
REPORTS_PER_PERSON = 1
NEW_REPORTS = 40
AUDIT_ENTRIES = 2_000
"""A few months of file openings at this size."""
WATCHED_STREETS = 0.6

FIRST_NAMES = (
    "Inès", "Hugo", "Jeanne", "Paul", "Léa", "Lucas", "Marie-Thérèse", "Jean-Baptiste", "Zoé", "Nathan",
    "Chloé", "Mohamed", "Fatima", "Louis", "Camille", "Yasmine", "Théo", "Manon", "Enzo", "Anne-Sophie",
    "Gabriel", "Élodie", "Rémi", "Sarah", "Karim", "Bernadette", "Maximilien", "Océane", "Noé", "Josiane",
)  # fmt: skip
SURNAMES = (
    "Martin", "Bernard", "Dubois", "Lefèvre-Delacroix", "Moreau", "Laurent", "Garcia", "Roux", "Fournier",
    "Girard", "Noguès", "Bonnet", "Dupont-Lajoie", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller",
    "Lefebvre", "Faure", "Andrieu", "Mercier", "Castaing-Larrieu", "Blanc", "Guérin", "Boyer", "Garnier",
)  # fmt: skip
STREETS = (
    "rue Voltaire", "boulevard de la République", "place Wilson", "rue Montesquieu", "cours Victor-Hugo",
    "avenue du Général-de-Gaulle", "rue des Cornières", "rue Lamoureux", "rue Jasmin", "rue Paulin-Régnier",
    "rue Bernard-Palissy", "allée des Droits-de-l'Homme", "rue Camille-Desmoulins", "chemin de Pompeyrie",
)  # fmt: skip


@dataclass(frozen=True)
class Town:
    volunteers: tuple[int, ...]
    persons: tuple[int, ...]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def _on(week_monday: date, day: date) -> str:
    """A generated day, moved to the same weekday of the week planned."""
    return date.fromordinal(week_monday.toordinal() + (day - FIRST_MONDAY).days).isoformat()


async def _streets(db_path: Path, town: TownSettings) -> None:
    """The database migrated and the town's streets loaded, as at the bot's first start."""
    db = Database(db_path)
    await db.open()
    try:
        await StreetService(StreetRepository(db), town).refresh()
    finally:
        await db.close()


async def seed(db_path: Path, town: TownSettings, week_monday: date, size: str = "M", seed: int = 1) -> Town:
    """Write the generated town into a new database; the week's absences land in the week beginning
    `week_monday`. A volunteer's home street is where the generator put the home, in its neighbourhood."""
    await _streets(db_path, town)
    week = generate_week(size, seed)
    rng = random.Random(f"town:{size}:{seed}")
    volunteers = tuple(FIRST_VOLUNTEER_ID + i for i in range(len(week.volunteers)))
    areas = [(n.name, n.point) for n in town.neighbourhoods]
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        for telegram_id, volunteer in zip(volunteers, week.volunteers, strict=True):
            home = None
            if volunteer.home is not None:
                home = conn.execute(
                    "INSERT INTO streets (key, name, insee_code, postcode, neighbourhood, lat, lon) "
                    "VALUES (?, ?, ?, '47000', ?, ?, ?)",
                    (
                        f"home-{telegram_id}",
                        rng.choice(STREETS).capitalize(),
                        town.insee_code,
                        nearest_neighbourhood(volunteer.home, areas),
                        volunteer.home.lat,
                        volunteer.home.lon,
                    ),
                ).lastrowid
            conn.execute(
                "INSERT INTO users (telegram_id, first_name) VALUES (?, ?)", (telegram_id, rng.choice(FIRST_NAMES))
            )
            conn.execute(
                "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
                "VALUES (?, ?, 'approved', 'x')",
                (telegram_id, volunteer.kind.value),
            )
            conn.execute(
                "INSERT INTO volunteer_profiles (telegram_id, experienced, capacity, home_street_id, gender) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    telegram_id,
                    int(volunteer.experienced),
                    min(volunteer.capacity, 6),
                    home,
                    "f" if volunteer.gender is Gender.FEMALE else "m",
                ),
            )
            conn.executemany(
                "INSERT INTO volunteer_slots VALUES (?, ?)", [(telegram_id, slot) for slot in volunteer.slot_ids]
            )
            conn.executemany(
                "INSERT INTO volunteer_languages VALUES (?, ?)", [(telegram_id, lang) for lang in volunteer.languages]
            )
            for absence in volunteer.absences:
                conn.execute(
                    "INSERT INTO volunteer_absences (telegram_id, first_day, last_day) VALUES (?, ?, ?)",
                    (telegram_id, _on(week_monday, absence.first), _on(week_monday, absence.last)),
                )
        persons = tuple(
            int(
                conn.execute(
                    "INSERT INTO persons (name, address, lat, lon, visits_per_month, slots, languages, "
                    "visitor_gender, consent_at, consent_how, created_by) "
                    "VALUES (?, ?, ?, ?, 4, ?, ?, ?, '2026-01-05', 'oral', 1)",
                    (
                        _name(rng),
                        f"{rng.randint(1, 140)} {rng.choice(STREETS)}",
                        person.location.lat,
                        person.location.lon,
                        json.dumps(sorted(person.preferred_slot_ids)),
                        json.dumps(sorted(person.languages)),
                        "female" if person.visitor_gender is Gender.FEMALE else "any",
                    ),
                ).lastrowid
                or 0
            )
            for person in week.persons
        )
        _coordinator_screens(conn, rng, persons)
    assert (len(volunteers), len(persons)) == SIZES[size]
    return Town(volunteers, persons)


def _coordinator_screens(conn: sqlite3.Connection, rng: random.Random, persons: tuple[int, ...]) -> None:
    """What the other lists hold at this size: a report behind every file, new ones to triage, applications
    waiting, file openings in the audit log, caring neighbours on most streets."""
    for number, person in enumerate(persons * REPORTS_PER_PERSON, start=1):
        conn.execute(
            "INSERT INTO reports (reference, channel, anonymous, contact_ok, urgency, status, person_id, signs) "
            "VALUES (?, 'phone', 0, 1, 'soon', 'followed', ?, '[\"shutters\"]')",
            (f"S-2026-{number:04d}", person),
        )
    for number in range(NEW_REPORTS):
        conn.execute(
            "INSERT INTO reports (reference, channel, anonymous, contact_ok, urgency, status, address, signs) "
            "VALUES (?, 'telegram', 0, 1, ?, 'new', ?, '[\"shutters\", \"mail\"]')",
            (f"S-2026-{len(persons) + number + 1:04d}", rng.choice(("soon", "later")), rng.choice(STREETS)),
        )
    for index in range(PENDING_APPLICATIONS):
        applicant = FIRST_APPLICANT_ID + index
        conn.execute("INSERT INTO users (telegram_id, first_name) VALUES (?, ?)", (applicant, rng.choice(FIRST_NAMES)))
        conn.execute(
            "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
            "VALUES (?, 'benevole', 'pending', 'x')",
            (applicant,),
        )
    conn.executemany(
        "INSERT INTO audit_log (actor, action, subject) VALUES (1, 'person.opened', ?)",
        [(f"person:{rng.choice(persons)}",) for _ in range(AUDIT_ENTRIES)],
    )
    streets = [row[0] for row in conn.execute("SELECT id FROM streets")]
    for index, street in enumerate(s for s in streets if rng.random() < WATCHED_STREETS):
        neighbour = FIRST_NEIGHBOUR_ID + index
        conn.execute("INSERT INTO users (telegram_id, first_name) VALUES (?, ?)", (neighbour, rng.choice(FIRST_NAMES)))
        conn.execute(
            "INSERT INTO street_watchers (street_id, telegram_id, is_main, charter_accepted_at) VALUES (?, ?, 1, 'x')",
            (street, neighbour),
        )


async def draft(db_path: Path, settings: Settings, year: int, iso_week: int, coordinator: int) -> int:
    """The week's draft, made as /plan makes it (a draft tells nobody), without Telegram."""
    db = Database(db_path)
    await db.open()
    try:
        await unlock(db, settings.privacy.data_key, settings.privacy.key_path(db.path))
        translations = Translations(settings.i18n.default_language)
        services = build_services(settings, db, translations, OutboxNotifier(OutboxRepository(db)))
        plan_id = await services.publication.make_draft(year, iso_week, coordinator)
    finally:
        await db.close()
    assert plan_id is not None
    return plan_id
