"""The plan as text in the town's language and as JSON, beside the greedy baseline."""

from __future__ import annotations

import json

from bot.cli.plan import plan_words
from bot.i18n import Translations, plain
from bot.matching import Reason, demo_report, greedy_plan, plan_week, render_text
from tests.test_matching_reasons import CASES


def test_text_lists_pairs_per_slot_and_what_is_left_out_in_the_town_s_words() -> None:
    week = CASES[Reason.CAPACITY_EXHAUSTED]
    _ = Translations("fr").get("fr")
    text = render_text(week, plan_week(week), plan_words(_), greedy_plan(week))
    said = [plain(_(key)) for key in ("plan.cli.cpsat", "plan.cli.greedy", "plan.cli.left_out", "plan.cli.objective")]
    assert all(words in text for words in said)
    assert "mon-am" in text and "a + b" in text
    assert plain(_("plan.reason.capacity_exhausted")) in text
    assert "left out" not in text and "objective" not in text


def test_demo_json() -> None:
    document = json.loads(demo_report("S", 1, None))
    assert document["figures"]["visits_due"] == 80
    assert document["baseline"]["status"] == "GREEDY"
    assert all(len(o["volunteers"]) == 2 and o["persons"] for o in document["outings"])
    planned = sum(len(o["persons"]) for o in document["outings"])
    assert planned + sum(u["missing"] for u in document["unplanned"]) == 80
