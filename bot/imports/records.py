"""What each line of a volunteers or persons spreadsheet becomes, and what importing it would change.

Pure: the service reads the file, resolves the streets and loads the records already imported, then these
functions decide line by line (create, update, unchanged or reject, and why)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from enum import StrEnum

from bot.geo.text import normalise
from bot.imports import fields as cells
from bot.imports.table import Reason, Row
from bot.notices import Listing, Message

MAX_NAME_CHARS = 80
VOLUNTEER_CAPACITIES = range(1, 7)
IDENTIFIER = ("identifiant", "id", "ref", "référence", "external id", "external_id")
PHONE = ("téléphone", "tel", "tél", "portable", "mobile", "phone", "phone number", "telephone")
SLOTS = ("créneaux", "créneaux préférés", "disponibilités", "slots", "preferred slots", "availability")
LANGUAGES = ("langues", "languages", "langue", "language")

VOLUNTEER_COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": IDENTIFIER,
    "first_name": ("prénom", "first name", "firstname", "given name"),
    "last_name": ("nom", "nom de famille", "last name", "lastname", "surname", "family name"),
    "phone": PHONE,
    "kind": ("type", "statut", "kind", "status", "rôle", "role"),
    "street": ("rue", "adresse", "street", "address", "home street"),
    "slots": SLOTS,
    "capacity": ("visites par semaine", "visits per week", "capacité", "capacity"),
    "languages": LANGUAGES,
    "gender": ("genre", "sexe", "gender"),
    "experienced": ("expérimenté", "expérimentée", "experienced", "expérience", "experience"),
}
VOLUNTEER_REQUIRED = (("first_name", "last_name"),)

PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": IDENTIFIER,
    "name": ("nom", "nom complet", "nom et prénom", "name", "full name", "last name", "surname"),
    "first_name": ("prénom", "first name", "firstname"),
    "address": ("adresse", "address", "adresse postale", "rue", "street"),
    "phone": PHONE,
    "needs": ("besoins", "needs"),
    "visits_per_month": ("visites par mois", "visits per month", "fréquence", "frequency"),
    "slots": SLOTS,
    "languages": LANGUAGES,
    "consent": ("consentement", "consent"),
    "address_as": ("civilité", "civ", "titre", "appellation", "title", "salutation", "form of address"),
}
PERSON_REQUIRED = (("name", "first_name"), ("address",))

# Fields written with a record but not compared: they follow from the address.
DERIVED = frozenset({"lat", "lon"})


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Place:
    street_id: int
    street_name: str
    neighbourhood: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Vocabularies:
    """What people may type for each closed list, built by the service from the settings and catalogues."""

    country: str
    kinds: Mapping[str, str]
    slots: Mapping[str, str]
    languages: Mapping[str, str]
    language_order: Sequence[str]
    slot_order: Sequence[str]
    needs: Mapping[str, str]
    need_order: Sequence[str]
    genders: Mapping[str, str]
    consents: Mapping[str, str]
    address_forms: Mapping[str, str]
    visit_frequencies: Sequence[int]


@dataclass(frozen=True, slots=True)
class Parsed:
    """One line read: who, the key it is matched on, the stored fields it gives, or why it cannot be used."""

    line: int
    who: str
    key: str
    fields: Mapping[str, object] = field(default_factory=dict)
    notes: tuple[Reason, ...] = ()
    problems: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class LineReport:
    line: int
    who: str
    action: Action
    notes: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class Planned:
    """A line to write: the key, the stored fields, and whether a record with that key exists already."""

    key: str
    fields: Mapping[str, object]
    exists: bool


def match_key(external_id: str | None, name: str, street_id: int | None) -> str:
    """Stable across re-imports: the file's own identifier, else the name with the street, else the name alone
    (compared without case, accents or punctuation). Never the phone: it is sealed at rest, a key is not."""
    if external_id:
        return f"id:{normalise(external_id)}"
    if street_id is not None:
        return f"name-street:{normalise(name)}:{street_id}"
    return f"name:{normalise(name)}"


def _name(text: str) -> str | None:
    name = " ".join(text.split())
    if not name or len(name) > MAX_NAME_CHARS or not any(char.isalpha() for char in name):
        return None
    return name


class _Line:
    """Collects the fields and problems of one line as its cells are read."""

    def __init__(self, row: Row) -> None:
        self.values = row.values
        self.fields: dict[str, object] = {}
        self.notes: list[Reason] = []
        self.problems: list[Reason] = []

    def read(self, column: str, target: str, reader: Callable[[str], object]) -> None:
        text = self.values.get(column)
        if text is None:
            return
        value = reader(text)
        if isinstance(value, Reason):
            self.problems.append(value)
        else:
            self.fields[target] = value

    def place(self, column: str, places: Mapping[str, Place | None], street_field: str) -> Place | None:
        text = self.values.get(column)
        if text is None:
            return None
        found = places.get(text)
        if found is None:
            self.problems.append(Reason("import.reason.unknown_street", {"street": text}))
            return None
        self.fields[street_field] = found.street_id
        self.notes.append(Reason("import.note.street", {"street": found.street_name, "area": found.neighbourhood}))
        return found


def parse_volunteer(row: Row, words: Vocabularies, places: Mapping[str, Place | None]) -> Parsed:
    line = _Line(row)
    first = line.values.get("first_name", "")
    last = line.values.get("last_name", "")
    who = _name(f"{first} {last}")
    if who is None:
        line.problems.append(Reason("import.reason.missing_name"))
    else:
        line.fields["first_name"] = _name(first) or who
        line.fields["last_name"] = (_name(last) or "") if _name(first) else ""
    line.read("phone", "phone", lambda text: cells.phone(text, words.country))
    line.read("kind", "kind", lambda text: cells.one_of(text, words.kinds, "import.reason.bad_kind"))
    place = line.place("street", places, "home_street_id")
    line.read("slots", "slots", lambda t: cells.some_of(t, words.slots, "import.reason.bad_slot", words.slot_order))
    line.read(
        "capacity",
        "capacity",
        lambda t: cells.whole_number(t, VOLUNTEER_CAPACITIES, "import.reason.bad_capacity"),
    )
    line.read(
        "languages",
        "languages",
        lambda t: cells.some_of(t, words.languages, "import.reason.bad_language", words.language_order),
    )
    line.read("gender", "gender", lambda text: cells.one_of(text, words.genders, "import.reason.bad_gender"))
    line.read("experienced", "experienced", cells.yes_no)
    key = match_key(line.values.get("external_id"), who or "", place.street_id if place else None)
    return Parsed(row.line, who or "?", key, line.fields, tuple(line.notes), tuple(line.problems))


def parse_person(row: Row, words: Vocabularies, places: Mapping[str, Place | None]) -> Parsed:
    line = _Line(row)
    who = _name(f"{line.values.get('first_name', '')} {line.values.get('name', '')}")
    if who is None:
        line.problems.append(Reason("import.reason.missing_name"))
    else:
        line.fields["name"] = who
    address = line.values.get("address")
    place = line.place("address", places, "street_id")
    if address is None:
        line.problems.append(Reason("import.reason.missing_address"))
    elif place is not None:
        # The file's own words are kept for the visitors; the street gives the neighbourhood and the point.
        line.fields.update(address=address, lat=place.lat, lon=place.lon)
    line.read("phone", "phone", lambda text: cells.phone(text, words.country))
    line.read("needs", "needs", lambda t: cells.some_of(t, words.needs, "import.reason.bad_need", words.need_order))
    line.read(
        "visits_per_month",
        "visits_per_month",
        lambda t: cells.whole_number(t, words.visit_frequencies, "import.reason.bad_frequency"),
    )
    line.read("slots", "slots", lambda t: cells.some_of(t, words.slots, "import.reason.bad_slot", words.slot_order))
    line.read(
        "languages",
        "languages",
        lambda t: cells.some_of(t, words.languages, "import.reason.bad_language", words.language_order),
    )
    line.read("consent", "consent_how", lambda text: cells.one_of(text, words.consents, "import.reason.bad_consent"))
    line.read(
        "address_as", "address_as", lambda t: cells.one_of(t, words.address_forms, "import.reason.bad_address_as")
    )
    key = match_key(line.values.get("external_id"), who or "", place.street_id if place else None)
    return Parsed(row.line, who or "?", key, line.fields, tuple(line.notes), tuple(line.problems))


def plan(
    parsed: Sequence[Parsed], existing: Mapping[str, Mapping[str, object]], settled: Set[str] = frozenset()
) -> tuple[list[LineReport], list[Planned]]:
    """Each line's fate, and what to write when no line is rejected. `existing` holds the stored fields of
    the records already imported, by key; `settled` the keys no import may change any more (a volunteer who
    joined owns their profile)."""
    reports: list[LineReport] = []
    writes: list[Planned] = []
    first_line: dict[str, int] = {}
    for line in parsed:
        problems = list(line.problems)
        if line.key in first_line and not problems:
            problems.append(Reason("import.reason.duplicate", {"line": first_line[line.key]}))
        first_line.setdefault(line.key, line.line)
        if problems:
            reports.append(LineReport(line.line, line.who, Action.REJECT, tuple(problems)))
            continue
        stored = existing.get(line.key)
        if line.key in settled:
            reports.append(LineReport(line.line, line.who, Action.UNCHANGED, (Reason("import.note.joined"),)))
            continue
        if stored is None:
            reports.append(LineReport(line.line, line.who, Action.CREATE, line.notes))
            writes.append(Planned(line.key, line.fields, exists=False))
            continue
        changed = sorted(
            name for name, value in line.fields.items() if name not in DERIVED and stored.get(name) != value
        )
        if not changed:
            reports.append(LineReport(line.line, line.who, Action.UNCHANGED))
            continue
        note = Reason(
            "import.note.changed", {"fields": Listing(tuple(Message(f"import.field.{name}") for name in changed))}
        )
        reports.append(LineReport(line.line, line.who, Action.UPDATE, (note, *line.notes)))
        written = {name: line.fields[name] for name in (*changed, *DERIVED) if name in line.fields}
        writes.append(Planned(line.key, written, exists=True))
    return reports, writes
