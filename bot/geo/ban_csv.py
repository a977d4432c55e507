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
from pathlib import Path

from bot.domain.places import Point
from bot.geo.text import normalise

REQUIRED_COLUMNS = ("numero", "rep", "nom_voie", "code_postal", "code_insee", "nom_commune", "lon", "lat")

_NUMBER = re.compile(r"^[0-9]{1,5}$")
_REP = re.compile(r"^[a-z]{0,10}$")
_INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
_POSTCODE = re.compile(r"^[0-9]{5}$")
_MAX_NAME_CHARS = 200


@dataclass(frozen=True, slots=True)
class Problem:
    """A line that cannot be used, and why: `reason` is a catalogue key ("streets.problem.number") and `params`
    the values it names, so that whoever imports reads it in their language."""

    line: int
    reason: str
    params: tuple[tuple[str, str], ...] = ()


def problem(line: int, what: str, /, **params: object) -> Problem:
    return Problem(line, f"streets.problem.{what}", tuple((key, str(value)) for key, value in params.items()))


Reason = tuple[str, dict[str, object]]
"""Why a line cannot be used, before its line is known: the name of the problem and its values."""


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
    # Given by the file (a plain CSV may say it); otherwise the nearest configured neighbourhood.
    neighbourhood: str | None = None

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
        return [], [problem(1, "empty_file")]
    except csv.Error as exc:
        return [], [problem(1, "unreadable_header", error=exc)]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        # One column only: the file is most likely separated by commas, not semicolons.
        return [], [
            problem(
                1, "missing_columns_semicolons" if len(header) == 1 else "missing_columns", columns=", ".join(missing)
            )
        ]
    index = {column: header.index(column) for column in REQUIRED_COLUMNS}

    rows: list[AddressRow] = []
    problems: list[Problem] = []
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(problem(reader.line_num, "unreadable_line", error=exc))
            continue
        if not any(field.strip() for field in fields):
            continue
        values = {column: fields[i].strip() if i < len(fields) else "" for column, i in index.items()}
        row_or_reason = _address(reader.line_num, values, town_insee)
        if isinstance(row_or_reason, AddressRow):
            rows.append(row_or_reason)
        else:
            name, params = row_or_reason
            problems.append(problem(reader.line_num, name, **params))
    return rows, problems


def _address(line: int, values: dict[str, str], town_insee: str | None) -> AddressRow | Reason:
    """The address on this line, or the reason it cannot be used."""
    number, rep = values["numero"], values["rep"].lower()
    name = " ".join(values["nom_voie"].split())
    unwanted = unwanted_in_name(values["nom_voie"])
    if unwanted:
        return unwanted, {"name": name[:40]}
    if not _NUMBER.match(number):
        return "number", {"value": number}
    if not _REP.match(rep):
        return "suffix", {"value": rep}
    if not name or len(name) > _MAX_NAME_CHARS or not normalise(name):
        return "no_name", {"value": name[:40]}
    if not _POSTCODE.match(values["code_postal"]):
        return "postcode", {"value": values["code_postal"]}
    if not _INSEE.match(values["code_insee"]):
        return "insee_code", {"value": values["code_insee"]}
    if town_insee is not None and values["code_insee"] != town_insee:
        return "other_commune", {"value": values["code_insee"], "town": town_insee}
    if not values["nom_commune"]:
        return "no_commune", {}
    try:
        lat, lon = float(values["lat"]), float(values["lon"])
    except ValueError:
        return "not_numbers", {"lat": values["lat"], "lon": values["lon"]}
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return "out_of_range", {"lat": lat, "lon": lon}
    return AddressRow(
        line=line,
        number=f"{int(number)}{rep}",
        street_name=name,
        postcode=values["code_postal"],
        insee_code=values["code_insee"],
        commune=values["nom_commune"],
        point=Point(lat, lon),
    )


def unwanted_in_name(raw: str) -> str | None:
    """What a street name must not hold, as the name of the problem: control characters (NUL, line breaks,
    bidirectional overrides that reorder what a reader sees) or markup (no street of the BAN has a < or a >)."""
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in raw.strip()):
        return "control_character"
    if "<" in raw or ">" in raw:
        return "markup"
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
                problems.append(problem(row.line, "duplicate_number", line=first_line[row.number], number=row.number))
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
        return BanImport((), (problem(line, "not_utf8_ban"),))
    return parse_ban_csv(text, town_insee)
