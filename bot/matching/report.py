"""A plan as text for the coordinator's terminal, or as JSON, beside the greedy baseline's figures. The text's
words come from whoever prints it (`Words`: the catalogue's, in the town's language), the JSON's are codes."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from bot.matching.generator import generate_week
from bot.matching.greedy import greedy_plan
from bot.matching.plan import Figures, Plan
from bot.matching.planner import plan_week
from bot.matching.week import Parameters, Week

DEMO_TIME_LIMITS = {"S": 5.0, "M": 10.0, "L": 120.0}

Words = Callable[[str], str]
"""The label of a figure ("visits_planned", "terms.walking"), a column ("cpsat", "greedy"), "left_out", or a
reason a person is left out ("reason.too_far")."""

# Each figure of the table: its field (a figure's own field after a dot), its format, indented as a term.
_FIGURES = (
    ("status", "{}"),
    ("visits_planned", "{}"),
    ("visits_due", "{}"),
    ("walking_minutes", "{:.0f}"),
    ("repeated_pairs", "{}"),
    ("continuity", "{}"),
    ("load_spread", "{:.1f}"),
    ("objective", "{:,}"),
    ("terms.uncovered", "{:,}"),
    ("terms.rotation", "{:,}"),
    ("terms.walking", "{:,}"),
    ("terms.continuity", "{:,}"),
    ("terms.language", "{:,}"),
    ("terms.gender", "{:,}"),
    ("terms.preferred_slot", "{:,}"),
    ("terms.fair_load", "{:,}"),
    ("best_bound", "{:,}"),
    ("solve_seconds", "{:.2f}"),
)


def demo_report(
    size: str, seed: int, words: Words | None, log_search: bool = False, dump_models_to: str | None = None
) -> str:
    """Plan a generated Agen week of size S, M or L, with the greedy baseline beside it, as text in `words`
    (JSON without them); `log_search` and `dump_models_to` as in `Parameters`."""
    if size not in DEMO_TIME_LIMITS:
        raise ValueError(f"size must be one of {', '.join(DEMO_TIME_LIMITS)}")
    parameters = Parameters(
        time_limit_s=DEMO_TIME_LIMITS[size], random_seed=seed, log_search=log_search, dump_models_to=dump_models_to
    )
    week = generate_week(size, seed, parameters=parameters)
    plan, baseline = plan_week(week), greedy_plan(week)
    return render_json(week, plan, baseline) if words is None else render_text(week, plan, words, baseline)


def render_text(week: Week, plan: Plan, words: Words, baseline: Plan | None = None) -> str:
    width = max(len(words(field)) + (2 if "." in field else 0) for field, _form in _FIGURES) + 1
    lines = ["", f"{'':{width}} {words('cpsat'):>14}" + (f" {words('greedy'):>14}" if baseline else "")]
    for field, form in _FIGURES:
        label = ("  " if "." in field else "") + words(field)
        row = f"{label:{width}} {_format(plan.figures, field, form):>14}"
        lines.append(row + (f" {_format(baseline.figures, field, form):>14}" if baseline else ""))
    by_slot = defaultdict(list)
    for outing in plan.outings:
        by_slot[outing.slot_id].append(outing)
    for slot in week.slots:
        lines += ["", f"{slot.id}  {slot.day:%a %d %b} {slot.start:%H:%M}-{slot.end:%H:%M}"]
        lines += [f"  {' + '.join(o.pair):24} {', '.join(o.person_ids)}" for o in by_slot[slot.id]]
    if plan.unplanned:
        lines += ["", words("left_out")]
        lines += [f"  {u.person_id} ({u.missing}): {words(f'reason.{u.reason.value}')}" for u in plan.unplanned]
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
