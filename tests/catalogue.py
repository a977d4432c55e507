"""What the bot says, read from its own catalogues: tests expect a key's text in the reader's language, with the
parameters they know, instead of copying French fragments, so that rewording a message changes no test.

    await marie.expect(says("report.saved", reference="S-2026-0001"))   # the parameters given must be these
    await marie.expect(says("report.saved"))                            # the others match any text
    text_of("fr", "report.saved", reference="S-2026-0001")              # exactly what the bot renders

A parameter may itself be `says(...)`, for a message that embeds another one (a label, a kind, a status).
"""

from __future__ import annotations

import gettext
import html
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n import DOMAIN, LOCALES_DIR, Safe, Translations, cldr_locale, french_elision

DEFAULT_LANGUAGE = "fr"  # the town's default in the tests' settings, as in the bot's
_ANY = r"[\s\S]*?"  # a parameter the test does not know: any text, newlines included, as short as possible


@dataclass(frozen=True)
class Says:
    """A catalogue message as a person would read it, with the parameters the test knows."""

    key: str
    params: tuple[tuple[str, object], ...] = ()
    about: str | None = None
    """The grammatical context the message agrees with ("feminine", "masculine"), None for its neutral wording."""

    def pattern(self, language: str) -> re.Pattern[str]:
        return _compiled(self, language)

    def found_in(self, text: str, language: str) -> bool:
        return self.pattern(language).search(text) is not None

    def __str__(self) -> str:
        known = ", ".join(f"{name}={value!s}" for name, value in self.params)
        return f"says({self.key!r}{', ' if known else ''}{known})"


def says(key: str, /, *, about: str | None = None, **params: object) -> Says:
    """The message `key`, its parameters `params` (those not given match anything); `about` picks the wording
    agreeing with a woman ("feminine") or a man ("masculine"), which the catalogue must have."""
    _message(DEFAULT_LANGUAGE, key, about)  # a typo in a key fails here, not after a 15-second wait
    return Says(key, tuple(sorted(params.items())), about)


def family(prefix: str) -> tuple[Says, ...]:
    """Every message whose key starts with `prefix` ("report.status."), for what one of them may say."""
    return tuple(says(str(m.id)) for m in _catalogue(DEFAULT_LANGUAGE) if m.id and str(m.id).startswith(prefix))


Fragment = str | Says
"""What a person looks for in their chat: a catalogue message, or a piece of data (a name, a reference)."""


def shows(text: str, fragment: Fragment, language: str) -> bool:
    """Whether a message shows the fragment: data case-insensitively, a catalogue message as it is rendered."""
    if isinstance(fragment, Says):
        return fragment.found_in(text, language)
    return fragment.lower() in text.lower()


def text_of(language: str, key: str, /, *, about: str | None = None, **params: object) -> str:
    """The message exactly as the bot renders it for a reader of `language` (every parameter given)."""
    return _rendered(language, Says(key, tuple(sorted(params.items())), about))


def _rendered(language: str, said: Says) -> str:
    rendered = {
        name: Safe(_rendered(language, value)) if isinstance(value, Says) else value for name, value in said.params
    }
    translator = _translations().get(language)
    if _message(language, said.key, said.about).pluralizable:
        count = rendered.pop("count")
        assert isinstance(count, int), f"{said.key} needs a whole count"
        return translator.plural(said.key, count, about=said.about, **rendered)
    return translator(said.key, about=said.about, **rendered)


def is_in(language: str, key: str) -> bool:
    """Whether the catalogue of `language` has a text for `key`."""
    found = _catalogue(language).get(key)
    return found is not None and bool(found.string)


def reader_language(telegram_language_code: str) -> str:
    """The language the bot picks for a newcomer whose Telegram speaks `telegram_language_code`."""
    return _translations().pick(None, telegram_language_code).language


@cache
def _translations() -> Translations:
    return Translations(DEFAULT_LANGUAGE)


@cache
def _catalogue(language: str) -> Catalog:
    with (LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return read_po(handle, locale=cldr_locale(language))


@cache
def _message(language: str, key: str, about: str | None = None) -> _Message:
    if not is_in(language, key):
        raise KeyError(f"{key!r} is not in the {language} catalogue")
    catalogue = _catalogue(language)
    found = catalogue.get(key, context=about)
    if found is None:
        raise KeyError(f"{key!r} has no {about} wording in the {language} catalogue")
    text = found.string
    forms = tuple(str(form) for form in text) if isinstance(text, tuple | list) else (str(text),)
    return _Message(forms, found.pluralizable, gettext.c2py(catalogue.plural_expr))


@dataclass(frozen=True)
class _Message:
    forms: tuple[str, ...]
    pluralizable: bool
    plural_form: Callable[[int], int]
    """Which form a count takes, from the catalogue's Plural-Forms."""

    def forms_for(self, count: object) -> tuple[str, ...]:
        """The form a known count takes; every form when the count is not known."""
        if self.pluralizable and isinstance(count, int):
            return (self.forms[self.plural_form(count)],)
        return self.forms


@cache
def _compiled(said: Says, language: str) -> re.Pattern[str]:
    return re.compile(_source(said, language))


def _source(said: Says, language: str) -> str:
    """A regular expression for the message: its own text literally, the parameters known as rendered, the
    others as wildcards. A message that would match anything (a bare placeholder) is refused, and so is a
    parameter the message does not have (it would be silently ignored)."""
    known = dict(said.params)
    message = _message(language, said.key, said.about)
    counted = {"count"} if message.pluralizable else set()  # a plural form may leave the count unsaid ("one")
    alternatives = []
    for form in message.forms_for(known.get("count")):
        if language == "fr":  # "de {name}" reads "d'Anne": elided as the bot elides, the unknown either way
            form, elided = french_elision(form, {name: v for name, v in known.items() if isinstance(v, str)})
            known.update({name: value for name, value in elided.items() if name not in known})
        parts: list[str] = []
        words = ""
        fields = set()
        for literal, field, spec, conversion in string.Formatter().parse(form):
            loose = language == "fr" and field is not None and field.split(".")[0] not in known
            parts.append(_elidable(literal) if loose else re.escape(literal))
            words += literal
            if field is None:
                continue
            name = re.split(r"[.\[]", field, maxsplit=1)[0]
            fields.add(name)
            if name not in known:
                parts.append(_ANY)
                continue
            value = known[name]
            if isinstance(value, Says):
                parts.append(f"(?:{_source(value, language)})")
                continue
            shown = html.escape(value, quote=False) if isinstance(value, str) else value
            rendered = format(repr(shown) if conversion == "r" else shown, spec or "")
            parts.append(re.escape(rendered))
            words += rendered
        if unknown := set(known) - fields - counted:
            raise ValueError(f"{said}: the message has no {', '.join(sorted(unknown))}")
        if not re.search(r"\w", words):
            raise ValueError(f"{said} has no words of its own to look for: give its parameters")
        alternatives.append("".join(parts))
    return "|".join(f"(?:{alternative})" for alternative in alternatives)


_BEFORE_UNKNOWN = re.compile(r"(?<![\w'’])([Dd]e|[Qq]ue|[Jj]usque) $")


def _elidable(literal: str) -> str:
    """The literal before a value the test does not know, its last "de " also matching "d'" (elided)."""
    found = _BEFORE_UNKNOWN.search(literal)
    if found is None:
        return re.escape(literal)
    return re.escape(literal[: found.start()]) + f"(?:{re.escape(found.group(1))} |{re.escape(found.group(1)[:-1])}')"
