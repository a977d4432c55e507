"""Reading a Base Adresse Nationale CSV (adresse.data.gouv.fr, one file per commune) into streets.

A town imports this file once and again after each BAN update; every line that cannot be used is
reported with its line number so the coordinator can see what was left out and why.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bot.domain.places import Point
from bot.geo.text import normalise

REQUIRED_COLUMNS = ("numero", "rep", "nom_voie", "code_postal", "code_insee", "nom_commune", "lon", "lat")
SAMPLE_CSV = "agen_streets_sample.csv"

_NUMBER = re.compile(r"^[0-9]{1,5}$")
_REP = re.compile(r"^[a-z]{0,10}$")
_INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
_POSTCODE = re.compile(r"^[0-9]{5}$")
_MAX_NAME_CHARS = 200


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class AddressRow:
    line: int
    number: str
    street_name: str
    postcode: str
    insee_code: str
    commune: str
    point: Point


@dataclass(frozen=True, slots=True)
class HouseNumber:
    number: str
    point: Point


def street_key(name: str, insee_code: str) -> str:
    """Stable across re-imports and spelling variants of case, accents and punctuation."""
    return f"{insee_code}:{normalise(name)}"


@dataclass(frozen=True, slots=True)
class StreetRecord:
    name: str
    insee_code: str
    postcode: str
    point: Point
    house_numbers: tuple[HouseNumber, ...]

    @property
    def key(self) -> str:
        return street_key(self.name, self.insee_code)


@dataclass(frozen=True, slots=True)
class BanImport:
    streets: tuple[StreetRecord, ...]
    problems: tuple[Problem, ...]


def parse_addresses(text: str, town_insee: str | None = None) -> tuple[list[AddressRow], list[Problem]]:
    """Rows that are valid addresses, and one problem for each line that is not (a line of another commune than
    `town_insee`, when given, is one)."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";")
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        return [], [Problem(1, "empty file")]
    except csv.Error as exc:
        return [], [Problem(1, f"unreadable header: {exc}")]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        hint = " (is the file ';'-separated?)" if len(header) == 1 else ""
        return [], [Problem(1, f"missing columns: {', '.join(missing)}{hint}")]
    index = {column: header.index(column) for column in REQUIRED_COLUMNS}

    rows: list[AddressRow] = []
    problems: list[Problem] = []
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(reader.line_num, f"unreadable line: {exc}"))
            continue
        if not any(field.strip() for field in fields):
            continue
        values = {column: fields[i].strip() if i < len(fields) else "" for column, i in index.items()}
        row_or_reason = _address(reader.line_num, values, town_insee)
        if isinstance(row_or_reason, str):
            problems.append(Problem(reader.line_num, row_or_reason))
        else:
            rows.append(row_or_reason)
    return rows, problems


def _address(line: int, values: dict[str, str], town_insee: str | None) -> AddressRow | str:
    """The address on this line, or the reason it cannot be used."""
    number, rep = values["numero"], values["rep"].lower()
    name = " ".join(values["nom_voie"].split())
    unwanted = _unwanted_in_name(values["nom_voie"])
    if unwanted:
        return f"nom_voie holds {unwanted}: {name[:40]!r}"
    if not _NUMBER.match(number):
        return f"numero is not a number: {number!r}"
    if not _REP.match(rep):
        return f"rep is not a suffix like 'bis': {rep!r}"
    if not name or len(name) > _MAX_NAME_CHARS or not normalise(name):
        return f"nom_voie is empty or not a name: {name[:40]!r}"
    if not _POSTCODE.match(values["code_postal"]):
        return f"code_postal is not 5 digits: {values['code_postal']!r}"
    if not _INSEE.match(values["code_insee"]):
        return f"code_insee is not an INSEE code: {values['code_insee']!r}"
    if town_insee is not None and values["code_insee"] != town_insee:
        return (
            f"code_insee {values['code_insee']} is another commune than the town's ({town_insee}); "
            "import it with --any-town if it is meant"
        )
    if not values["nom_commune"]:
        return "nom_commune is empty"
    try:
        lat, lon = float(values["lat"]), float(values["lon"])
    except ValueError:
        return f"lat/lon are not numbers: {values['lat']!r}, {values['lon']!r}"
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return f"lat/lon out of range: {lat}, {lon}"
    return AddressRow(
        line=line,
        number=f"{int(number)}{rep}",
        street_name=name,
        postcode=values["code_postal"],
        insee_code=values["code_insee"],
        commune=values["nom_commune"],
        point=Point(lat, lon),
    )


