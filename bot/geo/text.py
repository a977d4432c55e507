"""Normalisation of French street names and of what people type to find them.

Both sides of a search go through the same functions, so "Rue de l'Ermitage", "RUE DE L ERMITAGE" and
"rue de l’ermitage" all become the same words.
"""

from __future__ import annotations

import re
import unicodedata

# The longest street name in the BAN is about 100 characters; anything much longer is not an address,
# and capping keeps hostile input (5,000 characters, emoji floods) cheap.
MAX_TEXT_CHARS = 200

# Letters that NFKD does not decompose into a base letter plus an accent.
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss"}
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")

# Street types with their usual abbreviations (BAN "nom_afnor" and what people type), mapped to one form
# so that "bd" and "boulevard" compare equal.
STREET_TYPES: dict[str, str] = {
    "rue": "rue",
    "r": "rue",
    "ruelle": "ruelle",
    "boulevard": "boulevard",
    "bd": "boulevard",
    "bld": "boulevard",
    "bvd": "boulevard",
    "boul": "boulevard",
    "avenue": "avenue",
    "av": "avenue",
    "ave": "avenue",
    "place": "place",
    "pl": "place",
    "placette": "placette",
    "chemin": "chemin",
    "ch": "chemin",
    "che": "chemin",
    "impasse": "impasse",
    "imp": "impasse",
    "allee": "allee",
    "allees": "allee",
    "all": "allee",
    "cours": "cours",
    "crs": "cours",
    "quai": "quai",
    "route": "route",
    "rte": "route",
    "square": "square",
    "sq": "square",
    "passage": "passage",
    "sentier": "sentier",
    "voie": "voie",
    "esplanade": "esplanade",
    "promenade": "promenade",
    "parvis": "parvis",
    "faubourg": "faubourg",
    "fg": "faubourg",
    "residence": "residence",
    "res": "residence",
    "lotissement": "lotissement",
    "lot": "lotissement",
    "cite": "cite",
    "hameau": "hameau",
    "ld": "lieu-dit",
    "montee": "montee",
    "traverse": "traverse",
}

ARTICLES = frozenset({"le", "la", "les", "l", "de", "du", "des", "d", "au", "aux", "a", "et", "en"})

# Abbreviations of words inside names ("Av. du Gal de Gaulle", "Bd du Pdt Carnot").
_ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "gal": "general",
    "gen": "general",
    "pdt": "president",
    "pres": "president",
    "dr": "docteur",
    "mal": "marechal",
    "cdt": "commandant",
}


def normalise(text: str) -> str:
    """Lower-case ASCII words separated by single spaces; accents, apostrophes and punctuation removed."""
    folded = unicodedata.normalize("NFKD", text[:MAX_TEXT_CHARS].translate(_LIGATURES)).casefold()
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    return _NOT_ALNUM.sub(" ", ascii_only).strip()


def words(text: str) -> list[str]:
    """Normalised words with abbreviations expanded; street types and articles kept."""
    return [_ABBREVIATIONS.get(word, word) for word in normalise(text).split()]


def street_type(word: str) -> str | None:
    return STREET_TYPES.get(word)


def is_significant(word: str) -> bool:
    """Street types and articles carry no meaning for finding a street: every second name has them."""
    return word not in STREET_TYPES and word not in ARTICLES


def significant_words(text: str) -> list[str]:
    return [word for word in words(text) if is_significant(word)]
