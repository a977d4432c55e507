"""Telegram's reading of a message with `parse_mode=HTML` (TELEGRAM_LIMITS.md), as its HTML parser does it:
the text a reader sees, or why Telegram answers 400 "can't parse entities". The fake Bot API reads every text
it is sent through it, and tests read what a screen showed with `visible`.

The rules follow Telegram's own parser (TDLib's `parse_html`, which the Bot API server runs): only the
entities `&lt;`, `&gt;`, `&amp;`, `&quot;` (the semicolon optional) and numeric ones are decoded, any other
`&` stays as it is; a `<` always opens a tag, and only the supported tags are accepted, properly nested and
closed. The descriptions of the refusals are Telegram's, after "Bad Request: can't parse entities: ".

A value escaped twice is not refused but shows `&amp;` to the reader (`escaped_twice`, `double_escaped`); a
button's label is plain text, so any entity in it is a value escaped once too often.

Lengths are counted as Telegram counts them: on the visible text, in UTF-16 code units (an emoji outside the
Basic Multilingual Plane counts two).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fake_bot_api import FakeBotApi, Flag, Refusal

SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# Telegram's is_space: the NUL that ends its C string counts as a space too.
_SPACES = frozenset(" \t\r\n\v\0")
_DIGITS = frozenset("0123456789")
_HEX = _DIGITS | frozenset("abcdefABCDEF")
# Visible text that still reads as an entity was escaped twice: the reader sees "&amp;".
_ESCAPED_AGAIN = re.compile(r"&(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);")


class CannotParse(ValueError):
    """Telegram refuses the text: "Bad Request: can't parse entities: " followed by this message."""


def utf16_length(text: str) -> int:
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def visible(html_text: str) -> str:
    """What the reader sees of an HTML message: tags removed, entities decoded; raises CannotParse
    with Telegram's words where Telegram refuses the markup."""
    return _Parser(html_text).parse()


def escaped_twice(shown: str) -> list[str]:
    """The entities left in text as the reader sees it (each a sign of a value escaped once too often)."""
    return [match.group(0) for match in _ESCAPED_AGAIN.finditer(shown)]


def double_escaped(html_text: str) -> str | None:
    """An entity still there after Telegram decoded the text once: a value escaped twice."""
    left = escaped_twice(visible(html_text))
    return left[0] if left else None


def problems_in(api: FakeBotApi, since: int = 0) -> list[str]:
    """What Telegram refused of the calls made after the `since`-th message of `api.history`, and what it
    accepted but a reader would see escaped twice (texts and button labels)."""
    problems: list[Refusal | Flag] = [*api.refusals, *api.flags]
    return [str(problem) for problem in problems if problem.after >= since]


