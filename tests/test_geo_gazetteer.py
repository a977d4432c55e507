from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.places import Point
from bot.geo.ban_csv import HouseNumber
from bot.geo.gazetteer import Gazetteer, Street, TownArea, is_in_town
from bot.geo.street_sources import read_shipped

AGEN_CENTRE = Point(44.2033, 0.6163)
BORDEAUX = Point(44.8378, -0.5792)


def sample_gazetteer() -> Gazetteer:
    records = read_shipped("agen_streets_sample.csv", "ban").streets
    return Gazetteer(
        Street(index, record.name, "Centre-ville", record.point, record.house_numbers)
        for index, record in enumerate(records, start=1)
    )


GAZETTEER = sample_gazetteer()


def names(text: str, gazetteer: Gazetteer = GAZETTEER, limit: int = 5) -> list[str]:
    return [match.street.name for match in gazetteer.search(text, limit)]


def house_number(street: str, number: str) -> HouseNumber:
    found = next(s for s in GAZETTEER.streets if s.name == street)
    return next(n for n in found.house_numbers if n.number == number)


def small_gazetteer(*street_names: str) -> Gazetteer:
    return Gazetteer(Street(i, name, "Centre-ville", AGEN_CENTRE) for i, name in enumerate(street_names))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("republique", "Boulevard de la République"),
        ("barlete", "Rue Barleté"),
        ("boulvard carnot", "Boulevard du Président Carnot"),
        ("bd du pdt carnot", "Boulevard du Président Carnot"),
        ("RUE DES CORNIERES", "Rue des Cornières"),
        ("montesqieu", "Rue Montesquieu"),
        ("l'ermitage", "Rue de l'Ermitage"),
        ("rue de l’ermitage", "Rue de l'Ermitage"),
        ("coeur de lion", "Rue Richard Cœur de Lion"),
        ("av gal de gaulle", "Avenue du Général de Gaulle"),
        ("victorhugo", "Cours Victor Hugo"),
        ("fallie", "Place Armand Fallières"),
        ("12 rue barleté 47000 agen", "Rue Barleté"),
    ],
)
def test_search_finds_the_street_first_whatever_the_accents_case_and_small_typos(typed: str, expected: str) -> None:
    assert names(typed)[0] == expected


def test_republique_matches_exactly_one_street_of_the_sample() -> None:
    assert names("republique", limit=50) == ["Boulevard de la République"]


def test_a_leading_house_number_is_found_on_the_street_with_its_point() -> None:
    match = GAZETTEER.search("12 rue barleté")[0]

    assert match.street.name == "Rue Barleté"
    assert match.number_asked == "12"
    assert match.house_number == house_number("Rue Barleté", "12")


@pytest.mark.parametrize("typed", ["12 bis rue barleté", "12bis barlete", "12 BIS, Rue Barleté"])
def test_a_suffixed_house_number_is_found_whether_written_apart_or_joined(typed: str) -> None:
    assert GAZETTEER.search(typed)[0].house_number == house_number("Rue Barleté", "12bis")


def test_a_suffix_the_street_does_not_have_falls_back_to_the_plain_number() -> None:
    match = GAZETTEER.search("21 ter rue barleté")[0]

    assert match.number_asked == "21ter"
    assert match.house_number == house_number("Rue Barleté", "21")


def test_a_house_number_the_street_does_not_have_still_finds_the_street_without_a_point() -> None:
    match = GAZETTEER.search("999 rue barleté")[0]

    assert match.street.name == "Rue Barleté"
    assert (match.number_asked, match.house_number) == ("999", None)


def test_exact_words_rank_before_prefixes_before_substrings_before_typos() -> None:
    gazetteer = small_gazetteer("Rue Carnet", "Rue Montcarnot", "Rue Carnotville", "Rue Carnot")

    assert names("carnot", gazetteer) == ["Rue Carnot", "Rue Carnotville", "Rue Montcarnot", "Rue Carnet"]


def test_the_typed_street_type_breaks_a_tie_between_same_named_streets() -> None:
    gazetteer = small_gazetteer("Rue Garonne", "Quai Garonne")

    assert names("quai garonne", gazetteer)[0] == "Quai Garonne"
    assert names("rue garonne", gazetteer)[0] == "Rue Garonne"


def test_a_word_close_to_a_street_type_is_a_name_when_a_street_has_it() -> None:
    gazetteer = small_gazetteer("Rue Placide", "Place Jasmin")

    assert names("placide", gazetteer) == ["Rue Placide"]


