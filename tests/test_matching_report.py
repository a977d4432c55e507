"""The plan as text in the town's language and as JSON, beside the greedy baseline."""

from __future__ import annotations

import dataclasses
import json

from bot.cli.plan import render_text
from bot.i18n import translator
from bot.matching import ObjectiveTerms, Reason, demo_week, greedy_plan, plan_week, render_json
from tests.catalogue import says, text_of
from tests.test_matching_reasons import CASES


def test_text_lists_pairs_per_slot_and_what_is_left_out_in_the_towns_language() -> None:
    week = CASES[Reason.CAPACITY_EXHAUSTED]
    english = "\n".join(render_text(translator("en"), week, plan_week(week), greedy_plan(week)))
    assert "CP-SAT" in english and text_of("en", "cli.plan.greedy") in english
    assert "mon-am" in english and "a + b" in english
    assert text_of("en", "cli.plan.left_out") in english
    assert says("plan.reason.capacity_exhausted").found_in(english, "en")
    french = "\n".join(render_text(translator("fr"), week, plan_week(week), greedy_plan(week)))
    assert text_of("fr", "cli.plan.greedy") in french and text_of("fr", "cli.plan.left_out") in french
    assert text_of("en", "cli.plan.left_out") not in french


def test_the_objective_is_shown_term_by_term_under_it_for_both_plans() -> None:
    week = demo_week("S", 1)
    ours, greedy = plan_week(week), greedy_plan(week)
    rows = render_text(translator("fr"), week, ours, greedy)
    objective = next(i for i, row in enumerate(rows) if row.startswith(text_of("fr", "cli.plan.figure.objective")))
    terms = rows[objective + 1 : objective + 9]
    for row, term in zip(terms, dataclasses.fields(ObjectiveTerms), strict=True):
        label, our_figure, greedy_figure = row.rsplit(maxsplit=2)
        assert row.startswith("  ") and label.strip() == text_of("fr", f"cli.plan.figure.terms.{term.name}")
        assert our_figure == f"{getattr(ours.figures.terms, term.name):,}"
        assert greedy_figure == f"{getattr(greedy.figures.terms, term.name):,}"


def test_demo_json() -> None:
    week = demo_week("S", 1)
    document = json.loads(render_json(week, plan_week(week), greedy_plan(week)))
    assert document["figures"]["visits_due"] == 80
    assert document["baseline"]["status"] == "GREEDY"
    assert all(len(o["volunteers"]) == 2 and o["persons"] for o in document["outings"])
    planned = sum(len(o["persons"]) for o in document["outings"])
    assert planned + sum(u["missing"] for u in document["unplanned"]) == 80
