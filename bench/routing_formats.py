"""Readers for the two standard routing benchmark formats, and their conversion to a VrptwProblem.

Solomon (1987) VRPTW files: a name line, a VEHICLE section (number, capacity) and a CUSTOMER section of
rows "number x y demand ready due service", customer 0 being the depot. Distances follow the convention of
the published optima: Euclidean truncated to one decimal, so we work in tenths (floor(10 d)), and travel
time equals distance.

TSPLIB (Reinelt 1991) files: "KEY : VALUE" header lines then NODE_COORD_SECTION rows "number x y".
Only EUC_2D is supported: nint of the Euclidean distance.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.routing.vrptw import TimeWindow, VrptwProblem

SOLOMON_SCALE = 10
DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True, slots=True)
class SolomonNode:
    number: int
    x: float
    y: float
    demand: int
    ready: int
    due: int
    service: int


@dataclass(frozen=True, slots=True)
class SolomonInstance:
    name: str
    vehicles: int
    capacity: int
    nodes: tuple[SolomonNode, ...]  # nodes[0] is the depot


@dataclass(frozen=True, slots=True)
class TsplibInstance:
    name: str
    coords: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class BenchInstance:
    """A file's problem ready to solve. scale: problem units per distance unit of the file; labels: the
    file's own number for each node (Solomon customer numbers, TSPLIB city numbers)."""

    name: str
    customers: int
    file_customers: int
    problem: VrptwProblem
    scale: int
    labels: tuple[int, ...]


def load_instance(path: Path, customers: int | None, time_limit_s: float) -> BenchInstance:
    """A TSPLIB file if it ends in .tsp, else a Solomon file; the depot and the first `customers`."""
    if path.suffix.lower() == ".tsp":
        tsp = read_tsplib(path)
        coords = tsp.coords[: (customers + 1 if customers is not None else None)]
        problem = tsplib_problem(TsplibInstance(tsp.name, coords), time_limit_s)
        labels = tuple(range(1, len(coords) + 1))
        return BenchInstance(tsp.name, len(coords) - 1, len(tsp.coords) - 1, problem, 1, labels)
    solomon = read_solomon(path)
    problem = solomon_problem(solomon, customers, time_limit_s)
    labels = tuple(node.number for node in solomon.nodes[: problem.size])
    return BenchInstance(solomon.name, problem.size - 1, len(solomon.nodes) - 1, problem, SOLOMON_SCALE, labels)


def published_optimum(reference: dict[str, Any], instance: BenchInstance) -> float | None:
    """The optimum REFERENCE.json gives for this instance and size, if any."""
    solomon = reference.get("solomon_optimal_distance", {}).get(instance.name, {})
    if str(instance.customers) in solomon:
        return float(solomon[str(instance.customers)])
    tsplib = reference.get("tsplib_optimal", {})
    if instance.name in tsplib and instance.customers == instance.file_customers:
        return float(tsplib[instance.name])
    return None


def read_reference(path: Path = DATA / "REFERENCE.json") -> dict[str, Any]:
    result: dict[str, Any] = json.loads(path.read_text())
    return result


def read_solomon(path: Path) -> SolomonInstance:
    lines = [line.split() for line in path.read_text().splitlines()]
    rows = [fields for fields in lines if fields]
    name = rows[0][0]
    vehicle_header = next(i for i, fields in enumerate(rows) if fields[0].upper() == "VEHICLE")
    vehicles, capacity = (int(value) for value in rows[vehicle_header + 2][:2])
    nodes = tuple(
        SolomonNode(int(f[0]), float(f[1]), float(f[2]), int(f[3]), int(f[4]), int(f[5]), int(f[6]))
        for f in rows
        if len(f) == 7 and all(_is_number(value) for value in f)
    )
    if not nodes or nodes[0].number != 0:
        raise ValueError(f"{path}: no customer rows starting with the depot (customer 0)")
    return SolomonInstance(name, vehicles, capacity, nodes)


def read_tsplib(path: Path) -> TsplibInstance:
    header: dict[str, str] = {}
    coords: list[tuple[float, float]] = []
    in_coords = False
    for line in path.read_text().splitlines():
        text = line.strip()
        if not text or text == "EOF":
            continue
        if in_coords:
            _, x, y = text.split()[:3]
            coords.append((float(x), float(y)))
        elif text.startswith("NODE_COORD_SECTION"):
            in_coords = True
        elif ":" in text:
            key, value = text.split(":", 1)
            header[key.strip().upper()] = value.strip()
    if header.get("EDGE_WEIGHT_TYPE") != "EUC_2D":
        raise ValueError(f"{path}: only EDGE_WEIGHT_TYPE EUC_2D is supported")
    if len(coords) != int(header.get("DIMENSION", len(coords))):
        raise ValueError(f"{path}: DIMENSION does not match the coordinate rows")
    return TsplibInstance(header.get("NAME", path.stem), tuple(coords))


def solomon_problem(instance: SolomonInstance, customers: int | None, time_limit_s: float) -> VrptwProblem:
    """The depot and the first `customers` customers, in tenths of a distance unit."""
    nodes = instance.nodes[: (customers + 1 if customers is not None else None)]
    return VrptwProblem(
        travel=[[_truncated_tenths(a, b) for b in nodes] for a in nodes],
        service=[node.service * SOLOMON_SCALE for node in nodes],
        windows=[TimeWindow(node.ready * SOLOMON_SCALE, node.due * SOLOMON_SCALE) for node in nodes],
        demands=[node.demand for node in nodes],
        capacities=[instance.capacity] * instance.vehicles,
        num_vehicles=instance.vehicles,
        time_limit_s=time_limit_s,
    )


def tsplib_problem(instance: TsplibInstance, time_limit_s: float) -> VrptwProblem:
    """A tour as one vehicle leaving from and returning to the first city."""
    return VrptwProblem(
        travel=[[_nint(a, b) for b in instance.coords] for a in instance.coords],
        time_limit_s=time_limit_s,
    )


def _truncated_tenths(a: SolomonNode, b: SolomonNode) -> int:
    # isqrt is exact on the integer coordinates of Solomon files, where floor(10 * hypot) can be off by
    # one ulp at a perfect square.
    squared = (SOLOMON_SCALE * (a.x - b.x)) ** 2 + (SOLOMON_SCALE * (a.y - b.y)) ** 2
    return math.isqrt(round(squared))


def _nint(a: tuple[float, float], b: tuple[float, float]) -> int:
    return int(math.hypot(a[0] - b[0], a[1] - b[1]) + 0.5)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
