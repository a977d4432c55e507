"""A week is planned from what is stored: volunteers' availability and the persons followed."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.config import ConfigError, load_settings
from bot.matching.week import Weights
from bot.services.planning import build_week, weekly_visits_due
from bot.storage.database import Database
from tests.catalogue import says, text_of
from tests.stored_data import LOCK_WAIT_S

WEEK = "2026-W49"
# id, kind, experienced, slots
VOLUNTEERS = [
    (11, "service_civique", 0, ["tue-pm", "thu-am"]),
    (12, "service_civique", 0, ["tue-pm"]),
    (13, "benevole", 1, ["tue-pm", "thu-am"]),
    (14, "benevole", 1, ["tue-pm"]),
    (15, "benevole", 0, ["thu-am", "fri-am"]),
    (16, "agent_municipal", 0, ["fri-am"]),
]
PERSONS = [(f"Personne {i}", 44.2033 + i * 0.0007, 0.6163 - i * 0.0005) for i in range(6)]


@pytest.mark.parametrize(("per_month", "weeks_with_a_visit"), [(4, 52), (8, 52), (2, 26), (1, 13), (0, 0)])
def test_a_monthly_frequency_becomes_visits_spread_over_the_year(per_month: int, weeks_with_a_visit: int) -> None:
    due = [weekly_visits_due(per_month, person_id=7, iso_week=week) for week in range(1, 53)]
    assert sum(1 for d in due if d) == weeks_with_a_visit
    assert max(due) == (2 if per_month == 8 else min(per_month, 1))


async def _migrate(db_path: Path) -> None:
    db = Database(db_path)
    await db.open()
    await db.close()


def seed(db_path: Path) -> None:
    asyncio.run(_migrate(db_path))
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        for vid, kind, experienced, slots in VOLUNTEERS:
            conn.execute("INSERT INTO users (telegram_id, first_name) VALUES (?, ?)", (vid, f"V{vid}"))
            conn.execute(
                "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
                "VALUES (?, ?, 'approved', 'x')",
                (vid, kind),
            )
            conn.execute("INSERT INTO volunteer_profiles (telegram_id, experienced) VALUES (?, ?)", (vid, experienced))
            conn.executemany("INSERT INTO volunteer_slots VALUES (?, ?)", [(vid, slot) for slot in slots])
        conn.executemany(
            "INSERT INTO persons (name, address, lat, lon, visits_per_month, created_by) VALUES (?, 'x', ?, ?, 4, 1)",
            PERSONS,
        )


def plan_json(db_path: Path) -> dict[str, Any]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("BOT_")}, "BOT_DB_PATH": str(db_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "plan", "--week", WEEK, "--json"],
        cwd=db_path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_the_stored_week_is_planned_with_stored_availability_and_pairing_rules(tmp_path: Path) -> None:
    db_path = tmp_path / "lien.sqlite3"
    seed(db_path)
    plan = plan_json(db_path)
    available = {str(vid): set(slots) for vid, _, _, slots in VOLUNTEERS}
    kinds = {str(vid): (kind, experienced) for vid, kind, experienced, _ in VOLUNTEERS}
    visited = [person for outing in plan["outings"] for person in outing["persons"]]
    assert sorted(visited) == [str(i) for i in range(1, 7)]  # every stored person, once
    for outing in plan["outings"]:
        first, second = outing["volunteers"]
        assert outing["slot"] in available[first] & available[second]
        for one, other in ((first, second), (second, first)):
            if kinds[one][0] == "service_civique":
                assert kinds[other] == ("benevole", 1) or kinds[other][1] == 1
    assert plan["outings"][0]["day"].startswith("2026-12-0")  # dates of ISO week 49 of 2026


def test_a_malformed_week_is_refused_with_a_clear_line(tmp_path: Path) -> None:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("BOT_")}, "BOT_DB_PATH": str(tmp_path / "x.db")}
    env["BOT_DEFAULT_LANGUAGE"] = "en"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "plan", "--week", "2026-W60"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and says("cli.plan.no_such_week", year=2026, week=60).found_in(result.stderr, "en")


def test_the_example_configuration_plans_with_its_planning_settings() -> None:
    settings = load_settings(environ={})
    assert settings.planning.time_limit_s > 0 and settings.planning.rotation_window_weeks == 4


def test_a_newcomer_sees_the_planner_work_on_a_generated_town(tmp_path: Path) -> None:
    """`python -m bot plan --demo` needs no database, no token and no network; it tells how planning goes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")} | {"BOT_DEFAULT_LANGUAGE": "en"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "plan", "--demo", "--size", "S", "--seed", "3"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "CP-SAT" in result.stdout and text_of("en", "cli.plan.greedy") in result.stdout
    assert text_of("en", "cli.plan.figure.visits_planned") in result.stdout and " + " in result.stdout  # then pairs
    progress = (says("cli.plan.baseline"), says("cli.plan.pass", passes=1))  # as it goes
    assert all(line.found_in(result.stderr, "en") for line in progress)
    assert not list(tmp_path.iterdir())  # nothing written where it ran


