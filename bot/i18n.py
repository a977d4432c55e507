"""Messages from the babel catalogues in locales/, chosen per user; dates and numbers in their locale.

Catalogues are read from the .po files and compiled in memory at start, so a fresh clone needs no build
step. Message ids are stable keys ("start.welcome"), so a missing translation is visible and testable.
"""

from __future__ import annotations

import gettext
import html
import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
# French first (the default), then the languages of the Breaking Isolation network's towns. "cnr" is
# Montenegrin in Latin script: babel reads it as sr_Latn_ME (CLDR's Montenegrin data).
SUPPORTED = ("fr", "en", "it", "es", "pt", "ro", "el", "sl", "da", "hu", "cnr")
# Telegram sends the language of the user's app as an IETF tag ("pt-BR", "sr-Latn-ME"). Telegram has no
# Montenegrin app: a reader from Montenegro runs it in Serbian, Croatian or Bosnian (or a custom "cnr" or
# "sr-Latn-ME" pack); the four are one mutually intelligible language, so they all read the Montenegrin
# catalogue rather than the town's default.
NEIGHBOURING = {"sr": "cnr", "hr": "cnr", "bs": "cnr"}
# Counts that meet every CLDR plural category of our languages (zero to few, many for a million).
_SAMPLE_COUNTS = (*range(0, 112), 1_000_000)


class Translator:
    """The messages of one language, with placeholders filled by keyword."""

    def __init__(
        self,
        language: str,
        translations: gettext.GNUTranslations,
        keys: frozenset[str] = frozenset(),
        plural_keys: frozenset[str] = frozenset(),
    ) -> None:
        self.language = language
        self._translations = translations
        self._keys = keys
        self._plural_keys = plural_keys

    def __call__(self, key: str, /, **params: object) -> str:
        """Messages are sent as Telegram HTML, so text coming from users is escaped here, once. A parameter
        named `count` is the number a plural message agrees with: such a message takes its plural form."""
        if "count" in params:
            count = params.pop("count")
            assert isinstance(count, int), f"{key}: count must be a whole number"
            return self.plural(key, count, **params)
        text = self._translations.gettext(key)
        if not params:
            return text
        return text.format(**{name: _escaped(value) for name, value in params.items()})

    def family(self, prefixes: tuple[str, ...]) -> dict[str, str | dict[str, str]]:
        """Every message whose key starts with one of the prefixes, as written (no placeholder filled): what a
        page in this language shows, served from the same catalogues as the chat. A message with plural forms
        gives each form under its CLDR category ("one", "few", "other"…), which the page picks with the
        browser's Intl.PluralRules."""
        found: dict[str, str | dict[str, str]] = {}
        for key in sorted(self._keys | self._plural_keys):
            if key.startswith(prefixes):
                found[key] = self._translations.gettext(key) if key not in self._plural_keys else self._forms(key)
        return found

    @property
    def plural_locale(self) -> str:
        """The BCP 47 tag whose plural rules the catalogue follows ("sr-Latn-ME" for Montenegrin)."""
        return str(Locale.parse(self.language)).replace("_", "-")

    def _forms(self, key: str) -> dict[str, str]:
        rule = Locale.parse(self.language).plural_form
        forms: dict[str, str] = {}
        for count in _SAMPLE_COUNTS:
            forms.setdefault(rule(count), self._translations.ngettext(key, key, count))
        return forms

    def label(self, key: str, /, **params: object) -> str:
        """A button's label: Telegram shows it as plain text, so nothing in it is escaped (an escaped name
        would show its `&amp;`). A `count` picks the plural form, as in a message."""
        if "count" in params:
            count = params["count"]
            assert isinstance(count, int), f"{key}: count must be a whole number"
            return self._translations.ngettext(key, key, count).format(**params)
        return self._translations.gettext(key).format(**params)

    def plural(self, key: str, count: int, /, **params: object) -> str:
        """The form the language's plural rule (CLDR, through babel) picks for `count`: "1 binôme",
        "2 binômes"; in Slovenian four forms, in Hungarian one text."""
        text = self._translations.ngettext(key, key, count)
        return text.format(count=count, **{name: _escaped(value) for name, value in params.items()})

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


class Safe:
    """Text already rendered from the catalogue (and so already escaped), placed into another message."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)

    def __str__(self) -> str:
        return self.text


def _escaped(value: object) -> object:
    return html.escape(value, quote=False) if isinstance(value, str) else value


def load_catalogue(language: str, locales_dir: Path = LOCALES_DIR) -> Translator:
    with (locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    keys = frozenset(str(message.id) for message in catalogue if isinstance(message.id, str) and message.id)
    plural_keys = frozenset(str(message.id[0]) for message in catalogue if isinstance(message.id, tuple))
    return Translator(language, gettext.GNUTranslations(buffer), keys, plural_keys)


class Translations:
    def __init__(self, default_language: str, locales_dir: Path = LOCALES_DIR) -> None:
        self.default_language = default_language
        self._by_language = {language: load_catalogue(language, locales_dir) for language in SUPPORTED}

    def pick(self, chosen: str | None, telegram_language_code: str | None) -> Translator:
        """The stored choice wins, then Telegram's language ("en-GB" -> "en", "hr" -> "cnr"), then the
        town's default."""
        for candidate in (chosen, catalogue_for(telegram_language_code)):
            if candidate in self._by_language:
                return self._by_language[candidate]
        return self._by_language[self.default_language]

    def get(self, language: str) -> Translator:
        return self._by_language.get(language, self._by_language[self.default_language])


def catalogue_for(language_tag: str | None) -> str | None:
    """The catalogue for an IETF language tag as Telegram sends it, or None when we have none: the primary
    subtag decides ("pt-BR" reads European Portuguese, "sr-Latn-ME" and "hr" read Montenegrin)."""
    primary = (language_tag or "").replace("_", "-").split("-")[0].lower()
    found = NEIGHBOURING.get(primary, primary)
    return found if found in SUPPORTED else None


def telegram_languages(language: str) -> tuple[str, ...]:
    """The two-letter codes Telegram's setMyCommands accepts for a catalogue's readers (ISO 639-1 only)."""
    if len(language) == 2:
        return (language,)
    return tuple(code for code, catalogue in NEIGHBOURING.items() if catalogue == language and len(code) == 2)


Gettext = Callable[..., str]
