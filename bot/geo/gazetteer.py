"""The town's streets in memory: find one from what a neighbour typed, or from a location pin.

Pure and offline: built from the streets storage holds, so it answers instantly and without network.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.places import Point
from bot.geo.ban_csv import HouseNumber
from bot.geo.text import STREET_TYPES, is_significant, street_type, words

# Scores of one typed word against one word of a street name. Any exact, prefix or substring match
# outranks any fuzzy one: FUZZY_WEIGHT * ratio stays below SUBSTRING.
EXACT = 1.0
PREFIX = 0.85
SUBSTRING = 0.7
FUZZY_WEIGHT = 0.6
FUZZY_CUTOFF = 0.75
# A street is a match when the typed words score at least this on average: one good word out of two
# ("barleté agen") passes, a lone distant fuzzy match does not.
MIN_SCORE = 0.4
# A word that matches no street but looks like a street type ("boulvard") is a typo of that type.
TYPE_TYPO_CUTOFF = 0.8

MAX_QUERY_WORDS = 8
MAX_WORD_CHARS = 40
_HOUSE_NUMBER = re.compile(r"^([0-9]{1,5})(bis|ter|quater|[a-z])?$")
_SUFFIX_WORDS = frozenset({"bis", "ter", "quater"})
_POSTCODE = re.compile(r"^[0-9]{5}$")
_TYPE_WORDS = tuple(word for word in STREET_TYPES if len(word) >= 4)

# Sort key of a match: score, same street type as typed, has the house number asked, share of the
# street's words matched, then the shorter name (the typed words are more of it), name, id.
_Order = tuple[float, int, int, float, int, str, int]


@dataclass(frozen=True, slots=True)
class Street:
    id: int
    name: str
    neighbourhood: str
    point: Point
    house_numbers: tuple[HouseNumber, ...] = ()


@dataclass(frozen=True, slots=True)
class StreetMatch:
    street: Street
    score: float
    number_asked: str | None
    # The number asked if the street has it, else the same number without its suffix, else None.
    house_number: HouseNumber | None


@dataclass(frozen=True, slots=True)
class NearestStreet:
    street: Street
    metres: float
    # None when the street's centroid was nearer than any of its house numbers.
    house_number: HouseNumber | None


@dataclass(frozen=True, slots=True)
class TownArea:
    centre: Point
    radius_m: float
    address_margin_m: float = 300.0


def is_in_town(point: Point, area: TownArea, nearest_address_m: float | None) -> bool:
    """Whether a location pin is in the town, without the commune's boundary polygon.

    The BAN file gives points, not the commune's outline, and a polygon would mean another data set to
    maintain. A circle around the centre covers the dense town; the distance to the nearest known address
    adds the outlying streets (a commune is never a circle) without widening the circle over the
    neighbouring communes. The margin allows for a phone's GPS error and for pins dropped in a garden
    or a field behind the house. Either condition is enough: a pin in a park near the centre has no
    address nearby, an outlying hamlet is outside the circle.
    """
    if not _is_valid(point):
        return False
    if point.metres_to(area.centre) <= area.radius_m:
        return True
    return nearest_address_m is not None and nearest_address_m <= area.address_margin_m


@dataclass(frozen=True, slots=True)
class _Query:
    words: tuple[str, ...]
    number: str | None
    street_type: str | None


@dataclass(frozen=True, slots=True)
class _Entry:
    street: Street
    words: tuple[str, ...]
    # The words plus, for names of several words, their concatenation ("victorhugo").
    match_words: tuple[str, ...]
    street_type: str | None
    numbers: dict[str, HouseNumber]


@dataclass(frozen=True, slots=True)
class _Candidate:
    lat: float
    lon: float
    entry: int
    house_number: HouseNumber | None


class Gazetteer:
    def __init__(self, streets: Iterable[Street]) -> None:
        self._entries: list[_Entry] = []
        self._vocabulary: dict[str, list[int]] = {}
        self._candidates: list[_Candidate] = []
        for street in streets:
            self._add(street)

    def _add(self, street: Street) -> None:
        index = len(self._entries)
        name_words = words(street.name)
        significant = tuple(word for word in name_words if is_significant(word))
        match_words = significant + (("".join(significant),) if len(significant) > 1 else ())
        entry = _Entry(
            street=street,
            words=significant,
            match_words=match_words,
            street_type=street_type(name_words[0]) if name_words else None,
            numbers={number.number: number for number in street.house_numbers},
        )
        self._entries.append(entry)
        for word in set(match_words):
            self._vocabulary.setdefault(word, []).append(index)
        self._candidates.append(_Candidate(street.point.lat, street.point.lon, index, None))
        self._candidates.extend(
            _Candidate(number.point.lat, number.point.lon, index, number) for number in street.house_numbers
        )

    @property
    def streets(self) -> list[Street]:
        return [entry.street for entry in self._entries]

    def search(self, text: str, limit: int = 5) -> list[StreetMatch]:
        """Streets whose name matches the text best first; a leading house number is looked up too."""
        query = _parse_query(text)
        if limit <= 0 or not query.words:
            return []
        kept: list[dict[str, float]] = []
        typed_type = query.street_type
        for word in query.words:
            qualities = self._word_qualities(word)
            typo = _type_typo(word, qualities)
            if typo is None:
                kept.append(qualities)
            else:
                typed_type = typed_type or typo
        if not kept:
            return []
        candidates = {index for qualities in kept for word in qualities for index in self._vocabulary[word]}
        ranked: list[tuple[_Order, StreetMatch]] = []
        for index in candidates:
            entry = self._entries[index]
            score = sum(max(q.get(w, 0.0) for w in entry.match_words) for q in kept) / len(kept)
            if score < MIN_SCORE:
                continue
            house_number = _house_number(entry, query.number)
            covered = sum(1 for w in entry.words if any(w in q for q in kept)) / len(entry.words)
            same_type = int(typed_type is not None and typed_type == entry.street_type)
            order = (
                -score,
                -same_type,
                -int(house_number is not None),
                -covered,
                len(entry.street.name),
                entry.street.name,
                entry.street.id,
            )
            ranked.append((order, StreetMatch(entry.street, score, query.number, house_number)))
        ranked.sort(key=lambda pair: pair[0])
        return [match for _, match in ranked[:limit]]

    def _word_qualities(self, typed: str) -> dict[str, float]:
        """How well the typed word matches each word of the vocabulary; words that do not match are absent."""
        qualities: dict[str, float] = {}
        fuzzy = len(typed) >= 4 and not typed.isdigit()
        matcher = difflib.SequenceMatcher(b=typed, autojunk=False)
        for word in self._vocabulary:
            if word == typed:
                qualities[word] = EXACT
            elif typed.isdigit():
                continue
            elif len(typed) >= 3 and word.startswith(typed):
                qualities[word] = PREFIX
            elif len(typed) >= 4 and typed in word:
                qualities[word] = SUBSTRING
            elif fuzzy:
                matcher.set_seq1(word)
                if (
                    matcher.real_quick_ratio() >= FUZZY_CUTOFF
                    and matcher.quick_ratio() >= FUZZY_CUTOFF
                    and (ratio := matcher.ratio()) >= FUZZY_CUTOFF
                ):
                    qualities[word] = FUZZY_WEIGHT * ratio
        return qualities

    def nearest(self, point: Point) -> NearestStreet | None:
        """The street with the known point (house number or centroid) nearest to the given point."""
        if not self._candidates or not _is_valid(point):
            return None
        # The geodesic formula costs about 150 µs a call: seconds for the 20,000 addresses of a town. A flat
        # approximation ranks the same way at town scale; only the winner's distance is computed exactly.
        scale = math.cos(math.radians(point.lat))
        best = min(
            self._candidates,
            key=lambda c: ((c.lon - point.lon) * scale) ** 2 + (c.lat - point.lat) ** 2,
        )
        metres = point.metres_to(Point(best.lat, best.lon))
        return NearestStreet(self._entries[best.entry].street, metres, best.house_number)

    def is_in_town(self, point: Point, area: TownArea) -> bool:
        """is_in_town() with the distance to the nearest house number or street centroid."""
        nearest = self.nearest(point)
        return is_in_town(point, area, nearest.metres if nearest else None)


def house_number_in(text: str) -> str | None:
    """The house number an address starts with ("12", "3bis"), as the search reads it."""
    return _parse_query(text).number


def _parse_query(text: str) -> _Query:
    tokens = words(text)
    number: str | None = None
    if tokens and (found := _HOUSE_NUMBER.match(tokens[0])):
        number = f"{int(found.group(1))}{found.group(2) or ''}"
        tokens = tokens[1:]
        if tokens and found.group(2) is None and tokens[0] in _SUFFIX_WORDS:
            number += tokens[0]
            tokens = tokens[1:]
    typed_type = next((STREET_TYPES[token] for token in tokens if token in STREET_TYPES), None)
    significant = [
        token
        for token in tokens
        if is_significant(token) and not _POSTCODE.match(token) and len(token) <= MAX_WORD_CHARS
    ]
    return _Query(tuple(significant[:MAX_QUERY_WORDS]), number, typed_type)


def _type_typo(typed: str, qualities: dict[str, float]) -> str | None:
    """The street type this word misspells, unless it matches a street name well enough to be meant."""
    if len(typed) < 4 or any(quality >= SUBSTRING for quality in qualities.values()):
        return None
    close = difflib.get_close_matches(typed, _TYPE_WORDS, n=1, cutoff=TYPE_TYPO_CUTOFF)
    return STREET_TYPES[close[0]] if close else None


def _house_number(entry: _Entry, number: str | None) -> HouseNumber | None:
    if number is None:
        return None
    return entry.numbers.get(number) or entry.numbers.get(number.rstrip("abcdefghijklmnopqrstuvwxyz"))


def _is_valid(point: Point) -> bool:
    return math.isfinite(point.lat) and math.isfinite(point.lon) and -90 <= point.lat <= 90 and -180 <= point.lon <= 180
