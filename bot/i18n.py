"""Messages from the babel catalogues in locales/, chosen per user; dates and numbers in their locale.

Catalogues are read from the .po files and compiled in memory at start, so a fresh clone needs no build
step. Message ids are stable keys ("start.welcome"), so a missing translation is visible and testable.
"""

from __future__ import annotations

import functools
import gettext
import html
import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

# A link to the repository's locales/ in a clone, the folder itself in the installed package (pyproject).
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
SUPPORTED = ("fr", "en")


class Translator:
    """The messages of one language, with placeholders filled by keyword."""

    def __init__(
        self, language: str, translations: gettext.GNUTranslations, keys: frozenset[str] = frozenset()
    ) -> None:
        self.language = language
        self._translations = translations
        self._keys = keys

    def __call__(self, key: str, /, **params: object) -> str:
        """Messages are sent as Telegram HTML, so text coming from users is escaped here, once; a message
        rendered here is itself safe, and placed as it is into another."""
        text = self._translations.gettext(key)
        if not params:
            return Safe(text)
        return Safe(text.format(**{name: _escaped(value) for name, value in params.items()}))

    def family(self, prefixes: tuple[str, ...]) -> dict[str, str]:
        """Every message whose key starts with one of the prefixes, as written (no placeholder filled): what a
        page in this language shows, served from the same catalogues as the chat."""
        return {key: self._translations.gettext(key) for key in sorted(self._keys) if key.startswith(prefixes)}

    def plain(self, key: str, /, **params: object) -> str:
        """Text shown as it is, not parsed as HTML: a terminal's line, or a button's label (Telegram shows it as
        plain text, so an escaped name would show its `&amp;`). Placeholders are filled, nothing is escaped."""
        return self._translations.gettext(key).format(**params)

    # A button's label is such text: the name says where it goes.
    label = plain

    def plain_plural(self, key: str, count: int, /, **params: object) -> str:
        return self._translations.ngettext(key, key, count).format(count=count, **params)

    def plural(self, key: str, count: int, /, **params: object) -> str:
        text = self._translations.ngettext(key, key, count)
        return Safe(text.format(count=count, **{name: _escaped(value) for name, value in params.items()}))

    def format_date(self, value: date, fmt: str = "full") -> str:
        return str(format_date(value, format=fmt, locale=self.language))

    def format_datetime(self, value: datetime, fmt: str = "medium") -> str:
        return str(format_datetime(value, format=fmt, locale=self.language))

    def format_time(self, value: datetime, fmt: str = "short") -> str:
        return str(format_time(value, format=fmt, locale=self.language))

    def format_percent(self, share: float) -> str:
        """0.25 -> "25 %" in French, "25%" in English."""
        return str(format_percent(share, locale=self.language))

    def format_tenths(self, value: float) -> str:
        """3.75 -> "3,8" in French, "3.8" in English."""
        return str(format_decimal(value, format="0.0", locale=self.language))


class Safe(str):
    """Telegram HTML as it is to be sent: a message rendered from the catalogue (its values escaped once), or
    rendered messages joined. Placed into another message as it is, never escaped again; any other text is a
    value and is escaped."""

    __slots__ = ()


def _escaped(value: object) -> object:
    if isinstance(value, Safe) or not isinstance(value, str):
        return value
    return html.escape(value, quote=False)


def load_catalogue(language: str, locales_dir: Path = LOCALES_DIR) -> Translator:
    with (locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    keys = frozenset(str(message.id) for message in catalogue if isinstance(message.id, str) and message.id)
    return Translator(language, gettext.GNUTranslations(buffer), keys)


@functools.cache
def translator(language: str) -> Translator:
    """One language alone: what the command line speaks, without compiling every catalogue."""
    return load_catalogue(language)


def english() -> Translator:
    return translator("en")


class Translations:
    def __init__(self, default_language: str, locales_dir: Path = LOCALES_DIR) -> None:
        self.default_language = default_language
        self._by_language = {language: load_catalogue(language, locales_dir) for language in SUPPORTED}

    def pick(self, chosen: str | None, telegram_language_code: str | None) -> Translator:
        """The stored choice wins, then Telegram's language ("en-GB" -> "en"), then the town's default."""
        for candidate in (chosen, (telegram_language_code or "").split("-")[0].lower()):
            if candidate in self._by_language:
                return self._by_language[candidate]
        return self._by_language[self.default_language]

    def get(self, language: str) -> Translator:
        return self._by_language.get(language, self._by_language[self.default_language])


Gettext = Callable[..., str]
