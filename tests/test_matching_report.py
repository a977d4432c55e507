"""The plan as text and as JSON, beside the greedy baseline."""

from __future__ import annotations

import json

from bot.cli.plan import render_text
from bot.i18n import translator
from bot.matching import demo_week, greedy_plan, plan_week, render_json
from tests.test_matching_reasons import CASES, Reason


def test_text_lists_pairs_per_slot_and_what_is_left_out_in_the_towns_language() -> None:
    week = CASES[Reason.CAPACITY_EXHAUSTED]
    english = "\n".join(render_text(translator("en"), week, plan_week(week), greedy_plan(week)))
    assert "CP-SAT" in english and "greedy" in english
    assert "mon-am" in english and "a + b" in english
    assert "left out" in english and "nearby volunteers already have all their visits" in english
    french = "\n".join(render_text(translator("fr"), week, plan_week(week), greedy_plan(week)))
    assert "glouton" in french and "laissées de côté" in french and "left out" not in french


def test_demo_json() -> None:
    week = demo_week("S", 1)
    document = json.loads(render_json(week, plan_week(week), greedy_plan(week)))
    assert document["figures"]["visits_due"] == 80
    assert document["baseline"]["status"] == "GREEDY"
    assert all(len(o["volunteers"]) == 2 and o["persons"] for o in document["outings"])
    planned = sum(len(o["persons"]) for o in document["outings"])
    assert planned + sum(u["missing"] for u in document["unplanned"]) == 80
