"""Reading INSEE's census base by IRIS ("Couples - Familles - Ménages", one CSV for France) into figures per
neighbourhood of the town: people aged 80 and over living alone, and everyone aged 15 and over.

Only aggregates are read, never a person. An IRIS is a neighbourhood of about 2,000 people; each IRIS of the
town is given to the configured neighbourhood whose name its own name (LIBIRIS) contains, and the lines of
the town that match none are reported, so the coordinator sees what was left out.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bot.geo.ban_csv import Problem
from bot.geo.text import normalise

SAMPLE_CSV = "agen_iris_sample.csv"
# The year prefix changes with each census (P20_, P21_...): the columns are found by their pattern.
_ALONE = re.compile(r"^P(\d\d)_POP80P_PSEUL$")
_ADULTS = re.compile(r"^P(\d\d)_POP15P$")
_OLD = re.compile(r"^P(\d\d)_POP80P$")


@dataclass(frozen=True, slots=True)
class AreaFigures:
    neighbourhood: str
    adults: float  # people aged 15 and over
    old: float  # aged 80 and over
    old_alone: float  # aged 80 and over, living alone


@dataclass(frozen=True, slots=True)
class IrisImport:
    year: str  # of the census, "2020"
    areas: tuple[AreaFigures, ...]
    unmatched: tuple[str, ...]  # "470010103 Gravier": the town's IRIS given to no neighbourhood
    problems: tuple[Problem, ...]  # what made the file unusable


def _number(text: str) -> float:
    """INSEE writes weighted counts with a decimal point or comma; an empty cell is nothing."""
    cleaned = text.strip().replace(",", ".")
    return float(cleaned) if cleaned else 0.0


def read_iris(lines: Iterable[str], insee_code: str, neighbourhoods: Sequence[str]) -> IrisImport:
    reader = csv.DictReader(lines, delimiter=";")
    columns = reader.fieldnames or []
    found = {pattern: next((c for c in columns if pattern.match(c)), None) for pattern in (_ALONE, _ADULTS, _OLD)}
    missing = [p.pattern for p, column in found.items() if column is None]
    missing += [name for name in ("IRIS", "COM", "LIBIRIS") if name not in columns]
    if missing:
        return IrisImport(
            "", (), (), tuple(Problem(1, "census.problem.missing_column", (("column", name),)) for name in missing)
        )
    alone, adults, old = (str(found[p]) for p in (_ALONE, _ADULTS, _OLD))
    year = "20" + alone[1:3]
    keys = {normalise(name): name for name in neighbourhoods}
    totals: dict[str, list[float]] = {}
    unmatched: list[str] = []
    problems: list[Problem] = []
    for line_no, row in enumerate(reader, start=2):
        if row.get("COM") != insee_code:
            continue
        label = normalise(row.get("LIBIRIS") or "")
        area = next((name for key, name in keys.items() if key and key in label), None)
        if area is None:
            unmatched.append(f"{row.get('IRIS')} {row.get('LIBIRIS')}")
            continue
        try:
            figures = (_number(row[adults] or ""), _number(row[old] or ""), _number(row[alone] or ""))
        except ValueError:
            problems.append(Problem(line_no, "census.problem.not_a_number", (("line", str(line_no)),)))
            continue
        sums = totals.setdefault(area, [0.0, 0.0, 0.0])
        for index, value in enumerate(figures):
            sums[index] += value
    areas = tuple(AreaFigures(name, *totals[name]) for name in neighbourhoods if name in totals)
    return IrisImport(year, areas, tuple(unmatched), tuple(problems))


def read_iris_file(path: Path, insee_code: str, neighbourhoods: Sequence[str]) -> IrisImport:
    """INSEE publishes UTF-8; an older download may be Windows-1252."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    return read_iris(io.StringIO(text), insee_code, neighbourhoods)


SAMPLE_INSEE = "47001"  # the commune of the shipped sample: Agen


def read_sample(neighbourhoods: Sequence[str]) -> IrisImport:
    """The APPROXIMATE Agen sample shipped with the bot (see data/README.md): for the demo, never for a decision."""
    text = resources.files("bot.geo").joinpath("data", SAMPLE_CSV).read_text(encoding="utf-8")
    return read_iris(io.StringIO(text), SAMPLE_INSEE, neighbourhoods)
