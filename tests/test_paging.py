"""A long list is made into pages that Telegram accepts: every page within 4,096 characters as Telegram
counts them (measured here by the fake Bot API's own reading of the HTML), every line once, in order, never
split, its tags whole; a line too long for any page is cut where the reader sees it cut."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.paging import MESSAGE_LIMIT, cut, paginate, visible_length
from tests.telegram_html import utf16_length, visible

# Any character a name, an address or a note may hold, emoji beyond the 16-bit plane included; not the
# lone surrogates or control characters no text of the bot can carry.
characters = st.characters(exclude_categories=("Cs", "Cc"))
plain = st.text(characters, max_size=300)
AMPERSAND_PIECES = ("&", "amp", "lt", "gt", "quot", ";", "#", "x", "X", "0", "65", "1114111", "f", "é", "😀")
TAGS = ("b", "i", "u", "s", "code", 'a href="https://www.openstreetmap.org/?a=1&amp;b=2"')


@st.composite
def html_line(draw: st.DrawFn, longest: int = 300) -> str:
    """A line as the bot renders one: text escaped once, some of it inside (nested) tags."""
    text = st.text(characters, max_size=longest).map(lambda t: html.escape(t, quote=False))
    pieces = draw(st.lists(text, min_size=1, max_size=4))
    line = ""
    for piece in pieces:
        for tag in draw(st.lists(st.sampled_from(TAGS), max_size=2)):
            piece = f"<{tag}>{piece}</{tag.split()[0]}>"
        line += piece
    return line


def marker(number: int, count: int) -> str:
    return f"Page {number}/{count}"


def telegram_length(text: str) -> int:
    return utf16_length(visible(text))


@settings(max_examples=150, deadline=None)
@given(html_line())
def test_the_pager_measures_a_line_as_telegram_does(line: str) -> None:
    assert visible_length(line) == telegram_length(line)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(AMPERSAND_PIECES)).map("".join))
def test_the_pager_reads_ampersands_as_telegram_does(text: str) -> None:
    """An "&" that starts no entity Telegram knows stays as it is; the pager counts it the same way."""
    assert visible_length(text) == telegram_length(text)


@settings(max_examples=150, deadline=None)
@given(
    header=plain.filter(str.strip).map(lambda t: "<b>" + html.escape(t[:60], quote=False) + "</b>"),
    lines=st.lists(html_line(), max_size=60) | st.lists(html_line(longest=12), min_size=150, max_size=400),
    footer=plain.map(lambda t: html.escape(t[:60], quote=False)),
    limit=st.integers(400, 700) | st.integers(400, MESSAGE_LIMIT),
    max_lines=st.none() | st.integers(1, 30),
    marked=st.booleans(),
)
def test_any_list_gives_pages_that_all_fit_and_hold_every_line_once_in_order(
    header: str, lines: list[str], footer: str, limit: int, max_lines: int | None, marked: bool
) -> None:
    pages = paginate(header, lines, footer, marker=marker if marked else None, limit=limit, max_lines=max_lines)
    assert [page.number for page in pages] == list(range(1, len(pages) + 1))
    placed = [line for page in pages for line in page.lines]
    assert len(placed) == len(lines)
    for page in pages:
        assert page.count == len(pages)
        assert telegram_length(page.text) <= limit
        assert max_lines is None or len(page.lines) <= max_lines
        assert "\n".join(page.lines) in page.text
    for original, shown in zip(lines, placed, strict=True):
        if shown != original:
            seen = visible(shown)
            assert seen.endswith("…") and visible(original).startswith(seen[:-1])


@settings(max_examples=100, deadline=None)
@given(line=html_line(), room=st.integers(1, 400))
def test_a_line_is_cut_to_its_room_with_its_tags_closed(line: str, room: int) -> None:
    shown = cut(line, room)
    assert telegram_length(shown) <= max(room, 1)
    assert shown == line or visible(line).startswith(visible(shown)[:-1])


def test_a_list_that_fits_is_one_page_without_a_marker() -> None:
    pages = paginate("<b>Semaine 49</b>", ["• Anne &amp; Paul", "• Léa &amp; Hugo"], "Fin", marker=marker)
    assert [page.text for page in pages] == ["<b>Semaine 49</b>\n• Anne &amp; Paul\n• Léa &amp; Hugo\nFin"]


def test_a_long_list_is_paged_with_the_marker_of_each_page() -> None:
    lines = [f"• <b>Visite {n}</b> chez Mme Durand &amp; M. Martin, 12 rue Voltaire" for n in range(400)]
    pages = paginate("<b>Semaine 49</b>", lines, marker=marker)
    assert len(pages) > 1
    assert pages[0].text.startswith("<b>Semaine 49</b>\n• <b>Visite 0</b>")
    assert pages[-1].text.endswith(f"Page {len(pages)}/{len(pages)}")
    assert all(telegram_length(page.text) <= MESSAGE_LIMIT for page in pages)


def test_a_line_longer_than_a_page_is_cut_visibly_and_never_inside_a_tag() -> None:
    line = "<b>" + "é" * 5000 + "</b> <i>fin</i>"
    [page] = paginate("En-tête", [line])
    assert telegram_length(page.text) <= MESSAGE_LIMIT
    assert page.lines[0].endswith("…</b>")


def test_a_header_that_leaves_no_room_for_the_list_is_a_mistake_of_the_caller() -> None:
    with pytest.raises(ValueError, match="leave"):
        paginate("x" * 4000, ["une ligne"])
