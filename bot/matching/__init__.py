"""Who visits whom, in which pair, in which slot: the weekly planner (CP-SAT), its greedy baseline, the
repair of a published plan, a generator of Agen-like weeks and the rendering of plans. Pure functions of
their inputs: no database, no Telegram, no clock (a monotonic timer only measures and bounds solve time).
"""

from bot.matching.generator import AGEN_NEIGHBOURHOODS, default_slots, generate_week
from bot.matching.greedy import greedy_plan
from bot.matching.plan import Figures, ObjectiveTerms, Outing, Plan, Reason, Unplanned
from bot.matching.planner import plan_week
from bot.matching.repair import Change, Declined, Repaired, Unavailable, repair
from bot.matching.report import demo_report, render_json, render_text
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

__all__ = [
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
    "demo_report",
    "generate_week",
    "greedy_plan",
    "plan_week",
    "render_json",
    "render_text",
    "repair",
]
