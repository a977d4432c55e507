from __future__ import annotations

from importlib import resources
from pathlib import Path

from bot.domain.places import Point
from bot.geo.ban_csv import (
    BanImport,
    parse_ban_bytes,
    parse_ban_csv,
    problem,
    read_ban_csv,
    street_key,
)
from bot.geo.street_sources import read_shipped

HEADER = (
    "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;"
    "nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor"
)


def line(numero: str, rep: str, nom_voie: str, lon: str, lat: str, insee: str = "47001") -> str:
    return (
        f"{insee}_x001_{numero};{insee}_x001;{numero};{rep};{nom_voie};47000;{insee};Agen;;;0;0;{lon};{lat};"
        f"entrée;;;AGEN;{nom_voie.upper()}"
    )


def csv_text(*lines: str) -> str:
    return "\n".join((HEADER, *lines)) + "\n"


def test_addresses_are_grouped_into_streets_with_centroid_and_ordered_numbers() -> None:
    result = parse_ban_csv(
        csv_text(
            line("12", "bis", "Rue Barleté", "0.6130", "44.2044"),
            line("3", "", "Rue Barleté", "0.6140", "44.2040"),
            line("12", "", "Rue Barleté", "0.6132", "44.2046"),
            line("2", "", "Rue Garonne", "0.6141", "44.2028"),
        )
    )

    assert result.problems == ()
    barlete, garonne = result.streets
    assert (barlete.name, barlete.insee_code, barlete.postcode) == ("Rue Barleté", "47001", "47000")
    assert [number.number for number in barlete.house_numbers] == ["3", "12", "12bis"]
    assert barlete.point.lat == (44.2044 + 44.2040 + 44.2046) / 3
    assert barlete.point.lon == (0.6130 + 0.6140 + 0.6132) / 3
    assert garonne.house_numbers[0].point == Point(44.2028, 0.6141)


def test_a_utf8_bom_before_the_header_is_ignored() -> None:
    text = csv_text(line("1", "", "Place Armand Fallières", "0.6164", "44.2037"))

    from_text = parse_ban_csv("\ufeff" + text)
    from_bytes = parse_ban_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))

    assert from_text == from_bytes
    assert from_text.problems == ()
    assert [street.name for street in from_text.streets] == ["Place Armand Fallières"]


def test_only_the_required_columns_are_needed_in_any_order() -> None:
    text = "lat;nom_commune;numero;code_insee;rep;lon;code_postal;nom_voie;colonne_inconnue\n"
    text += "44.2040;Agen;8;47001;;0.6198;47000;Place Wilson;whatever\n"

    result = parse_ban_csv(text)

    assert result.problems == ()
    assert result.streets[0].name == "Place Wilson"
    assert result.streets[0].house_numbers[0].point == Point(44.2040, 0.6198)


def test_each_bad_line_is_reported_with_its_line_number_and_the_good_ones_are_kept() -> None:
    result = parse_ban_csv(
        csv_text(
            line("1", "", "Rue Garonne", "0.6141", "44.2028"),
            line("douze", "", "Rue Garonne", "0.6141", "44.2028"),
            line("3", "", "Rue Garonne", "0.6141", "quarante-quatre"),
            line("4", "", "", "0.6141", "44.2028"),
            line("5", "", "Rue Garonne", "0.6141", "144.2"),
            line("6", "", "Rue Garonne", "0.6141", "44.2028", insee="Agen"),
            "47001_x001_7;47001_x001;7;;Rue Garonne",
            line("8", "", "Rue Garonne", "0.6143", "44.2026"),
        )
    )

    assert [problem.line for problem in result.problems] == [3, 4, 5, 6, 7, 8]
    reasons = [problem.reason.removeprefix("streets.problem.") for problem in result.problems]
    assert reasons == ["number", "not_numbers", "no_name", "out_of_range", "insee_code", "postcode"]
    assert [number.number for number in result.streets[0].house_numbers] == ["1", "8"]


def test_a_second_address_with_the_same_number_on_a_street_is_reported_as_a_duplicate() -> None:
    result = parse_ban_csv(
        csv_text(
            line("1", "", "Rue Garonne", "0.6141", "44.2028"),
            line("1", "", "RUE GARONNE", "0.6150", "44.2030"),
        )
    )

    assert result.problems == (problem(3, "duplicate_number", line=2, number=1),)
    assert len(result.streets[0].house_numbers) == 1


def test_a_file_without_the_required_columns_is_refused_with_one_problem() -> None:
    result = parse_ban_csv("id,numero,nom_voie,lon,lat\n1,2,Rue Garonne,0.61,44.2\n")

    assert result.streets == ()
    assert len(result.problems) == 1
    assert result.problems[0].line == 1
    assert result.problems[0].reason == "streets.problem.missing_columns_semicolons"


def test_an_empty_file_is_a_problem_not_an_empty_town() -> None:
    assert parse_ban_csv("") == BanImport((), (problem(1, "empty_file"),))


def test_a_file_that_is_not_utf8_is_refused_naming_the_first_bad_line() -> None:
    text = csv_text(line("1", "", "Rue Garonne", "0.6141", "44.2028"), line("2", "", "Rue Barleté", "0.6", "44.2"))

    result = parse_ban_bytes(text.encode("latin-1"))

    assert result.streets == ()
    assert [problem.line for problem in result.problems] == [2]
    assert result.problems[0].reason == "streets.problem.not_utf8_ban"


def test_blank_lines_are_skipped_without_a_problem() -> None:
    result = parse_ban_csv(csv_text(line("1", "", "Rue Garonne", "0.6141", "44.2028"), "", " ; ; "))

    assert result.problems == ()
    assert len(result.streets) == 1


def test_street_key_ignores_case_accents_and_punctuation_but_not_the_commune() -> None:
    assert street_key("Rue de l'Ermitage", "47001") == street_key("RUE DE L ERMITAGE", "47001")
    assert street_key("Rue Barleté", "47001") == street_key("rue  barlete", "47001")
    assert street_key("Rue Barleté", "47001") != street_key("Rue Barleté", "47025")
    assert street_key("Rue Garonne", "47001") != street_key("Quai Garonne", "47001")


def test_spelling_variants_of_a_street_become_one_street_under_one_key() -> None:
    result = parse_ban_csv(
        csv_text(
            line("1", "", "Rue Barleté", "0.6140", "44.2040"),
            line("3", "", "Rue Barleté", "0.6138", "44.2041"),
            line("5", "", "RUE BARLETE", "0.6136", "44.2042"),
        )
    )

    assert [(street.name, street.key) for street in result.streets] == [("Rue Barleté", "47001:rue barlete")]


def test_importing_the_same_file_twice_gives_the_same_streets_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "adresses-47001.csv"
    path.write_bytes((resources.files("bot.geo") / "data" / "agen_streets_sample.csv").read_bytes())

    first, second = read_ban_csv(path), read_ban_csv(path)

    assert first == second
    assert len({street.key for street in first.streets}) == len(first.streets)


def test_the_agen_sample_reads_without_problems_and_stays_inside_agen() -> None:
    sample = read_shipped("agen_streets_sample.csv", "ban")

    assert sample.problems == ()
    assert 40 <= len(sample.streets) <= 50
    for street in sample.streets:
        assert (street.insee_code, street.postcode) == ("47001", "47000")
        assert 2 <= len(street.house_numbers) <= 6
        for number in street.house_numbers:
            assert 44.17 <= number.point.lat <= 44.23
            assert 0.57 <= number.point.lon <= 0.66
    assert "Rue de l'Ermitage" in {street.name for street in sample.streets}
