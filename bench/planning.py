"""Weekly planning benchmark: the CP-SAT planner against the greedy baseline on generated Agen weeks.

For S, M and L from fixed seeds, both plan the same week in the same run; the table gives, for each, the
solve time, the share of due visits planned (and of those some plan could cover: a visit left out for no
free volunteer, no allowed pair or distance is out of every plan's reach), the bound, repeated pairs,
continuity, walking and load spread, and the walking ratio ours/greedy.

    python bench/planning.py                  # the table on stdout
    python bench/planning.py --write          # and the section of docs/BENCHMARKS.md
    python bench/planning.py --runs S:5 M:30  # other sizes or time limits (seconds)
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.matching import Parameters, Plan, Reason, generate_week, greedy_plan, plan_week

SEED = 1
RUNS = ("S:5", "M:10", "L:120")
"""Size and time limit in seconds: the targets are M in 10 s, L in 120 s."""
STRUCTURAL = {Reason.NO_VOLUNTEER_FREE, Reason.NO_EXPERIENCED_PARTNER, Reason.TOO_FAR}
"""Reasons no plan can overcome: they hold before anything is planned."""
SECTION = "## Weekly planning (CP-SAT vs greedy)"
DOC = Path(__file__).resolve().parent.parent / "docs" / "BENCHMARKS.md"


@dataclass(frozen=True)
class Row:
    size: str
    seed: int
    limit: float
    ours: Plan
    greedy: Plan

    def cells(self) -> list[str]:
        coverable = self.ours.figures.visits_due - sum(u.missing for u in self.ours.unplanned if u.reason in STRUCTURAL)
        out = []
        for name, plan in (("CP-SAT", self.ours), ("greedy", self.greedy)):
            f = plan.figures
            out.append(
                "| "
                + " | ".join(
                    [
                        f"{self.size} (seed {self.seed})",
                        name,
                        f"{f.solve_seconds:.1f} s" + (f" / {self.limit:.0f}" if plan is self.ours else ""),
                        f.status,
                        f"{f.visits_planned}/{f.visits_due} ({100 * f.visits_planned / f.visits_due:.1f} %)",
                        f"{f.visits_planned}/{coverable}",
                        f"{f.objective:,}",
                        "-" if f.best_bound is None else f"{f.best_bound:,}",
                        str(f.repeated_pairs),
                        f"{f.continuity}/{f.continuity_possible}",
                        f"{f.walking_minutes:,.0f}",
                        f"{f.walking_minutes / self.greedy.figures.walking_minutes:.2f}",
                        f"{f.load_spread:.1f}",
                    ]
                )
                + " |"
            )
        return out


HEADER = [
    "| week | planner | time / limit | status | due visits planned | of coverable | objective | bound "
    "| repeated pairs | continuity | walking (min) | walking vs greedy | load spread (pp) |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
]


def run(size: str, limit: float) -> Row:
    week = generate_week(size, SEED, parameters=Parameters(time_limit_s=limit))
    greedy = greedy_plan(week)
    return Row(size, SEED, limit, plan_week(week), greedy)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores ({cpu}), {platform.machine()}, CPython {platform.python_version()}"


def load_average() -> str:
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout
    return uptime.split("load average:")[1].strip()


def section(rows: list[Row], loads: list[str], command: str) -> str:
    lines = [
        SECTION,
        "",
        f"Date {date.today().isoformat()}; machine: {machine()}; load average before each week: {'; '.join(loads)}",
        "(1-minute, 5-minute, 15-minute; a load near 2 means the two cores were shared); times are wall-clock.",
        "",
        f"Command: `{command}`. Weeks from `bot/matching/generator.py` (12 half-day slots, one visit a",
        "week each, Agen's neighbourhoods); both planners get the same week in the same run. Walking is",
        "`bot/matching/walking_metric.py` for both: the shortest walk from the pair's nearer home through",
        "its visits. *Of coverable* leaves out visits no plan can make (nobody free, no allowed pair, too",
        "far). Objective and bound are in `Weights` points (1,000,000 a visit left out, 200,000 a repeated",
        "pair, 300 a minute of walking); the bound is the whole-week linear relaxation over the options the",
        "planner considered (none for L, see `bot/matching/planner.py`).",
        "",
        *HEADER,
        *(cell for row in rows for cell in row.cells()),
        "",
    ]
    return "\n".join(lines)


def write(text: str, title: str = SECTION) -> None:
    """Replace the section `title` of docs/BENCHMARKS.md with `text`, or add it at the end."""
    current = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        DOC.write_text(pattern.sub(lambda _: text.rstrip("\n") + "\n\n", current).rstrip("\n") + "\n")
        return
    DOC.write_text(current.rstrip("\n") + "\n\n" + text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", nargs="+", default=list(RUNS), metavar="SIZE:SECONDS")
    parser.add_argument("--write", action="store_true", help=f"replace the section of {DOC.name}")
    args = parser.parse_args()
    rows, loads = [], []
    print("\n".join(HEADER), flush=True)
    for spec in args.runs:
        size, limit = spec.split(":")
        loads.append(f"{spec} {load_average()}")
        row = run(size, float(limit))
        rows.append(row)
        print("\n".join(row.cells()), flush=True)
    if args.write:
        write(section(rows, loads, "python bench/planning.py " + " ".join(sys.argv[1:])))


if __name__ == "__main__":
    main()
