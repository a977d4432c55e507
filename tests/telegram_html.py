"""What Telegram makes of a text sent with parse_mode=HTML (docs: TELEGRAM_LIMITS.md): the text a reader
sees, or why Telegram answers 400 "can't parse entities". Only Telegram's tags, properly nested and closed; a
`<` that opens no such tag is refused; `&lt;`, `&gt;`, `&amp;`, `&quot;` and numeric entities are decoded.

A value escaped twice is not refused by Telegram but shows `&amp;` to the reader: `double_escaped` finds it,
for texts whose values never hold an entity of their own. A button's label is plain text: any entity in it is
a value escaped once too often.

(The fake Bot API is being taught to answer like Telegram to malformed HTML; until it does, tests read what
it received through `problems_in`, the one place to change when it does.)"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from tests.fake_bot_api import FakeBotApi, Sent

TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "tg-emoji", "code", "pre"}
    | {"blockquote"}
)
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
LEFT_ESCAPED = re.compile(r"&(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);")
# Methods whose text (or caption) Telegram parses as HTML.
PARSED = frozenset({"sendMessage", "editMessageText", "sendDocument", "sendPhoto"})


class CannotParse(ValueError):
    """Telegram's 400 "Bad Request: can't parse entities: ..."."""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.seen: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            raise CannotParse(f'Unsupported start tag "{tag}"')
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            raise CannotParse('Unsupported start tag "span"')
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise CannotParse(f'Unsupported start tag "{tag}/"')

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            raise CannotParse(f'Unmatched end tag "{tag}"')
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data:
            raise CannotParse("Unsupported start tag: an unescaped <")
        self.seen.append(data)

    def handle_entityref(self, name: str) -> None:
        self.seen.append(NAMED.get(name, f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.seen.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        raise CannotParse("Unsupported start tag: a comment")

    def handle_decl(self, decl: str) -> None:
        raise CannotParse("Unsupported start tag: a declaration")

    def handle_pi(self, data: str) -> None:
        raise CannotParse("Unsupported start tag: a processing instruction")

    def unknown_decl(self, data: str) -> None:
        raise CannotParse("Unsupported start tag: a declaration")


def visible(text: str) -> str:
    """The text a reader sees; CannotParse when Telegram would refuse it."""
    parser = _Parser()
    parser.feed(text)
    parser.close()
    if parser.rawdata:
        raise CannotParse("Unsupported start tag: an unescaped <")
    if parser.open:
        raise CannotParse(f'Can\'t find end tag corresponding to start tag "{parser.open[-1]}"')
    return "".join(parser.seen)


def double_escaped(text: str) -> str | None:
    """An entity still there after Telegram decoded the text once: a value escaped twice."""
    found = LEFT_ESCAPED.search(visible(text))
    return found.group(0) if found else None


def problems_in(api: FakeBotApi, since: int = 0) -> list[str]:
    """Every message of `api.history[since:]` Telegram would refuse, or that shows a value escaped twice; and
    every button whose label shows an escaped value (Telegram does not parse labels: `&amp;` shows as is)."""
    found = []
    for sent in api.history[since:]:
        for button in sent.buttons():
            left = LEFT_ESCAPED.search(str(button.get("text", "")))
            if left is not None:
                found.append(f"{_where(sent)}: button escaped ({left.group(0)}): {button.get('text')!r}")
        if sent.method not in PARSED:
            continue
        try:
            left = double_escaped(sent.text)
        except CannotParse as exc:
            found.append(f"{_where(sent)}: can't parse entities: {exc}: {sent.text[:300]!r}")
            continue
        if left is not None:
            found.append(f"{_where(sent)}: escaped twice ({left}): {sent.text[:300]!r}")
    return found


def _where(sent: Sent) -> str:
    return f"{sent.method} to {sent.chat_id}"
