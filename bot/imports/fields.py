"""Cells of an imported spreadsheet as people type them, read into our values. Each reader returns the value,
or a Reason saying what is wrong with the cell."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bot.domain.phones import example, town_phone
from bot.geo.text import normalise
from bot.imports.table import Reason

_LIST_SEPARATORS = re.compile(r"[,;/|+]| et | and ")
YES = frozenset({"oui", "o", "yes", "y", "1", "x", "vrai", "true"})
NO = frozenset({"non", "n", "no", "0", "faux", "false"})


def phone(text: str, country: str) -> str | Reason:
    """A number of the town's country as people write it there (0612345678, 06.12.34.56.78, +33 6 12 34 56 78
    in France), or of another country with its + and code."""
    found = town_phone(text, country)
    return (
        found if found is not None else Reason("import.reason.bad_phone", {"phone": text, "example": example(country)})
    )


def items(text: str) -> list[str]:
    """The items of a list typed in one cell: "fr, ar", "mardi / jeudi", "repas et ménage"."""
    return [item.strip() for item in _LIST_SEPARATORS.split(f" {text} ") if item.strip()]


def one_of(text: str, known: Mapping[str, str], reason_key: str) -> str | Reason:
    found = known.get(normalise(text))
    return found if found is not None else Reason(reason_key, {"value": text})


def some_of(text: str, known: Mapping[str, str], reason_key: str, order: Iterable[str]) -> tuple[str, ...] | Reason:
    """Several values of one vocabulary, in our order and each once; the first unknown one is the reason."""
    chosen: set[str] = set()
    for item in items(text):
        found = known.get(normalise(item))
        if found is None:
            return Reason(reason_key, {"value": item})
        chosen.add(found)
    return tuple(value for value in order if value in chosen)


def whole_number(text: str, allowed: Iterable[int], reason_key: str) -> int | Reason:
    allowed = tuple(allowed)
    cleaned = text.strip()
    if cleaned.isdigit() and int(cleaned) in allowed:
        return int(cleaned)
    return Reason(reason_key, {"value": text, "allowed": ", ".join(str(n) for n in allowed)})


def yes_no(text: str) -> bool | Reason:
    said = normalise(text)
    if said in YES:
        return True
    if said in NO:
        return False
    return Reason("import.reason.bad_yes_no", {"value": text})
