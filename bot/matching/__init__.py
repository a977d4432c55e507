"""Who visits whom, in which pair, in which slot: the weekly planner (CP-SAT), its greedy baseline, the
repair of a published plan, a generator of Agen-like weeks and the rendering of plans. Pure functions of
their inputs: no database, no Telegram, no clock (a monotonic timer only measures and bounds solve time).

The names below are loaded on first use (PEP 562): the configuration reads `Weights` from `week`, and the
command line must not pay for CP-SAT and pandas on every `--help`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# What the type checker reads instead of the lazy loading below, so that the names keep their types.
if TYPE_CHECKING:
    from bot.matching.generator import (
        AGEN_NEIGHBOURHOODS,
        default_slots,
        generate_week,
    )
    from bot.matching.greedy import greedy_plan
    from bot.matching.plan import (
        Figures,
        ObjectiveTerms,
        Outing,
        Plan,
        Reason,
        Unplanned,
    )
    from bot.matching.planner import plan_week
    from bot.matching.repair import (
        Change,
        Declined,
        Repaired,
        Unavailable,
    )
    from bot.matching.report import demo_week, render_json
    from bot.matching.week import (
        DateRange,
        Gender,
        Kind,
        Parameters,
        PastPair,
        Person,
        Slot,
        Volunteer,
        Week,
        Weights,
    )

_HOMES = {
    "generator": ("AGEN_NEIGHBOURHOODS", "default_slots", "generate_week"),
    "greedy": ("greedy_plan",),
    "plan": ("Figures", "ObjectiveTerms", "Outing", "Plan", "Reason", "Unplanned"),
    "planner": ("plan_week",),
    # Not `repair` itself: once the submodule of that name is imported, the package attribute is the module.
    "repair": ("Change", "Declined", "Repaired", "Unavailable"),
    "report": ("demo_week", "render_json"),
    "week": ("DateRange", "Gender", "Kind", "Parameters", "PastPair", "Person", "Slot", "Volunteer", "Week", "Weights"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [  # spelled out for the type checker; the same names as in _HOMES
    "AGEN_NEIGHBOURHOODS",
    "Change",
    "DateRange",
    "Declined",
    "Figures",
    "Gender",
    "Kind",
    "ObjectiveTerms",
    "Outing",
    "Parameters",
    "PastPair",
    "Person",
    "Plan",
    "Reason",
    "Repaired",
    "Slot",
    "Unavailable",
    "Unplanned",
    "Volunteer",
    "Week",
    "Weights",
    "default_slots",
    "demo_week",
    "generate_week",
    "greedy_plan",
    "plan_week",
    "render_json",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
