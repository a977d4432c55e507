"""Each neighbourhood's public census figures (INSEE, by IRIS) for the desk's risk layer: only the town's
lines, each IRIS given to the neighbourhood its name holds, what matches none reported; the shipped Agen
sample is said to be approximate until the town imports its file, which then replaces it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
from bot.geo.iris_csv import read_iris, read_sample
from tests.conftest import rows

AREAS = ["Centre-ville", "Le Pin", "Montanou"]
HEADER = "IRIS;COM;LIBCOM;LIBIRIS;TYP_IRIS;P21_POP15P;P21_POP80P;P21_POP80P_PSEUL"
CSV = "\n".join(
    [
        HEADER,
        "470010101;47001;Agen;Centre-Ville Nord;H;2000,5;200,2;110,4",
        "470010102;47001;Agen;Centre-Ville Sud;H;1500;150;90",
        "470010201;47001;Agen;Le Pin;H;1800;100;40",
        "470010301;47001;Agen;Gravier;H;1700;90;30",
        "330630101;33063;Bordeaux;Le Pin;H;9999;999;999",
    ]
)


def test_the_town_s_iris_are_summed_by_neighbourhood_and_the_others_reported() -> None:
    found = read_iris(CSV.splitlines(), "47001", AREAS)
    assert found.year == "2021" and found.problems == ()
    assert [(a.neighbourhood, round(a.adults, 1), round(a.old_alone, 1)) for a in found.areas] == [
        ("Centre-ville", 3500.5, 200.4),
        ("Le Pin", 1800.0, 40.0),
    ]
    assert found.unmatched == ("470010301 Gravier",)


def test_a_file_without_the_census_columns_is_refused_whole() -> None:
    found = read_iris(["IRIS;COM;LIBIRIS;P21_POP15P", "470010101;47001;Centre;10"], "47001", AREAS)
    assert found.areas == () and any("POP80P_PSEUL" in dict(problem.params)["column"] for problem in found.problems)


def test_the_shipped_agen_sample_covers_every_configured_neighbourhood() -> None:
    names = ["Centre-ville", "Le Pin", "Montanou", "Tapie", "Rodrigues", "Barleté", "Sembel"]
    names += ["Pont-de-Casseneuil", "La Masse", "Donnefort"]
    sample = read_sample(names)
    assert [a.neighbourhood for a in sample.areas] == names and sample.unmatched == ()


def test_import_iris_stores_the_town_s_figures_in_place_of_the_previous_ones(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_DB_PATH", str(db_path))
    monkeypatch.chdir(tmp_path)
    census = tmp_path / "base-ic-couples-familles-menages-2021.csv"
    census.write_text(CSV, encoding="utf-8")
    assert main(["import-iris", str(census)]) == 0
    assert main(["import-iris", str(census)]) == 0
    stored = rows(db_path, "SELECT neighbourhood, old_alone, census_year FROM area_figures ORDER BY neighbourhood")
    assert [(n, round(float(str(a)), 1), y) for n, a, y in stored] == [
        ("Centre-ville", 200.4, "2021"),
        ("Le Pin", 40.0, "2021"),
    ]
    printed = capsys.readouterr().out
    assert "Gravier" in printed and "Recensement 2021" in printed
    assert main(["import-iris", str(tmp_path / "missing.csv")]) == 2
