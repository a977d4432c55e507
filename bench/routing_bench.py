"""The routing benchmark: our OR-Tools solver and VROOM on the same integer matrices, against published optima.

    python bench/routing_bench.py            # the whole suite, a Markdown table (about 3 minutes)
    python bench/routing_bench.py --json     # one JSON object per run, routes included

Solomon C101, R101, RC101 with their first 25, 50 and 100 customers (5, 10 and 30 s for our solver) and
TSPLIB berlin52 and eil51 (10 s). VROOM runs with exploration level 5 on one thread, as our solver uses one
core; it stops when its search ends, ours always uses its whole time limit. Every route of both is checked
by bot.routing.check.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.routing import RunResult, run  # noqa: E402
from bench.routing_formats import DATA, load_instance, read_reference  # noqa: E402
from bot.routing.search import SearchPlan  # noqa: E402

SOLOMON_SECONDS = {25: 5.0, 50: 10.0, 100: 30.0}


@dataclass(frozen=True, slots=True)
class Case:
    file: str  # under the data folder
    customers: int | None  # None: all
    seconds: float

    @property
    def solomon(self) -> bool:
        return self.file.startswith("solomon/")


SUITE = [
    *(
        Case(f"solomon/{name}.txt", size, seconds)
        for size, seconds in SOLOMON_SECONDS.items()
        for name in ("C101", "R101", "RC101")
    ),
    Case("tsplib/berlin52.tsp", None, 10.0),
    Case("tsplib/eil51.tsp", None, 10.0),
]
Row = tuple[Case, RunResult, RunResult]  # ours, then VROOM


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--ils-share", type=float, default=SearchPlan().ils_share)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    reference = read_reference(args.data / "REFERENCE.json")
    plan = SearchPlan(ils_share=args.ils_share)
    print(_machine(), file=sys.stderr)
    rows: list[Row] = []
    for case in SUITE:
        instance = load_instance(args.data / case.file, case.customers, case.seconds)
        row = (case, run(instance, "ortools", plan, reference), run(instance, "vroom", plan, reference))
        rows.append(row)
        if args.json:
            for result in row[1:]:
                print(json.dumps(asdict(result)), flush=True)
        else:
            print(f"done {instance.name} {instance.customers}", file=sys.stderr, flush=True)
    print(_machine(), file=sys.stderr)
    if not args.json:
        print(_table(rows))
    return 1 if any(row[1].violations or row[2].violations for row in rows) else 0


def _table(rows: list[Row]) -> str:
    lines = [
        "| instance | customers | optimum | ours | gap | time | VROOM | gap | time | checks |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for _, ours, vroom in rows:
        checks = "ok" if not (ours.violations or vroom.violations) else "FAILED"
        lines.append(
            f"| {ours.instance} | {ours.customers} | {ours.optimum} | {ours.distance} | {_gap(ours)} "
            f"| {ours.seconds} s | {vroom.distance} | {_gap(vroom)} | {vroom.seconds} s | {checks} |"
        )
    for size in SOLOMON_SECONDS:
        group = [row for row in rows if row[0].solomon and row[0].customers == size]
        means = _mean([row[1] for row in group]), _mean([row[2] for row in group])
        lines.append(f"| Solomon mean | {size} | | | {means[0]} | | | {means[1]} | | |")
    return "\n".join(lines)


def _gap(result: RunResult) -> str:
    return "" if result.gap_percent is None else f"{result.gap_percent:.2f} %"


def _mean(results: list[RunResult]) -> str:
    gaps = [result.gap_percent for result in results if result.gap_percent is not None]
    return f"{sum(gaps) / len(gaps):.2f} %" if gaps else ""


def _machine() -> str:
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{os.cpu_count()} CPUs, {_cpu_model()}, {python}, load average {load}"


def _cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown CPU"
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "unknown CPU")


if __name__ == "__main__":
    sys.exit(main())
