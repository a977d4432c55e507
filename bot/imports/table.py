"""Reading a CSV file as a spreadsheet exports it: comma, semicolon or tab, UTF-8 (with or without BOM) or
Windows-1252, and a header row whose column names may be French or English, in any case, with or without
accents. Pure: bytes in, rows keyed by our column names out."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.geo.text import normalise
from bot.notices import Value

DELIMITERS = (";", ",", "\t")
# A spreadsheet of a town's volunteers or followed persons is a few hundred lines; far more is not one.
MAX_LINES = 5000
MAX_CELL_CHARS = 500


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a line (or the file) cannot be imported, or what will change: a catalogue key and its values."""

    key: str
    params: Mapping[str, Value] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    values: Mapping[str, str]  # our column name -> the cell, stripped; absent columns are absent


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[Row, ...] = ()
    columns: tuple[str, ...] = ()  # ours, as recognised in the header
    ignored_columns: tuple[str, ...] = ()
    problem: Reason | None = None


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252, the encoding of a French Excel's "CSV (;)" export."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte, so a file always reads.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def column_key(name: str) -> str:
    """The form in which header cells and aliases are compared: "Téléphone " and "TELEPHONE" are equal."""
    return normalise(name)


def read_table(data: bytes, aliases: Mapping[str, Sequence[str]], required: Sequence[Sequence[str]]) -> Table:
    """Rows of the file with their line numbers. `aliases` maps each column we know to the header names that
    mean it; `required` lists groups of columns of which at least one must be there."""
    text = decode(data)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        return Table(problem=Reason("import.file.empty"))
    delimiter = max(DELIMITERS, key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    by_alias = {column_key(alias): column for column, names in aliases.items() for alias in (column, *names)}
    header: list[str] = []
    positions: dict[str, int] = {}
    ignored: list[str] = []
    rows: list[Row] = []
    try:
        for fields in reader:
            if not any(cell.strip() for cell in fields):
                continue
            if not header:
                header = [cell.strip() for cell in fields]
                for index, cell in enumerate(header):
                    column = by_alias.get(column_key(cell))
                    if column is None:
                        if cell:
                            ignored.append(cell)
                    elif column in positions:
                        return Table(problem=Reason("import.file.column_twice", {"column": cell}))
                    else:
                        positions[column] = index
                continue
            if len(rows) >= MAX_LINES:
                return Table(problem=Reason("import.file.too_long", {"count": MAX_LINES}))
            values = {
                column: " ".join(fields[index].split())[:MAX_CELL_CHARS]
                for column, index in positions.items()
                if index < len(fields) and fields[index].strip()
            }
            rows.append(Row(reader.line_num, values))
    except csv.Error as exc:
        return Table(problem=Reason("import.file.unreadable", {"line": reader.line_num, "error": str(exc)}))
    missing = [group[0] for group in required if not any(column in positions for column in group)]
    if missing:
        names = ", ".join(aliases[column][0] for column in missing)
        return Table(problem=Reason("import.file.missing_columns", {"columns": names, "found": ", ".join(header)}))
    return Table(tuple(rows), tuple(positions), tuple(ignored))