@pytest.mark.parametrize("typed", ["rue", "boulevard de la", "place", "l'", "47000", "", "   "])
def test_street_types_articles_and_postcodes_alone_match_nothing(typed: str) -> None:
    assert names(typed) == []


@pytest.mark.parametrize(
    "typed", ["r" * 5000, "😀🏠🙂", "\x00\x01\x1b[2J\u202e\ufeff", "\n\t\r", "12", "ⅫⅫ", "١٢ شارع"]
)
def test_hostile_or_meaningless_text_finds_nothing(typed: str) -> None:
    assert GAZETTEER.search(typed) == []


def test_a_long_text_starting_with_a_street_still_finds_it() -> None:
    assert names("rue barleté " * 500)[0] == "Rue Barleté"


def test_search_returns_at_most_limit_results_and_nothing_for_a_limit_below_one() -> None:
    assert len(GAZETTEER.search("general", limit=1)) == 1
    assert GAZETTEER.search("barlete", limit=0) == []
    assert GAZETTEER.search("barlete", limit=-3) == []


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300), limit=st.integers(min_value=-2, max_value=8))
def test_search_never_raises_and_respects_the_limit(text: str, limit: int) -> None:
    results = GAZETTEER.search(text, limit)

    assert len(results) <= max(limit, 0)
    assert all(0 < match.score <= 1 for match in results)


def test_nearest_returns_the_street_of_the_nearest_house_number_with_the_distance() -> None:
    eight = house_number("Rue Barleté", "8")
    pin = Point(eight.point.lat, eight.point.lon + 0.00004)

    nearest = GAZETTEER.nearest(pin)

    assert nearest is not None
    assert nearest.street.name == "Rue Barleté"
    assert nearest.house_number == eight
    assert nearest.metres == pytest.approx(pin.metres_to(eight.point))
    assert 2 < nearest.metres < 5


def test_nearest_uses_the_centroid_of_a_street_without_house_numbers() -> None:
    gazetteer = Gazetteer(
        [
            Street(1, "Place Wilson", "Centre-ville", Point(44.2040, 0.6198)),
            Street(2, "Rue Garonne", "Centre-ville", Point(44.2020, 0.6130)),
        ]
    )

    nearest = gazetteer.nearest(Point(44.2041, 0.6199))

    assert nearest is not None
    assert (nearest.street.id, nearest.house_number) == (1, None)


@pytest.mark.parametrize("pin", [Point(math.nan, 0.6), Point(44.2, math.inf), Point(95.0, 0.6)])
def test_nearest_of_an_invalid_point_is_none(pin: Point) -> None:
    assert GAZETTEER.nearest(pin) is None


def test_an_empty_gazetteer_finds_nothing() -> None:
    empty = Gazetteer(())

    assert empty.search("republique") == []
    assert empty.nearest(AGEN_CENTRE) is None
    assert empty.is_in_town(Point(44.30, 0.70), TownArea(AGEN_CENTRE, radius_m=3000)) is False


def test_a_pin_in_agen_is_in_town_and_a_pin_in_bordeaux_is_not() -> None:
    area = TownArea(AGEN_CENTRE, radius_m=3000)

    assert GAZETTEER.is_in_town(house_number("Rue Barleté", "12").point, area)
    assert not GAZETTEER.is_in_town(BORDEAUX, area)


def test_a_pin_outside_the_radius_is_in_town_only_near_a_known_address() -> None:
    area = TownArea(AGEN_CENTRE, radius_m=1000, address_margin_m=300)
    outlying = Point(44.2160, 0.6420)

    assert outlying.metres_to(AGEN_CENTRE) > 1000
    assert is_in_town(outlying, area, nearest_address_m=120)
    assert not is_in_town(outlying, area, nearest_address_m=450)
    assert not is_in_town(outlying, area, nearest_address_m=None)


def test_a_pin_inside_the_radius_is_in_town_even_far_from_any_address() -> None:
    area = TownArea(AGEN_CENTRE, radius_m=1000)

    assert is_in_town(Point(44.2040, 0.6170), area, nearest_address_m=None)


def test_an_invalid_pin_is_never_in_town() -> None:
    assert not is_in_town(Point(math.nan, math.nan), TownArea(AGEN_CENTRE, radius_m=1e9), nearest_address_m=0)
