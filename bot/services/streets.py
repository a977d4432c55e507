"""Finding the town's streets from what people type or pin, and importing them from the town's source (the BAN
in France, OpenStreetMap or a plain CSV elsewhere)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.config import TownSettings
from bot.domain.places import Point
from bot.geo.ban_csv import BanImport, HouseNumber, Problem
from bot.geo.gazetteer import Gazetteer, Street, TownArea
from bot.geo.neighbourhoods import nearest_neighbourhood
from bot.geo.street_sources import read_shipped
from bot.storage.streets import StreetCover, StreetRepository, StreetUpsert, UpsertCounts

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StreetChoice:
    id: int
    name: str
    neighbourhood: str


@dataclass(frozen=True, slots=True)
class AreaCoverage:
    """One neighbourhood's streets: with a main caring neighbour, with backups only, with nobody."""

    neighbourhood: str
    main: list[StreetCover]
    backups_only: list[StreetCover]
    nobody: list[StreetCover]


@dataclass(frozen=True, slots=True)
class StreetImport:
    counts: UpsertCounts
    problems: tuple[Problem, ...]


def _choice(street: Street) -> StreetChoice:
    return StreetChoice(street.id, street.name, street.neighbourhood)


class StreetService:
    def __init__(self, repo: StreetRepository, town: TownSettings) -> None:
        self._repo = repo
        self._town = town
        self._gazetteer = Gazetteer(())
        self._area = TownArea(town.centre, town.radius_m)

    async def refresh(self) -> None:
        """Rebuild the in-memory gazetteer from storage; on an empty database, load the town's sample first."""
        streets = await self._repo.all()
        if not streets and self._town.streets_sample:
            log.info("streets.sample_loaded note=approximate coordinates, import the town's streets for real use")
            await self.import_ban(read_shipped(self._town.streets_sample, self._town.streets_source), refresh=False)
            streets = await self._repo.all()
        numbers: dict[int, list[HouseNumber]] = {}
        for row in await self._repo.house_numbers():
            numbers.setdefault(row.street_id, []).append(HouseNumber(row.number, Point(row.lat, row.lon)))
        self._gazetteer = Gazetteer(
            Street(s.id, s.name, s.neighbourhood, Point(s.lat, s.lon), tuple(numbers.get(s.id, ()))) for s in streets
        )
        log.info("streets.loaded count=%s", len(streets))

    @property
    def gazetteer(self) -> Gazetteer:
        return self._gazetteer

    async def search(self, text: str, limit: int = 5) -> list[StreetChoice]:
        return [_choice(match.street) for match in self._gazetteer.search(text, limit=limit)]

    async def locate(self, point: Point) -> StreetChoice | None:
        """The street nearest a location pin, or None when the pin is outside the town."""
        if not self._gazetteer.is_in_town(point, self._area):
            return None
        nearest = self._gazetteer.nearest(point)
        return _choice(nearest.street) if nearest else None

    async def get(self, street_id: int) -> StreetChoice | None:
        row = await self._repo.get(street_id)
        return StreetChoice(row.id, row.name, row.neighbourhood) if row else None

    async def coverage(self) -> list[AreaCoverage]:
        """Per neighbourhood, in the configured order (then any other a street names)."""
        areas: dict[str, AreaCoverage] = {n.name: AreaCoverage(n.name, [], [], []) for n in self._town.neighbourhoods}
        for street in await self._repo.coverage():
            area = areas.setdefault(street.neighbourhood, AreaCoverage(street.neighbourhood, [], [], []))
            if street.main_name is not None:
                area.main.append(street)
            elif street.backups:
                area.backups_only.append(street)
            else:
                area.nobody.append(street)
        return list(areas.values())

    async def import_ban(self, data: BanImport, refresh: bool = True) -> StreetImport:
        areas = [(n.name, n.point) for n in self._town.neighbourhoods]
        upserts = [
            StreetUpsert(
                key=record.key,
                name=record.name,
                insee_code=record.insee_code,
                postcode=record.postcode,
                neighbourhood=record.neighbourhood or nearest_neighbourhood(record.point, areas),
                lat=record.point.lat,
                lon=record.point.lon,
                house_numbers=[(h.number, h.point.lat, h.point.lon) for h in record.house_numbers],
            )
            for record in data.streets
        ]
        counts = await self._repo.upsert_many(upserts)
        if refresh:
            await self.refresh()
        return StreetImport(counts, data.problems)
