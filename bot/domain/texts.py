"""Free text someone typed (a note, who the person is, a question, a name), read the same way everywhere: what
was kept, or why it was refused."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Written:
    """The text kept, trimmed."""

    text: str


@dataclass(frozen=True, slots=True)
class TooLong:
    limit: int


@dataclass(frozen=True, slots=True)
class NoWords:
    """Only spaces, emoji or punctuation: nothing anyone could read."""


TextOutcome = Written | TooLong | NoWords


def written(raw: str, limit: int, *, one_line: bool = False) -> TextOutcome:
    """`raw` trimmed (on one line when asked: a name, who someone is), if it is at most `limit` characters
    and holds a letter or a digit."""
    text = " ".join(raw.split()) if one_line else raw.strip()
    if len(text) > limit:
        return TooLong(limit)
    if not any(char.isalnum() for char in text):
        return NoWords()
    return Written(text)
