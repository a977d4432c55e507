"""The plan as text and as JSON, beside the greedy baseline."""

from __future__ import annotations

import json

from bot.matching import Reason, demo_report, greedy_plan, plan_week, render_text
from tests.test_matching_reasons import CASES


def test_text_lists_pairs_per_slot_and_what_is_left_out() -> None:
    week = CASES[Reason.CAPACITY_EXHAUSTED]
    text = render_text(week, plan_week(week), greedy_plan(week))
    assert "CP-SAT" in text and "greedy" in text
    assert "mon-am" in text and "a + b" in text
    assert "left out" in text and "full capacity" in text


def test_demo_json() -> None:
    document = json.loads(demo_report("S", 1, as_json=True))
    assert document["figures"]["visits_due"] == 80
    assert document["baseline"]["status"] == "GREEDY"
    assert all(len(o["volunteers"]) == 2 and o["persons"] for o in document["outings"])
    planned = sum(len(o["persons"]) for o in document["outings"])
    assert planned + sum(u["missing"] for u in document["unplanned"]) == 80
