from __future__ import annotations

import pytest

from bot.domain.places import Point
from bot.geo.neighbourhoods import nearest_neighbourhood

NEIGHBOURHOODS = [
    ("Centre-ville", Point(44.2033, 0.6163)),
    ("Montanou", Point(44.2150, 0.6250)),
    ("Tapie", Point(44.1900, 0.6200)),
]


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        (Point(44.2040, 0.6140), "Centre-ville"),
        (Point(44.2130, 0.6320), "Montanou"),
        (Point(44.1950, 0.6230), "Tapie"),
    ],
)
def test_a_point_belongs_to_the_neighbourhood_with_the_nearest_configured_point(point: Point, expected: str) -> None:
    assert nearest_neighbourhood(point, NEIGHBOURHOODS) == expected


def test_a_point_halfway_between_two_neighbourhoods_goes_to_the_first_configured() -> None:
    west, east = Point(44.2, 0.60), Point(44.2, 0.62)

    assert nearest_neighbourhood(Point(44.2, 0.61), [("Ouest", west), ("Est", east)]) == "Ouest"
    assert nearest_neighbourhood(Point(44.2, 0.61), [("Est", east), ("Ouest", west)]) == "Est"


def test_a_single_neighbourhood_takes_every_point() -> None:
    assert nearest_neighbourhood(Point(44.8378, -0.5792), NEIGHBOURHOODS[:1]) == "Centre-ville"


def test_no_configured_neighbourhood_is_an_error() -> None:
    with pytest.raises(ValueError, match="no neighbourhood"):
        nearest_neighbourhood(Point(44.2, 0.6), [])
