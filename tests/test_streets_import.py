"""`python -m bot import-streets FILE` loads a BAN file once: importing it again changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

from tests.catalogue import says
from tests.conftest import rows

SAMPLE = resources.files("bot.geo") / "data" / "agen_streets_sample.csv"


def import_streets(tmp_path: Path, db_path: Path, csv: Path) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("BOT_")}, "BOT_DB_PATH": str(db_path)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "import-streets", str(csv)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_importing_the_same_ban_file_twice_changes_nothing(tmp_path: Path, db_path: Path) -> None:
    csv = tmp_path / "adresses-47001.csv"
    csv.write_bytes(SAMPLE.read_bytes())
    first = import_streets(tmp_path, db_path, csv)
    assert first.returncode == 0, first.stderr
    streets = rows(db_path, "SELECT key, name, neighbourhood, lat, lon FROM streets ORDER BY key")
    numbers = rows(db_path, "SELECT * FROM house_numbers ORDER BY street_id, number")
    assert len(streets) > 30 and len(numbers) > len(streets)
    second = import_streets(tmp_path, db_path, csv)
    assert says("cli.streets.summary", created=0, updated=0).found_in(second.stdout, "fr")  # the town's language
    assert rows(db_path, "SELECT key, name, neighbourhood, lat, lon FROM streets ORDER BY key") == streets
    assert rows(db_path, "SELECT * FROM house_numbers ORDER BY street_id, number") == numbers


def test_a_bad_line_is_reported_with_its_number_and_the_good_ones_are_kept(tmp_path: Path, db_path: Path) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    csv = tmp_path / "broken.csv"
    csv.write_text("\n".join([*lines[:4], "x;y;z", *lines[4:10]]) + "\n", encoding="utf-8")
    result = import_streets(tmp_path, db_path, csv)
    assert result.returncode == 1
    assert says("cli.streets.problem", line=5).found_in(result.stdout, "fr")
    assert rows(db_path, "SELECT COUNT(*) FROM house_numbers")[0][0] == 9  # 3 + 6 good lines


def test_every_imported_street_belongs_to_a_configured_neighbourhood(tmp_path: Path, db_path: Path) -> None:
    csv = tmp_path / "adresses-47001.csv"
    csv.write_bytes(SAMPLE.read_bytes())
    import_streets(tmp_path, db_path, csv)
    found = {name for (name,) in rows(db_path, "SELECT DISTINCT neighbourhood FROM streets")}
    assert found and found <= {
        "Centre-ville",
        "Le Pin",
        "Montanou",
        "Tapie",
        "Rodrigues",
        "Barleté",
        "Sembel",
        "Pont-de-Casseneuil",
        "La Masse",
        "Donnefort",
    }
