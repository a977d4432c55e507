"""Routing a week's outings: every order tried (bot/routing/exhaustive.py) against the local search run to its
time limit, on the same outings.

The week is a generated Agen week (`bot/matching/generator.py`) planned by the bot's planner; each of its
outings (a pair, a half-day, the persons it visits) is routed by `route_outing` of `bot/services/outings.py`
with the town's example settings, once as the bot now does (every order tried up to six doors) and once
with the local search alone (OR-Tools, 0.2 s an outing, as before). Measured: the time to route the whole
week, the walking of all routes, the visits the routes could not fit.

    python bench/outings.py                  # size M, seed 1
    python bench/outings.py --size L --seed 2
    python bench/outings.py --write          # and the section of docs/BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.planning import load_average, machine, write  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.matching import generate_week  # noqa: E402
from bot.matching.plan import Plan  # noqa: E402
from bot.matching.planner import plan_week  # noqa: E402
from bot.matching.week import Week  # noqa: E402
from bot.services.outings import RoutedOuting, route_outing, route_rules  # noqa: E402

SECTION = "## Routing a week's outings (`bench/outings.py`)"
CONFIG = ROOT / "config.example.toml"


@dataclass(frozen=True, slots=True)
class Routed:
    seconds: float
    walking_min: float
    unplaced: int
    stops: int


def _id(text: str) -> int:
    """The generator's ids ("v0012", "p0400") as the numbers the bot keeps."""
    return int(text.lstrip("vp"))


def route_week(week: Week, plan: Plan, every_order: bool) -> Routed:
    settings = load_settings(CONFIG, environ={})
    rules = dataclasses.replace(route_rules(settings.planning, settings.visits), every_order=every_order)
    slots = {slot.id: slot for slot in week.slots}
    persons = {p.id: p.location for p in week.persons}
    homes = {_id(v.id): v.home for v in week.volunteers if v.home is not None}
    started = time.perf_counter()
    routed: list[RoutedOuting] = [
        route_outing(
            slots[o.slot_id],
            (_id(o.pair[0]), _id(o.pair[1])),
            [(_id(p), persons[p]) for p in o.person_ids],
            homes,
            rules,
        )
        for o in plan.outings
    ]
    seconds = time.perf_counter() - started
    return Routed(
        seconds,
        sum(stop.walk_min for outing in routed for stop in outing.stops),
        sum(len(outing.unplaced) for outing in routed),
        sum(len(outing.stops) for outing in routed),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="M", choices=("S", "M", "L"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="replace the section of docs/BENCHMARKS.md")
    args = parser.parse_args()
    week = generate_week(args.size, args.seed)
    # One plan routed both ways: the planner's search is not repeatable under a time limit.
    plan = plan_week(week)
    sizes = Counter(len(o.person_ids) for o in plan.outings)
    exact = route_week(week, plan, every_order=True)
    searched = route_week(week, plan, every_order=False)
    rows = [
        "| routing | outings' time | walking (min) | visits routed | visits that did not fit |",
        "|---|---|---|---|---|",
        *(
            f"| {name} | {r.seconds:.2f} s | {r.walking_min:,.1f} | {r.stops} | {r.unplaced} |"
            for name, r in (("every order tried (up to 6 doors)", exact), ("local search, 0.2 s an outing", searched))
        ),
    ]
    doors = ", ".join(f"{count} with {n}" for n, count in sorted(sizes.items()))
    text = "\n".join(
        [
            SECTION,
            "",
            f"Date {date.today().isoformat()}; machine: {machine()}; load average at the end: {load_average()}.",
            f"Command: `python bench/outings.py {' '.join(sys.argv[1:])}`. The outings of the generated week "
            f"{args.size} (seed {args.seed}) as the planner makes them: {sum(sizes.values())} outings "
            f"({doors} doors), routed with the example configuration's walking and visit times.",
            "",
            *rows,
            "",
            "- Every order of a pair's doors is tried, so the route is the optimum of the model the local search",
            "  solves (same travel, windows, walking budget, slot end); the local search reaches it on these",
            "  outings too, after spending its whole limit on each.",
            "",
        ]
    )
    print(text)
    if args.write:
        write(text, SECTION)


if __name__ == "__main__":
    main()
