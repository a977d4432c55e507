"""A long list made into pages that each fit one Telegram message.

The lines come rendered and escaped (Telegram HTML built from the catalogues); a line is never split
between pages nor inside its tags. Lengths are counted as Telegram counts them: on the text the reader
sees (tags removed, entities decoded), in UTF-16 code units. A line too long for any page alone is cut
where the reader sees it cut ("…"), its open tags closed.

Pure: no Telegram, no storage. The page buttons (‹ ›) are the caller's; what the pager keeps room for is
the text of the page marker ("2/5"), given by the caller in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

MESSAGE_LIMIT = 4096
"""Telegram's longest message text, in UTF-16 code units of the visible text."""
MIN_ROOM = 200
"""Header, footer and marker must leave at least this much of a page to the list."""
ELLIPSIS = "…"

# What Telegram's HTML parser reads as one unit: a tag, an entity (the semicolon optional; a name is read
# to its last letter, so "&ltx" is no entity) or a character.
_TOKEN = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>|&(?:(?:lt|gt|amp|quot)(?![a-zA-Z])|#\d+|#x[0-9a-fA-F]+);?|.", re.S
)
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_LONGEST_NUMERIC = 10
"""Telegram reads no numeric entity of ten characters or more (from the "&", the semicolon aside)."""


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    """From 1."""
    count: int
    text: str
    lines: tuple[str, ...]
    """The list's lines on this page, as placed (a line too long alone is cut)."""


def _units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def _shown(token: str) -> str:
    """What the reader sees of a token that is not a tag: an entity decoded, or the text as it is."""
    if not token.startswith("&") or len(token) == 1:
        return token
    body = token[1:].removesuffix(";")
    if not body.startswith("#"):
        return _NAMED[body]
    code = int(body[2:], 16) if body.startswith("#x") else int(body[1:])
    if code == 0 or code >= 0x10FFFF or len(body) + 1 >= _LONGEST_NUMERIC:
        return token
    return chr(code)


def visible_length(text: str) -> int:
    """The length Telegram measures: UTF-16 code units of the text once tags are removed and entities decoded."""
    return sum(
        _units(char) for match in _TOKEN.finditer(text) if match.group(2) is None for char in _shown(match.group(0))
    )


def cut(line: str, room: int) -> str:
    """The line shortened to `room` visible units, ending with "…" and every tag it opened closed."""
    if visible_length(line) <= room:
        return line
    kept: list[str] = []
    open_tags: list[str] = []
    used = 0
    budget = room - len(ELLIPSIS)
    for match in _TOKEN.finditer(line):
        token = match.group(0)
        closing, tag = match.group(1), match.group(2)
        if tag is not None:
            if closing:
                if open_tags:
                    open_tags.pop()
            else:
                open_tags.append(tag.lower())
            kept.append(token)
            continue
        width = sum(_units(char) for char in _shown(token))
        if used + width > budget:
            break
        kept.append(token)
        used += width
    # Tags opened after the cut point are dropped with their text: only what was opened is closed.
    while kept and kept[-1].startswith("<") and not kept[-1].startswith("</") and kept[-1] != "<":
        kept.pop()
        open_tags.pop()
    return "".join(kept) + ELLIPSIS + "".join(f"</{tag}>" for tag in reversed(open_tags))


def paginate(
    header: str,
    lines: Sequence[str],
    footer: str = "",
    *,
    marker: Callable[[int, int], str] | None = None,
    limit: int = MESSAGE_LIMIT,
    max_lines: int | None = None,
) -> list[Page]:
    """Pages of `header`, as many lines as fit, `footer` and the marker of the page (`marker(number, count)`),
    joined by line breaks; every page within `limit` visible units, at most `max_lines` lines each (a page
    whose lines each carry a button must stay under Telegram's 100 buttons). Always at least one page."""
    fixed = [part for part in (header, footer) if part]
    # The marker's length is known once the pages are counted; reserve the longest it can be.
    widest = marker(max(len(lines), 1), max(len(lines), 1)) if marker else ""
    room = limit - visible_length("\n".join([*fixed, widest])) - (1 if fixed or widest else 0)
    if room < MIN_ROOM:
        raise ValueError(f"header, footer and marker leave {room} of {limit} characters to the list")
    chunks: list[list[str]] = [[]]
    used = 0  # the visible length of the current page's lines, joined
    for raw in lines:
        line = cut(raw, room)
        width = visible_length(line)
        current = chunks[-1]
        full = max_lines is not None and len(current) >= max_lines
        if current and (used + 1 + width > room or full):
            chunks.append([line])
            used = width
        else:
            current.append(line)
            used = used + 1 + width if len(current) > 1 else width
    count = len(chunks)
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        parts = [header, "\n".join(chunk), footer, marker(number, count) if marker and count > 1 else ""]
        pages.append(Page(number, count, "\n".join(part for part in parts if part), tuple(chunk)))
    return pages
