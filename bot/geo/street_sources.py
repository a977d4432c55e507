"""The town's streets from the source its country has: the BAN CSV in France, an OpenStreetMap extract or a
plain CSV (name;lat;lon[;neighbourhood]) elsewhere. Every source gives the same records, and every line or way
that cannot be used is reported, so a coordinator sees what was left out and why."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Literal

from bot.domain.places import Point
from bot.geo.ban_csv import BanImport, Problem, Reason, StreetRecord, parse_ban_bytes, problem, unwanted_in_name
from bot.geo.text import normalise

Source = Literal["ban", "csv", "osm"]
PLAIN_COLUMNS = ("name", "lat", "lon")
_MAX_NAME_CHARS = 200


def read_streets(path: Path, source: Source, town_insee: str | None = None) -> BanImport:
    """The streets of the file; for the BAN with `town_insee`, only those of that commune."""
    if source == "osm":
        return read_osm(path)
    data = path.read_bytes()
    return parse_ban_bytes(data, town_insee) if source == "ban" else parse_plain_csv(data)


def read_shipped(name: str, source: Source) -> BanImport:
    """A street file shipped in bot/geo/data (a town's approximate sample, for the demo and the tests)."""
    with resources.as_file(resources.files("bot.geo") / "data" / name) as path:
        return read_streets(path, source)


def parse_plain_csv(data: bytes) -> BanImport:
    """One street a line: name, lat, lon and optionally neighbourhood, with a header row; comma or semicolon."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return BanImport((), (problem(data.count(b"\n", 0, exc.start) + 1, "not_utf8"),))
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ",")
    header = [column.strip().lower() for column in next(reader, [])]
    missing = [column for column in PLAIN_COLUMNS if column not in header]
    if missing:
        return BanImport((), (problem(1, "missing_plain_columns", columns=", ".join(missing)),))
    index = {column: header.index(column) for column in (*PLAIN_COLUMNS, "neighbourhood") if column in header}
    problems: list[Problem] = []
    streets: dict[str, StreetRecord] = {}
    for fields in reader:
        if not any(field.strip() for field in fields):
            continue
        values = {column: fields[i].strip() if i < len(fields) else "" for column, i in index.items()}
        record = _plain_street(values)
        if not isinstance(record, StreetRecord):
            name, params = record
            problems.append(problem(reader.line_num, name, **params))
        elif record.key in streets:
            problems.append(problem(reader.line_num, "street_twice", name=record.name))
        else:
            streets[record.key] = record
    return BanImport(tuple(sorted(streets.values(), key=lambda s: s.key)), tuple(problems))


def _plain_street(values: dict[str, str]) -> StreetRecord | Reason:
    unwanted = unwanted_in_name(values["name"])
    if unwanted:
        return unwanted, {"name": values["name"][:40]}
    name = " ".join(values["name"].split())
    if not name or len(name) > _MAX_NAME_CHARS or not normalise(name):
        return "no_name", {"value": name[:40]}
    point = _point(values["lat"], values["lon"])
    if point is None:
        return "not_a_place", {"lat": values["lat"], "lon": values["lon"]}
    return StreetRecord(name, "", "", point, (), values.get("neighbourhood") or None)


def _point(lat_text: str, lon_text: str) -> Point | None:
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return Point(lat, lon)


def read_osm(path: Path) -> BanImport:
    """Named ways with a `highway` tag of an OpenStreetMap extract (.osm or .osm.pbf), read with osmium; the
    pieces of one street (a street is often several ways) become one street at the mean of their nodes."""
    import osmium  # only the towns whose streets come from OpenStreetMap need it loaded

    nodes: dict[str, list[Point]] = {}
    names: dict[str, str] = {}
    problems: list[Problem] = []
    try:
        processor = osmium.FileProcessor(str(path)).with_locations()
        for way in processor:
            if not isinstance(way, osmium.osm.Way):
                continue
            raw = str(way.tags.get("name", ""))
            name = " ".join(raw.split())
            if "highway" not in way.tags or not name or len(name) > _MAX_NAME_CHARS or not normalise(name):
                continue
            unwanted = unwanted_in_name(raw)
            if unwanted:
                problems.append(problem(way.id, unwanted, name=raw[:40]))
                continue
            located = [Point(n.lat, n.lon) for n in way.nodes if n.location.valid()]
            if not located:
                problems.append(problem(way.id, "way_without_nodes", way=way.id, name=name))
                continue
            key = normalise(name)
            names.setdefault(key, name)
            nodes.setdefault(key, []).extend(located)
    except RuntimeError as exc:
        return BanImport((), (problem(1, "not_osm", error=exc),))
    return BanImport(tuple(_osm_streets(names, nodes)), tuple(problems))


def _osm_streets(names: dict[str, str], nodes: dict[str, list[Point]]) -> Iterable[StreetRecord]:
    for key in sorted(names):
        points = nodes[key]
        centre = Point(sum(p.lat for p in points) / len(points), sum(p.lon for p in points) / len(points))
        yield StreetRecord(names[key], "", "", centre, ())
