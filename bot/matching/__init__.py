"""Who visits whom, in which pair, in which slot: the weekly planner (CP-SAT), its greedy baseline, the
repair of a published plan, a generator of Agen-like weeks and the rendering of plans. Pure functions of
their inputs: no database, no Telegram, no clock (a monotonic timer only measures and bounds solve time).

The names below are loaded on first use (PEP 562): the configuration reads `Weights` from `week`, and the
command line must not pay for CP-SAT and pandas on every `--help`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOMES = {
    "generator": ("AGEN_NEIGHBOURHOODS", "default_slots", "generate_week"),
    "greedy": ("greedy_plan",),
    "plan": ("Figures", "Outing", "Plan", "Reason", "Unplanned"),
    "planner": ("plan_week",),
    # Not `repair` itself: once the submodule of that name is imported, the package attribute is the module.
    "repair": ("Change", "Declined", "Repaired", "Unavailable"),
    "report": ("demo_week", "render_json"),
    "week": ("DateRange", "Gender", "Kind", "Parameters", "PastPair", "Person", "Slot", "Volunteer", "Week", "Weights"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
