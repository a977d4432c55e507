"""Addresses through the national address API (BAN) behind the database cache, with the town's streets when
the API is not there. No test touches the network: geopy's HTTP adapter, or the whole geocoder, is a fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from geopy.exc import GeocoderUnavailable

from bot.app import running
from bot.config import Settings, TownSettings
from bot.domain.places import GeocodedAddress, Point
from bot.services.addresses import AddressService, LookupOutcome
from bot.services.streets import StreetService
from bot.storage.database import Database
from bot.storage.geocache import GeocodeCache
from bot.storage.streets import StreetRepository
from tests.catalogue import says
from tests.conftest import rows
from tests.desk import file_from_report, open_person
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser
from tests.test_geo_geocoder import FakeBanApi, ban_geocoder, feature

TWELVE_REPUBLIQUE = feature(
    "housenumber",
    "12 Boulevard de la République 47000 Agen",
    0.61130,
    44.20118,
    street="Boulevard de la République",
    housenumber="12",
    name="12 Boulevard de la République",
)


def answer(*features: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "addresses.sqlite3")
    await database.open()
    yield database
    await database.close()


async def addresses(db: Database, api: FakeBanApi | None) -> AddressService:
    """The service as the bot builds it; `api` None is a town with the API switched off."""
    town = TownSettings()
    repo = StreetRepository(db)
    streets = StreetService(repo, town)
    await streets.refresh()
    return AddressService(streets, repo, GeocodeCache(db), town, ban_geocoder(api) if api else None)


async def test_the_api_answer_is_cached_so_the_same_address_is_asked_once_and_then_works_offline(
    db: Database,
) -> None:
    api = FakeBanApi(answer=answer(TWELVE_REPUBLIQUE))
    online = await addresses(db, api)
    found = await online.lookup("12 bd de la République")
    assert found.outcome == LookupOutcome.FOUND
    first = found.choices[0]
    assert (first.label, first.lat, first.lon) == ("12 Boulevard de la République 47000 Agen", 44.20118, 0.61130)
    assert first.neighbourhood == "Centre-ville"
    assert "citycode=47001" in api.urls[0]

    again = await online.lookup("  12 BD de la republique ")  # the same words: the cache answers
    assert again.choices == found.choices
    assert len(api.urls) == 1

    offline = await addresses(db, None)
    assert (await offline.lookup("12 bd de la république")).choices == found.choices


async def test_without_the_api_the_town_streets_answer_and_nothing_is_cached(db: Database) -> None:
    api = FakeBanApi(error=GeocoderUnavailable("down"))
    service = await addresses(db, api)
    found = await service.lookup("15 bd republique")
    assert len(api.urls) == 1
    assert found.outcome == LookupOutcome.FOUND
    assert found.choices[0].label == "15 Boulevard de la République"  # the imported house number
    assert await db.fetch_all("SELECT query FROM geocode_cache") == []

    api.error, api.answer = (
        None,
        answer(feature("housenumber", "1 Rue Lafayette 47300 Villeneuve-sur-Lot", 0.70, 44.40, citycode="47323")),
    )
    elsewhere = await service.lookup("1 rue lafayette")  # the API's answer is in another town: not trusted
    assert [c.label for c in elsewhere.choices] == ["1 Rue Lafayette"]  # the town's street, the number as typed
    assert await db.fetch_all("SELECT query FROM geocode_cache") == []


async def test_another_postcode_is_outside_the_town_without_asking_the_api(db: Database) -> None:
    api = FakeBanApi(answer=answer(TWELVE_REPUBLIQUE))
    service = await addresses(db, api)
    assert (await service.lookup("12 rue Sainte-Catherine 33000 Bordeaux")).outcome == LookupOutcome.OUTSIDE
    assert (await service.lookup("😀😀😀")).outcome == LookupOutcome.NOTHING
    assert api.urls == []


class FakeGeocoder:
    """The national address API as the bot sees it, counting the questions."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def geocode(self, address_text: str, town_insee: str) -> list[GeocodedAddress]:
        self.asked.append(address_text)
        return [GeocodedAddress("3 Rue Barleté 47000 Agen", Point(44.2071, 0.6172), "Rue Barleté", "3", 0.95)]


async def test_a_person_s_address_is_geocoded_through_the_cache_and_a_report_finds_it_again(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    geocoder = FakeGeocoder()
    async with running(settings, poll_timeout=1, geocoder=geocoder):
        await file_from_report(coordinator, FakeUser(fake_api, 5001, "Odile", "fr"), "Monsieur Bleu")
        await open_person(coordinator, "Monsieur Bleu")
        coordinator.press(says("person.edit.address"))
        await coordinator.expect(says("person.ask_address", name="Monsieur Bleu"))
        coordinator.send("3 rue barlete")
        await coordinator.expect(says("report.pick_address"))
        coordinator.press("3 Rue Barleté 47000 Agen")
        await coordinator.expect(says("person.file", address="3 Rue Barleté 47000 Agen"))
        assert rows(db_path, "SELECT address, lat, lon, street_id IS NOT NULL FROM persons") == [
            ("3 Rue Barleté 47000 Agen", 44.2071, 0.6172, 1)
        ]

        reporter = FakeUser(fake_api, 5002, "Paul", "fr")
        reporter.send("/report")
        await reporter.expect(says("report.ask_where"))
        reporter.send("3 Rue Barlete")
        await reporter.expect(says("report.pick_address"))
        reporter.press("3 Rue Barleté 47000 Agen")
        await reporter.expect(says("report.ask_signs"), "3 Rue Barleté")
        assert geocoder.asked == ["3 rue barlete"]  # the second time, the cache answered
        assert rows(db_path, "SELECT COUNT(*) FROM geocode_cache") == [(1,)]
