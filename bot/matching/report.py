"""A plan as text for the coordinator's terminal, or as JSON, beside the greedy baseline's figures."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from typing import Any

from bot.matching.generator import generate_week
from bot.matching.greedy import greedy_plan
from bot.matching.plan import Figures, Plan, Reason
from bot.matching.planner import plan_week
from bot.matching.week import Parameters, Week

DEMO_TIME_LIMITS = {"S": 5.0, "M": 10.0, "L": 120.0}

_REASONS = {
    Reason.NO_VOLUNTEER_FREE: "no two volunteers free in any slot",
    Reason.NO_EXPERIENCED_PARTNER: "no two free volunteers may go together (service civique needs a veteran)",
    Reason.TOO_FAR: "every pair that may go lives too far to walk",
    Reason.CAPACITY_EXHAUSTED: "every pair near enough has a member at full capacity",
    Reason.VOLUNTEERS_BUSY: "every pair left is out with someone else, or has no time left, in those slots",
}
_FIGURES = (
    ("status", "status", "{}"),
    ("visits planned", "visits_planned", "{}"),
    ("visits due", "visits_due", "{}"),
    ("walking (min)", "walking_minutes", "{:.0f}"),
    ("repeated pairs", "repeated_pairs", "{}"),
    ("continuity", "continuity", "{}"),
    ("load spread (pp)", "load_spread", "{:.1f}"),
    ("objective", "objective", "{:,}"),
    ("  visits left out", "terms.uncovered", "{:,}"),
    ("  rotation", "terms.rotation", "{:,}"),
    ("  walking", "terms.walking", "{:,}"),
    ("  continuity", "terms.continuity", "{:,}"),
    ("  language", "terms.language", "{:,}"),
    ("  visitor gender", "terms.gender", "{:,}"),
    ("  preferred slot", "terms.preferred_slot", "{:,}"),
    ("  fair load", "terms.fair_load", "{:,}"),
    ("best bound", "best_bound", "{:,}"),
    ("time (s)", "solve_seconds", "{:.2f}"),
)


def demo_report(
    size: str, seed: int, as_json: bool, log_search: bool = False, dump_models_to: str | None = None
) -> str:
    """Plan a generated Agen week of size S, M or L, with the greedy baseline beside it; `log_search` and
    `dump_models_to` as in `Parameters`."""
    if size not in DEMO_TIME_LIMITS:
        raise ValueError(f"size must be one of {', '.join(DEMO_TIME_LIMITS)}")
    parameters = Parameters(
        time_limit_s=DEMO_TIME_LIMITS[size], random_seed=seed, log_search=log_search, dump_models_to=dump_models_to
    )
    week = generate_week(size, seed, parameters=parameters)
    plan, baseline = plan_week(week), greedy_plan(week)
    return render_json(week, plan, baseline) if as_json else render_text(week, plan, baseline)


def render_text(week: Week, plan: Plan, baseline: Plan | None = None) -> str:
    lines = ["", f"{'':20} {'CP-SAT':>14}" + (f" {'greedy':>14}" if baseline else "")]
    for label, field, form in _FIGURES:
        row = f"{label:20} {_format(plan.figures, field, form):>14}"
        lines.append(row + (f" {_format(baseline.figures, field, form):>14}" if baseline else ""))
    by_slot = defaultdict(list)
    for outing in plan.outings:
        by_slot[outing.slot_id].append(outing)
    for slot in week.slots:
        lines += ["", f"{slot.id}  {slot.day:%a %d %b} {slot.start:%H:%M}-{slot.end:%H:%M}"]
        lines += [f"  {' + '.join(o.pair):24} {', '.join(o.person_ids)}" for o in by_slot[slot.id]]
    if plan.unplanned:
        lines += ["", "left out"]
        lines += [f"  {u.person_id} ({u.missing}): {_REASONS[u.reason]}" for u in plan.unplanned]
    return "\n".join(lines[1:]) + "\n"


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


def _format(figures: Figures, field: str, form: str) -> str:
    """`field` may name a figure's own field: `terms.walking`."""
    value: object = figures
    for name in field.split("."):
        value = getattr(value, name)
    return "-" if value is None else form.format(value)