def _unwanted_in_name(raw: str) -> str | None:
    """What a street name must not hold: control characters (NUL, line breaks, bidirectional overrides that
    reorder what a reader sees) or markup (no street of the BAN has a < or a >)."""
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in raw.strip()):
        return "a control character"
    if "<" in raw or ">" in raw:
        return "markup (< or >)"
    return None


def group_streets(rows: Iterable[AddressRow]) -> tuple[list[StreetRecord], list[Problem]]:
    """One record per street key; a second address with the same number on a street is a problem."""
    by_key: dict[str, list[AddressRow]] = {}
    problems: list[Problem] = []
    for row in rows:
        by_key.setdefault(street_key(row.street_name, row.insee_code), []).append(row)
    streets: list[StreetRecord] = []
    for street_rows in by_key.values():
        first_line: dict[str, int] = {}
        kept: list[AddressRow] = []
        for row in street_rows:
            if row.number in first_line:
                reason = f"duplicate of line {first_line[row.number]}: number {row.number}"
                problems.append(Problem(row.line, reason))
            else:
                first_line[row.number] = row.line
                kept.append(row)
        streets.append(_street(kept))
    streets.sort(key=lambda street: street.key)
    problems.sort(key=lambda problem: problem.line)
    return streets, problems


def _street(rows: Sequence[AddressRow]) -> StreetRecord:
    # Spelling variants of one street share a key; the most frequent spelling (first on a tie) wins.
    name = Counter(row.street_name for row in rows).most_common(1)[0][0]
    postcode = Counter(row.postcode for row in rows).most_common(1)[0][0]
    # A plain mean of coordinates: within a street the curvature of the Earth is negligible.
    centroid = Point(sum(row.point.lat for row in rows) / len(rows), sum(row.point.lon for row in rows) / len(rows))
    numbers = sorted(rows, key=lambda row: _number_order(row.number))
    return StreetRecord(
        name=name,
        insee_code=rows[0].insee_code,
        postcode=postcode,
        point=centroid,
        house_numbers=tuple(HouseNumber(row.number, row.point) for row in numbers),
    )


def _number_order(number: str) -> tuple[int, str]:
    digits = number.rstrip("abcdefghijklmnopqrstuvwxyz")
    return int(digits), number[len(digits) :]


def parse_ban_csv(text: str, town_insee: str | None = None) -> BanImport:
    rows, problems = parse_addresses(text, town_insee)
    streets, duplicates = group_streets(rows)
    return BanImport(tuple(streets), tuple(sorted(problems + duplicates, key=lambda problem: problem.line)))


def read_ban_csv(path: Path, town_insee: str | None = None) -> BanImport:
    """The streets of the file; with `town_insee`, only those of that commune."""
    return parse_ban_bytes(path.read_bytes(), town_insee)


def parse_ban_bytes(data: bytes, town_insee: str | None = None) -> BanImport:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A non-UTF-8 file (usually re-saved as Latin-1 by a spreadsheet) fails on every accented line:
        # one clear problem is more useful than thousands of identical ones.
        line = data.count(b"\n", 0, exc.start) + 1
        return BanImport((), (Problem(line, "the file is not UTF-8: download it again from the BAN"),))
    return parse_ban_csv(text, town_insee)


def read_sample() -> BanImport:
    """The approximate Agen sample shipped with the package, for the demo and tests."""
    return parse_ban_bytes((resources.files("bot.geo") / "data" / SAMPLE_CSV).read_bytes())
