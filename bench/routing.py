"""Solve one Solomon or TSPLIB file with our OR-Tools solver (or VROOM) and check the result independently.

    python bench/routing.py bench/data/solomon/R101.txt --customers 50 --seconds 10 --json
    python bench/routing.py bench/data/tsplib/eil51.tsp --seconds 10 --solver vroom

Distances are in the file's units (Solomon: each arc truncated to one decimal, as the published optima;
TSPLIB: nint). Routes list the file's customer (city) numbers, depot excluded.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.routing_formats import (  # noqa: E402
    BenchInstance,
    load_instance,
    published_optimum,
    read_reference,
)
from bot.routing.check import violations  # noqa: E402
from bot.routing.search import SearchPlan  # noqa: E402
from bot.routing.vrptw import VrptwSolution, solve  # noqa: E402

SOLVERS = ("ortools", "vroom")


@dataclass(frozen=True, slots=True)
class RunResult:
    instance: str
    customers: int
    solver: str
    distance: float
    optimum: float | None
    gap_percent: float | None
    vehicles: int
    seconds: float
    routes: list[list[int]]
    violations: list[str]  # from bot.routing.check; empty when feasible


def run(instance: BenchInstance, solver: str, plan: SearchPlan, reference: dict[str, Any]) -> RunResult:
    started = time.perf_counter()
    solution = _solve(instance, solver, plan)
    seconds = time.perf_counter() - started
    distance = solution.total_travel / instance.scale
    optimum = published_optimum(reference, instance)
    return RunResult(
        instance=instance.name,
        customers=instance.customers,
        solver=solver,
        distance=round(distance, 1),
        optimum=optimum,
        gap_percent=round(100 * (distance - optimum) / optimum, 2) if optimum else None,
        vehicles=len(solution.routes),
        seconds=round(seconds, 2),
        routes=[[instance.labels[node] for node in route.nodes] for route in solution.routes],
        violations=violations(instance.problem, solution),
    )


def _solve(instance: BenchInstance, solver: str, plan: SearchPlan) -> VrptwSolution:
    if solver == "vroom":
        # Imported here so that our solver runs without the optional `bench` extra.
        from bench.routing_vroom import solve_with_vroom

        return solve_with_vroom(instance.problem)
    return solve(instance.problem, plan)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--customers", type=int, default=None, help="the first N customers (default: all)")
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit of our solver")
    parser.add_argument("--solver", choices=SOLVERS, default="ortools")
    parser.add_argument(
        "--ils-share",
        type=float,
        default=SearchPlan().ils_share,
        help="part of the time for iterated local search, the rest for guided local search (0: GLS only)",
    )
    parser.add_argument("--reference", type=Path, default=ROOT / "bench" / "data" / "REFERENCE.json")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of text")
    args = parser.parse_args(argv)
    instance = load_instance(args.file, args.customers, args.seconds)
    result = run(instance, args.solver, SearchPlan(ils_share=args.ils_share), read_reference(args.reference))
    if args.json:
        print(json.dumps(asdict(result)))
    else:
        gap = f" (optimum {result.optimum}, gap {result.gap_percent} %)" if result.optimum else ""
        print(f"{result.instance} {result.customers} customers, {result.solver}: distance {result.distance}{gap}")
        print(f"{result.vehicles} vehicles, {result.seconds} s, check: {'; '.join(result.violations) or 'ok'}")
        for number, route in enumerate(result.routes, start=1):
            print(f"  route {number}: {' '.join(map(str, route))}")
    return 1 if result.violations else 0


if __name__ == "__main__":
    sys.exit(main())
