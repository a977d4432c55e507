"""The planner opened for study: the objective term by term in the figures, CP-SAT's search in the log, and
each part's model written where the caller asks, readable by CP-SAT again."""

from __future__ import annotations

import dataclasses
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf import text_format
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

from bot.matching import Parameters, Plan, greedy_plan, plan_week
from bot.matching.generator import generate_week
from bot.matching.week import Week


def small_week(log_search: bool = False, dump_models_to: str | None = None) -> Week:
    parameters = Parameters(time_limit_s=5.0, random_seed=1, log_search=log_search, dump_models_to=dump_models_to)
    return generate_week("S", 1, parameters=parameters)


def check_terms(week: Week, plan: Plan) -> None:
    """The terms sum to the objective, and those the figures also count are priced as the weights say."""
    figures, terms, weights = plan.figures, plan.figures.terms, week.weights
    assert sum(dataclasses.asdict(terms).values()) == figures.objective == terms.total()
    assert terms.uncovered == weights.uncovered_visit * (figures.visits_due - figures.visits_planned)
    assert terms.rotation == weights.repeated_pair * figures.repeated_pairs
    # Rounded route by route: within one point of the minute price per route.
    assert abs(terms.walking - weights.walking_minute * figures.walking_minutes) <= len(plan.outings)
    assert all(value >= 0 for value in dataclasses.asdict(terms).values())


def test_the_objective_is_broken_down_by_term_for_our_plan_and_the_greedy_one() -> None:
    week = small_week()
    ours, greedy = plan_week(week), greedy_plan(week)
    check_terms(week, ours)
    check_terms(week, greedy)
    # What the search gains on the baseline, and where: here above all on pairs repeated.
    assert greedy.figures.terms.rotation > ours.figures.terms.rotation
    assert ours.figures.objective < greedy.figures.objective


def test_each_part_of_the_first_pass_is_written_where_asked_and_cp_sat_reads_it_back(tmp_path: Path) -> None:
    plan_week(small_week(dump_models_to=str(tmp_path)))
    written = sorted(tmp_path.glob("part-*.pb.txt"))
    assert written, "no model written"
    for path in written:
        text = path.read_text()
        proto = text_format.Parse(text, cp_model_pb2.CpModelProto())  # text protobuf, as cpsat reads it
        assert proto.variables and proto.HasField("objective")
        model = cp_model.CpModel()
        assert model.proto.parse_text_format(text)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = 10
        assert solver.status_name(solver.solve(model)) in {"OPTIMAL", "FEASIBLE"}


def test_nothing_is_written_unless_a_folder_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    plan_week(small_week())
    assert list(tmp_path.iterdir()) == []


def test_the_search_log_goes_through_logging_and_not_to_stdout(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.matching.search"):
        plan_week(small_week(log_search=True))
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.matching.search"]
    assert any("Starting CP-SAT solver" in line for line in lines)
    assert any(line.startswith("#") for line in lines), "no search progress"
    assert "CP-SAT" not in capfd.readouterr().out

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot.matching.search"):
        plan_week(small_week())
    assert [r for r in caplog.records if r.name == "bot.matching.search"] == []


def test_plan_prints_the_terms_logs_the_search_and_dumps_the_models_when_asked(tmp_path: Path) -> None:
    models = tmp_path / "models"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "plan", "--demo", "--json", "--log-search", "--dump-model", str(models)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)["figures"]
    assert sum(figures["terms"].values()) == figures["objective"]
    assert "bot.matching.search" in done.stderr and "CP-SAT" in done.stderr
    assert sorted(models.glob("part-*.pb.txt"))
