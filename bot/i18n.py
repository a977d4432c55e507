"""Messages from the babel catalogues in locales/, chosen per user; dates and numbers in their locale.

Catalogues are read from the .po files and compiled in memory at start, so a fresh clone needs no build
step. Message ids are stable keys ("start.welcome"), so a missing translation is visible and testable.
"""

from __future__ import annotations

import functools
import gettext
import html
import io
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

# A link to the repository's locales/ in a clone, the folder itself in the installed package (pyproject).
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
# French first (the default), then the languages of the Breaking Isolation network's towns. "cnr" is
# Montenegrin in Latin script: babel reads it as sr_Latn_ME (CLDR's Montenegrin data).
SUPPORTED = ("fr", "en", "it", "es", "pt", "ro", "el", "sl", "da", "hu", "cnr")
# Telegram sends the language of the user's app as an IETF tag ("pt-BR", "sr-Latn-ME"). Telegram has no
# Montenegrin app: a reader from Montenegro runs it in Serbian, Croatian or Bosnian (or a custom "cnr" or
# "sr-Latn-ME" pack); the four are one mutually intelligible language, so they all read the Montenegrin
# catalogue rather than the town's default.
NEIGHBOURING = {"sr": "cnr", "hr": "cnr", "bs": "cnr"}
# The CLDR locale a catalogue follows for plural forms, dates and numbers, where its bare code names another
# country's: CLDR's "pt" is Brazil's, where 0 takes the singular ("0 visita"); the network's town is in Portugal.
_CLDR_LOCALE = {"pt": "pt_PT"}
# Counts that meet every CLDR plural category of our languages (zero to few, many for a million).
_SAMPLE_COUNTS = (*range(0, 112), 1_000_000)


def cldr_locale(language: str) -> str:
    """The babel locale identifier of a catalogue's language ("pt_PT" for "pt", "sr_Latn_ME" for "cnr")."""
    return str(Locale.parse(_CLDR_LOCALE.get(language, language)))


class _Reader:
    """The default of `about=`: the sentence agrees with whoever reads it."""


READER = _Reader()


class Translator:
    """The messages of one language, with placeholders filled by keyword.

    A message may agree with a woman or a man: its catalogue then has entries with the context "feminine" and
    "masculine" beside the one without context, worded so that it needs no agreement (the one shown when the
    gender is not known). `about=` names whom the sentence speaks of; without it, the sentence agrees with
    the reader, whose gender the translator may know (`agreeing`)."""

    def __init__(
        self,
        language: str,
        translations: gettext.GNUTranslations,
        keys: frozenset[str] = frozenset(),
        plural_keys: frozenset[str] = frozenset(),
        reader: str | None = None,
    ) -> None:
        self.language = language
        self._translations = translations
        self._keys = keys
        self._plural_keys = plural_keys
        self._reader = reader

    def agreeing(self, reader: str | None) -> Translator:
        """The same messages, agreeing with a reader who is a woman ("feminine") or a man ("masculine")."""
        return Translator(self.language, self._translations, self._keys, self._plural_keys, reader)

    def __call__(self, key: str, /, *, about: str | _Reader | None = READER, **params: object) -> str:
        """Messages are sent as Telegram HTML, so text coming from users is escaped here, once; a message
        rendered here is itself safe, and placed as it is into another. A parameter named `count` is the
        number a plural message agrees with: such a message takes its plural form."""
        if "count" in params:
            count = params.pop("count")
            assert isinstance(count, int), f"{key}: count must be a whole number"
            return self.plural(key, count, about=about, **params)
        text = self._text(key, self._context(about))
        if not params:
            return Safe(text)
        return Safe(self._filled(text, params, _escaped))

    def _context(self, about: str | _Reader | None) -> str | None:
        return self._reader if isinstance(about, _Reader) else about

    def _text(self, key: str, context: str | None) -> str:
        if context is not None:
            found = self._translations.pgettext(context, key)
            if found != key:
                return found
        return self._translations.gettext(key)

    def _plural_text(self, key: str, count: int, context: str | None) -> str:
        if context is not None:
            found = self._translations.npgettext(context, key, key, count)
            if found != key:
                return found
        return self._translations.ngettext(key, key, count)

    def _filled(self, text: str, params: Mapping[str, object], shown: Callable[[object], object]) -> str:
        if self.language == "fr":
            text, params = french_elision(text, params)
        return text.format(**{name: shown(value) for name, value in params.items()})

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
    def locale(self) -> str:
        """The CLDR locale of dates, numbers and plural forms in this language."""
        return cldr_locale(self.language)

    @property
    def plural_locale(self) -> str:
        """The BCP 47 tag whose plural rules the catalogue follows ("sr-Latn-ME" for Montenegrin)."""
        return self.locale.replace("_", "-")

    def _forms(self, key: str) -> dict[str, str]:
        rule = Locale.parse(self.locale).plural_form
        forms: dict[str, str] = {}
        for count in _SAMPLE_COUNTS:
            forms.setdefault(rule(count), self._translations.ngettext(key, key, count))
        return forms

    def plain(self, key: str, /, **params: object) -> str:
        """Text shown as it is, not parsed as HTML: a terminal's line, or a button's label (Telegram shows it as
        plain text, so an escaped name would show its `&amp;`). Placeholders are filled, nothing is escaped. A
        `count` picks the plural form, as in a message."""
        return self._unescaped(key, self._context(READER), params)

    def label(self, key: str, /, *, about: str | _Reader | None = READER, **params: object) -> str:
        """A button's label: plain text, agreeing with whom `about` names (by default, the reader)."""
        return self._unescaped(key, self._context(about), params)

    def plain_plural(self, key: str, count: int, /, **params: object) -> str:
        return self._unescaped(key, self._context(READER), {"count": count, **params})

    def _unescaped(self, key: str, context: str | None, params: Mapping[str, object]) -> str:
        if "count" in params:
            count = params["count"]
            assert isinstance(count, int), f"{key}: count must be a whole number"
            return self._filled(self._plural_text(key, count, context), params, _as_is)
        return self._filled(self._text(key, context), params, _as_is)

    def plural(self, key: str, count: int, /, *, about: str | _Reader | None = READER, **params: object) -> str:
        """The form the language's plural rule (CLDR, through babel) picks for `count`: "1 binôme",
        "2 binômes"; in Slovenian four forms, in Hungarian one text."""
        text = self._plural_text(key, count, self._context(about))
        return Safe(self._filled(text, {"count": count, **params}, _escaped))

    def format_date(self, value: date, fmt: str = "full") -> str:
        return str(format_date(value, format=fmt, locale=self.locale))

    def format_datetime(self, value: datetime, fmt: str = "medium") -> str:
        return str(format_datetime(value, format=fmt, locale=self.locale))

    def format_time(self, value: datetime, fmt: str = "short") -> str:
        return str(format_time(value, format=fmt, locale=self.locale))

    def format_percent(self, share: float) -> str:
        """0.25 -> "25 %" in French, "25%" in English."""
        return str(format_percent(share, locale=self.locale))

    def format_decimal(self, value: float, pattern: str) -> str:
        """3.675 with "0.##" -> "3,68" in French, "3.68" in English."""
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def format_tenths(self, value: float) -> str:
        """3.75 -> "3,8" in French, "3.8" in English."""
        return str(format_decimal(value, format="0.0", locale=self.locale))


