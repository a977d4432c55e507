"""The demo town's week, and a plan as JSON for scripts, beside the greedy baseline's figures (the text for a
person's terminal is rendered in their language by the command line)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from bot.matching.generator import generate_week
from bot.matching.plan import Plan
from bot.matching.week import Parameters, Week

DEMO_TIME_LIMITS = {"S": 5.0, "M": 10.0, "L": 120.0}


def demo_week(size: str, seed: int, log_search: bool = False, dump_models_to: str | None = None) -> Week:
    """A generated Agen week of size S, M or L, with the time limit that size needs; `log_search` and
    `dump_models_to` as in `Parameters`."""
    if size not in DEMO_TIME_LIMITS:
        raise ValueError(f"size must be one of {', '.join(DEMO_TIME_LIMITS)}")
    parameters = Parameters(
        time_limit_s=DEMO_TIME_LIMITS[size], random_seed=seed, log_search=log_search, dump_models_to=dump_models_to
    )
    return generate_week(size, seed, parameters=parameters)


def render_json(week: Week, plan: Plan, baseline: Plan | None = None) -> str:
    slots = {s.id: s for s in week.slots}
    document: dict[str, Any] = {
        "figures": dataclasses.asdict(plan.figures),
        "baseline": dataclasses.asdict(baseline.figures) if baseline else None,
        "outings": [
            {
                "slot": o.slot_id,
                "day": slots[o.slot_id].day.isoformat(),
                "start": slots[o.slot_id].start.isoformat("minutes"),
                "end": slots[o.slot_id].end.isoformat("minutes"),
                "volunteers": list(o.pair),
                "persons": list(o.person_ids),
            }
            for o in plan.outings
        ],
        "unplanned": [{"person": u.person_id, "missing": u.missing, "reason": u.reason.value} for u in plan.unplanned],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
