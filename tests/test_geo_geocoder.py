from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderTimedOut, GeocoderUnavailable

from bot.domain.places import GeocodedAddress, Point
from bot.geo.gazetteer import Gazetteer, Street
from bot.geo.geocoder import BanGeocoder, Geocoder, OfflineGeocoder
from bot.geo.street_sources import read_shipped

AGEN = "47001"


def sample_gazetteer() -> Gazetteer:
    return Gazetteer(
        Street(index, record.name, "Centre-ville", record.point, record.house_numbers)
        for index, record in enumerate(read_shipped("agen_streets_sample.csv", "ban").streets, start=1)
    )


class FakeBanApi(BaseSyncAdapter):  # type: ignore[misc]
    """Stands in for the HTTP adapter under geopy: records the URLs, answers or fails as told."""

    def __init__(self, answer: Any = None, error: Exception | None = None) -> None:
        super().__init__(proxies=None, ssl_context=None)
        self.answer = answer
        self.error = error
        self.urls: list[str] = []

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        self.urls.append(url)
        if self.error is not None:
            raise self.error
        return self.answer

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        raise AssertionError("the geocoder asks for JSON")


def ban_geocoder(api: FakeBanApi) -> BanGeocoder:
    return BanGeocoder(timeout_s=1.0, adapter_factory=lambda **_: api)


def feature(kind: str, label: str, lon: float, lat: float, citycode: str = AGEN, **properties: Any) -> Any:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"type": kind, "label": label, "citycode": citycode, "score": 0.9, **properties},
    }


async def test_the_ban_geocoder_asks_for_the_text_restricted_to_the_town() -> None:
    api = FakeBanApi(answer={"type": "FeatureCollection", "features": []})

    assert await ban_geocoder(api).geocode("12 rue Barleté", AGEN) == []

    (url,) = api.urls
    assert urlsplit(url).netloc == "api-adresse.data.gouv.fr"
    assert urlsplit(url).path == "/search"
    query = parse_qs(urlsplit(url).query)
    assert query["q"] == ["12 rue Barleté"]
    assert query["citycode"] == [AGEN]


async def test_the_ban_geocoder_keeps_addresses_and_streets_of_the_town_only() -> None:
    api = FakeBanApi(
        answer={
            "features": [
                feature(
                    "housenumber",
                    "12 Rue Barleté 47000 Agen",
                    0.6131,
                    44.2044,
                    housenumber="12",
                    street="Rue Barleté",
                    name="12 Rue Barleté",
                ),
                feature("street", "Rue Barleté 47000 Agen", 0.6133, 44.2043, name="Rue Barleté"),
                feature(
                    "housenumber",
                    "12 Rue Barleté 47300 Villeneuve",
                    0.7,
                    44.4,
                    citycode="47323",
                    housenumber="12",
                    street="Rue Barleté",
                    name="12 Rue Barleté",
                ),
                feature("municipality", "Agen", 0.6163, 44.2033, name="Agen"),
            ]
        }
    )

    addresses = await ban_geocoder(api).geocode("12 rue Barleté", AGEN)

    assert addresses == [
        GeocodedAddress("12 Rue Barleté 47000 Agen", Point(44.2044, 0.6131), "Rue Barleté", "12", 0.9),
        GeocodedAddress("Rue Barleté 47000 Agen", Point(44.2043, 0.6133), "Rue Barleté", None, 0.9),
    ]


@pytest.mark.parametrize(
    "error", [GeocoderTimedOut("timed out"), GeocoderUnavailable("no route to host"), OSError("down")]
)
async def test_a_network_failure_gives_no_result_and_one_log_line_without_the_address(
    error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    api = FakeBanApi(error=error)

    with caplog.at_level(logging.WARNING, logger="bot.geo.geocoder"):
        assert await ban_geocoder(api).geocode("3 rue des Cornières", AGEN) == []

    (record,) = [r for r in caplog.records if r.name == "bot.geo.geocoder"]
    assert record.exc_info is None
    assert "Corni" not in record.getMessage()


@pytest.mark.parametrize(
    "answer", [{"features": [{"properties": {"type": "street"}}]}, {"unexpected": True}, "<html>", [1, 2]]
)
async def test_a_malformed_answer_gives_no_result(answer: Any) -> None:
    assert await ban_geocoder(FakeBanApi(answer=answer)).geocode("rue Garonne", AGEN) == []


@pytest.mark.parametrize("text", ["", "ab", "😀", "\x00\x01\x02", "   ", "--"])
async def test_text_the_api_would_refuse_is_not_sent(text: str) -> None:
    api = FakeBanApi(answer={"features": []})

    assert await ban_geocoder(api).geocode(text, AGEN) == []
    assert api.urls == []


async def test_control_characters_are_stripped_and_long_text_capped_before_sending() -> None:
    api = FakeBanApi(answer={"features": []})

    await ban_geocoder(api).geocode("\x00-- rue\x1b Garonne\u202e" + "x" * 5000, AGEN)

    (query,) = parse_qs(urlsplit(api.urls[0]).query)["q"]
    assert query.startswith("rue Garonne")
    assert len(query) == 200


async def test_the_offline_geocoder_answers_with_the_house_number_point() -> None:
    gazetteer = sample_gazetteer()
    barlete = next(street for street in gazetteer.streets if street.name == "Rue Barleté")
    twelve = next(number for number in barlete.house_numbers if number.number == "12")
    geocoder: Geocoder = OfflineGeocoder(gazetteer, AGEN)

    addresses = await geocoder.geocode("12 rue barlete", AGEN)

    assert addresses[0] == GeocodedAddress("12 Rue Barleté", twelve.point, "Rue Barleté", "12", 1.0)


async def test_the_offline_geocoder_falls_back_to_the_street_when_the_number_is_unknown() -> None:
    gazetteer = sample_gazetteer()
    barlete = next(street for street in gazetteer.streets if street.name == "Rue Barleté")

    addresses = await OfflineGeocoder(gazetteer, AGEN).geocode("999 rue barlete", AGEN)

    assert addresses[0] == GeocodedAddress("Rue Barleté", barlete.point, "Rue Barleté", None, 1.0)


async def test_the_offline_geocoder_knows_only_its_own_town() -> None:
    assert await OfflineGeocoder(sample_gazetteer(), AGEN).geocode("12 rue barlete", "33063") == []


@pytest.mark.parametrize("text", ["", "😀" * 2000, "\x00" * 5000, "rue"])
async def test_the_offline_geocoder_finds_nothing_for_meaningless_text(text: str) -> None:
    assert await OfflineGeocoder(sample_gazetteer(), AGEN).geocode(text, AGEN) == []