def test_the_soft_rules_are_weighted_in_the_configuration(tmp_path: Path) -> None:
    assert load_settings(environ={}).planning.weights.model_dump() == dataclasses.asdict(Weights())
    own = tmp_path / "town.toml"
    own.write_text("[planning.weights]\nwalking_minute = 0\nno_continuity = 5000\n", encoding="utf-8")
    planning = load_settings(path=own, environ={}).planning
    week = build_week(2026, 49, (), (), [], planning)
    assert week.weights == Weights(walking_minute=0, no_continuity=5000)


def test_a_negative_weight_is_refused_with_its_key(tmp_path: Path) -> None:
    own = tmp_path / "town.toml"
    own.write_text("[planning.weights]\nrepeated_pair = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"planning\.weights\.repeated_pair"):
        load_settings(path=own, environ={})


@pytest.mark.parametrize(("visits_made", "paired"), [(9, False), (10, True)])
def test_a_volunteer_becomes_experienced_with_the_visits_made(tmp_path: Path, visits_made: int, paired: bool) -> None:
    """config.example.toml: experienced after 10 visits. Nobody marked Paul experienced: a service civique
    member may go with him once he has made ten visits, not before."""
    db_path = tmp_path / "lien.sqlite3"
    asyncio.run(_migrate(db_path))
    with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
        for vid, kind in ((21, "service_civique"), (22, "benevole"), (23, "benevole")):
            conn.execute("INSERT INTO users (telegram_id, first_name) VALUES (?, ?)", (vid, f"V{vid}"))
            conn.execute(
                "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
                "VALUES (?, ?, 'approved', 'x')",
                (vid, kind),
            )
            conn.execute("INSERT INTO volunteer_profiles (telegram_id, experienced) VALUES (?, 0)", (vid,))
        conn.executemany("INSERT INTO volunteer_slots VALUES (?, 'tue-pm')", [(21,), (22,)])
        conn.execute(
            "INSERT INTO persons (name, address, lat, lon, visits_per_month, created_by) "
            "VALUES ('Mme Roux', 'x', 44.2033, 0.6163, 4, 1)"
        )
        conn.execute("INSERT INTO week_plans (year, iso_week, status, created_by) VALUES (2026, 40, 'published', 1)")
        conn.executemany(
            "INSERT INTO visits (plan_id, person_id, slot_id, day, first_volunteer, second_volunteer, position, "
            "arrival, departure, meet_lat, meet_lon, status, outcome) "
            "VALUES (1, 1, 'tue-pm', ?, 22, 23, 1, '14:00', '14:45', 44.2, 0.6, 'done', 'done')",
            [(f"2026-09-{day:02d}",) for day in range(1, visits_made + 1)],
        )
    plan = plan_json(db_path)
    pairs = [sorted(outing["volunteers"]) for outing in plan["outings"]]
    assert pairs == ([["21", "22"]] if paired else [])
    if not paired:
        assert [u["reason"] for u in plan["unplanned"]] == ["no_experienced_partner"]