class _Parser:
    def __init__(self, text: str) -> None:
        # A NUL ends the text as in Telegram's C string, so a lookahead never runs past the end.
        self.text = text + "\0"
        self.end = len(text)

    def byte_offset(self, index: int) -> int:
        return len(self.text[:index].encode("utf-8"))

    def entity(self, pos: int) -> tuple[str, int] | None:
        """The character an entity at `pos` stands for and where the text resumes, or None (kept as is)."""
        text = self.text
        end = pos + 1
        if text[end] == "#":
            end += 1
            hexadecimal = text[end] == "x"
            if hexadecimal:
                end += 1
            digits = _HEX if hexadecimal else _DIGITS
            code = 0
            while text[end] in digits:
                code = code * (16 if hexadecimal else 10) + int(text[end], 16)
                end += 1
                if code >= 0x10FFFF:
                    return None
            if code == 0 or end - pos >= 10:
                return None
            char = chr(code)
        else:
            while text[end].isascii() and text[end].isalpha():
                end += 1
            name = text[pos + 1 : end]
            if name not in _NAMED_ENTITIES:
                return None
            char = _NAMED_ENTITIES[name]
        if text[end] == ";":
            end += 1
        return char, end

    def parse(self) -> str:
        text = self.text
        out: list[str] = []
        open_tags: list[str] = []
        i = 0
        while i < self.end:
            char = text[i]
            if char == "&":
                decoded = self.entity(i)
                if decoded is not None:
                    out.append(decoded[0])
                    i = decoded[1]
                    continue
            if char != "<":
                out.append(char)
                i += 1
                continue
            i = self.start_tag(i, open_tags) if text[i + 1] != "/" else self.end_tag(i, open_tags)
        if open_tags:
            raise CannotParse(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
        return "".join(out)

    def start_tag(self, begin: int, open_tags: list[str]) -> int:
        text = self.text
        i = begin + 1
        while text[i] not in _SPACES and text[i] != ">":
            i += 1
        if i >= self.end:
            raise CannotParse(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        tag = text[begin + 1 : i].lower()
        at = self.byte_offset(begin)
        if tag not in SUPPORTED_TAGS:
            raise CannotParse(f'Unsupported start tag "{tag}" at byte offset {at}')
        span_class = ""
        emoji_id = ""
        while text[i] != ">":
            while i < self.end and text[i] in _SPACES:
                i += 1
            if text[i] == ">":
                break
            name_begin = i
            while text[i] not in _SPACES and text[i] not in "=>":
                i += 1
            name = text[name_begin:i]
            if not name:
                raise CannotParse(f'Empty attribute name in the tag "{tag}" at byte offset {at}')
            while i < self.end and text[i] in _SPACES:
                i += 1
            if text[i] != "=":
                if tag == "blockquote" and name.lower() == "expandable":
                    continue
                raise CannotParse(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" at byte offset {at}'
                )
            i += 1
            while i < self.end and text[i] in _SPACES:
                i += 1
            if i >= self.end:
                raise CannotParse(f'Unclosed start tag "{tag}" at byte offset {at}')
            value, i = self.attribute_value(i)
            if i >= self.end:
                raise CannotParse(f"Unclosed start tag at byte offset {at}")
            if tag == "span" and name == "class":
                span_class = value
            if tag == "tg-emoji" and name == "emoji-id":
                emoji_id = value
        if tag == "span" and span_class != "tg-spoiler":
            raise CannotParse(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
        if tag == "tg-emoji" and not (emoji_id.isascii() and emoji_id.isdigit() and int(emoji_id) > 0):
            raise CannotParse("Invalid custom emoji identifier specified")
        open_tags.append(tag)
        return i + 1

    def attribute_value(self, i: int) -> tuple[str, int]:
        text = self.text
        quote = text[i]
        if quote not in "'\"":
            begin = i
            while text[i].isascii() and (text[i].isalnum() or text[i] in ".-"):
                i += 1
            if text[i] not in _SPACES and text[i] != ">":
                raise CannotParse(f"Unexpected end of name token at byte offset {self.byte_offset(begin)}")
            return text[begin:i].lower(), i
        i += 1
        value: list[str] = []
        while i < self.end and text[i] != quote:
            if text[i] == "&":
                decoded = self.entity(i)
                if decoded is not None:
                    value.append(decoded[0])
                    i = decoded[1]
                    continue
            value.append(text[i])
            i += 1
        if text[i] == quote:
            i += 1
        return "".join(value), i

    def end_tag(self, begin: int, open_tags: list[str]) -> int:
        text = self.text
        at = self.byte_offset(begin)
        if not open_tags:
            raise CannotParse(f"Unexpected end tag at byte offset {at}")
        i = begin + 2
        while text[i] not in _SPACES and text[i] != ">":
            i += 1
        name = text[begin + 2 : i].lower()
        while i < self.end and text[i] in _SPACES:
            i += 1
        if text[i] != ">":
            raise CannotParse(f"Unclosed end tag at byte offset {at}")
        expected = open_tags[-1]
        if name and name != expected:
            raise CannotParse(f'Unmatched end tag at byte offset {at}, expected "</{expected}>", found "</{name}>"')
        open_tags.pop()
        return i + 1