class Safe(str):
    """Telegram HTML as it is to be sent: a message rendered from the catalogue (its values escaped once), or
    rendered messages joined. Placed into another message as it is, never escaped again; any other text is a
    value and is escaped."""

    __slots__ = ()


_TAGS = re.compile(r"</?[a-z][^>]*>")


def plain(text: str) -> str:
    """A catalogue's text (Telegram HTML) as people read it elsewhere, in a terminal or a spreadsheet."""
    return html.unescape(_TAGS.sub("", text))


def _escaped(value: object) -> object:
    if isinstance(value, Safe) or not isinstance(value, str):
        return value
    return html.escape(value, quote=False)


def _as_is(value: object) -> object:
    return value


# French drops the vowel of "de", "que", "jusque" before a vowel or a mute h: "d'Agen", "qu'Anne",
# "jusqu'à"; "de" and "à" merge with the article of a town's name: "du Mans", "aux Ulis".
_BEFORE_VALUE = re.compile(r"(?<![\w'’])([Dd]e|[Qq]ue|[Jj]usque|[Àà]) \{(\w+)\}")
_ELIDING = re.compile(r"[aeiouyhàâäéèêëîïôöùûüœæ]", re.IGNORECASE)
_CONTRACTED = {("de", "Le"): "du", ("de", "Les"): "des", ("à", "Le"): "au", ("à", "Les"): "aux"}
# Only a town's name is read for its article: "Le Goff" is a surname, not "the Goff".
_WITH_ARTICLE = frozenset({"town"})


def french_elision(template: str, values: Mapping[str, object]) -> tuple[str, dict[str, object]]:
    """The French template with "de {town}" written "d'{town}" when the town is Agen, "du {town}" with "Mans"
    when it is Le Mans, and so on for each placeholder a word elides or contracts before; the values to fill
    it with (a contracted town loses its article)."""
    filled: dict[str, object] = dict(values)

    def rewritten(found: re.Match[str]) -> str:
        word, name = found.group(1), found.group(2)
        value = str(values[name]) if isinstance(values.get(name), str) else ""
        article, _space, rest = value.partition(" ")
        contracted = _CONTRACTED.get((word.lower(), article)) if name in _WITH_ARTICLE and rest else None
        if contracted is not None:
            alias = f"{name}__{found.start()}"
            filled[alias] = Safe(rest) if isinstance(values[name], Safe) else rest
            return f"{contracted if word[0].islower() else contracted.capitalize()} {{{alias}}}"
        if word.lower() in ("de", "que", "jusque") and _ELIDING.match(value):
            return f"{word[:-1]}'{{{name}}}"
        return found.group(0)

    return _BEFORE_VALUE.sub(rewritten, template), filled


def load_catalogue(language: str, locales_dir: Path = LOCALES_DIR) -> Translator:
    with (locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        catalogue = read_po(handle, locale=cldr_locale(language))
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    keys = frozenset(str(message.id) for message in catalogue if isinstance(message.id, str) and message.id)
    plural_keys = frozenset(str(message.id[0]) for message in catalogue if isinstance(message.id, tuple))
    return Translator(language, gettext.GNUTranslations(buffer), keys, plural_keys)


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
