"""For translators: what each catalogue lacks against the French one, the reference.

    python -m bot.i18n_check                     # every language; exit code 1 when anything is missing or differs
    python -m bot.i18n_check it es               # some languages
    python -m bot.i18n_check --add-missing it    # append the missing keys to it, marked fuzzy, English as a draft
    python -m bot.i18n_check --stamp it KEY ...  # KEY in it now says what the French says (after re-translating)

A message is missing when the key is absent, empty or still fuzzy; it differs when a form's placeholders
(`{name}`) or Telegram HTML tags are not the French ones, or when it has not the plural forms its language's
rule (CLDR, through babel) gives. Each translation records the French it was made from (a comment
`#. fr <digest>`): when the French message changes, every translation of it is reported until a translator
re-translates it and stamps it. A message agreeing with a woman or a man (`msgctxt "feminine"`, `"masculine"`)
is a key of its own. Missing keys are appended at the end of the file, so parallel work merges.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import normalize, read_po, write_po

from bot.i18n import DOMAIN, LOCALES_DIR, SUPPORTED, cldr_locale

REFERENCE = "fr"
DRAFT = "en"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Telegram HTML tags and entities: a translation opens and closes the same ones.
MARKUP = re.compile(r"</?[a-z][^>]*>|&[a-z]+;|&#\d+;")
# The comment a translation carries: a digest of the French it was translated from.
SOURCE = re.compile(r"^fr ([0-9a-f]{8})$")
CHANGED = "French changed since it was translated"
UNSTAMPED = "no record of the French it was translated from"


@dataclass(frozen=True, slots=True)
class Gap:
    language: str
    key: str
    problem: str


def path_of(language: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: str, locales_dir: Path = LOCALES_DIR) -> Catalog:
    with path_of(language, locales_dir).open("rb") as handle:
        return read_po(handle, locale=cldr_locale(language))


def key_of(message: Message) -> str:
    """The message's key, with its grammatical context when it has one ("person.status.active (feminine)")."""
    key = message.id if isinstance(message.id, str) else str(message.id[0])
    return key if message.context is None else f"{key} ({message.context})"


def messages(catalog: Catalog) -> dict[str, Message]:
    return {key_of(m): m for m in catalog if m.id}


def digest(message: Message) -> str:
    """Eight hex digits standing for the message's French text (every plural form)."""
    return hashlib.sha256("\x00".join(forms_of(message)).encode()).hexdigest()[:8]


def source_of(message: Message) -> str | None:
    """The digest of the French this translation was made from, if it says."""
    for comment in message.auto_comments:
        found = SOURCE.match(comment.strip())
        if found:
            return found.group(1)
    return None


def gaps(language: str, locales_dir: Path = LOCALES_DIR) -> list[Gap]:
    french = messages(read(REFERENCE, locales_dir))
    catalog = read(language, locales_dir)
    own = messages(catalog)
    forms_expected = get_plural(cldr_locale(language)).num_plurals
    found = [Gap(language, key, "unknown to French") for key in sorted(set(own) - set(french))]
    for key, reference in french.items():
        message = own.get(key)
        forms = forms_of(message) if message is not None else ()
        if message is None or message.fuzzy or not all(form.strip() for form in forms):
            found.append(Gap(language, key, "missing"))
            continue
        if isinstance(reference.id, tuple) != isinstance(message.id, tuple):
            found.append(Gap(language, key, "plural in one catalogue and not in the other"))
        elif isinstance(message.id, tuple) and len(forms) != forms_expected:
            found.append(Gap(language, key, f"{len(forms)} plural forms, {forms_expected} expected"))
        source = source_of(message)
        if source is None:
            found.append(Gap(language, key, UNSTAMPED))
        elif source != digest(reference):
            found.append(Gap(language, key, f"{CHANGED}: {forms_of(reference)[-1]!r}"))
        model = forms_of(reference)[-1]
        for form in forms:
            if set(PLACEHOLDER.findall(form)) != set(PLACEHOLDER.findall(model)):
                found.append(Gap(language, key, f"placeholders differ: {form!r}"))
            if Counter(MARKUP.findall(form)) != Counter(MARKUP.findall(model)):
                found.append(Gap(language, key, f"HTML tags differ: {form!r}"))
    return found


def add_missing(language: str, locales_dir: Path = LOCALES_DIR) -> int:
    """Append what the catalogue lacks, marked fuzzy with the English text as a draft; the test suite fails
    until a translator writes each one, removes its fuzzy mark and stamps it."""
    missing = [gap.key for gap in gaps(language, locales_dir) if gap.problem == "missing"]
    own = messages(read(language, locales_dir))
    drafts = messages(read(DRAFT, locales_dir))
    forms = get_plural(cldr_locale(language)).num_plurals
    entries = []
    for key in missing:
        if key in own:  # present but empty or fuzzy: the translator finds it where it is
            continue
        model = drafts[key]
        draft = forms_of(model)
        msgid = normalize(str(model.id if isinstance(model.id, str) else model.id[0]), width=0)
        body = f"msgctxt {normalize(model.context, width=0)}\n" if model.context else ""
        if isinstance(model.id, tuple):
            strings = [draft[min(i, len(draft) - 1)] for i in range(forms)]
            body += f"msgid {msgid}\nmsgid_plural {msgid}\n"
            body += "".join(f"msgstr[{i}] {normalize(text, width=0)}\n" for i, text in enumerate(strings))
        else:
            body += f"msgid {msgid}\nmsgstr {normalize(draft[0], width=0)}\n"
        entries.append(f"#, fuzzy\n{body}")
    if entries:
        with path_of(language, locales_dir).open("a", encoding="utf-8") as handle:
            handle.write("".join(f"\n{entry}" for entry in entries))
    return len(entries)


def stamp(language: str, keys: Iterable[str], locales_dir: Path = LOCALES_DIR) -> list[str]:
    """Record that these translations now say what the French says; the keys the catalogue lacks are
    returned (nothing is stamped for them)."""
    french = messages(read(REFERENCE, locales_dir))
    catalog = read(language, locales_dir)
    own = messages(catalog)
    unknown = []
    for key in keys:
        message, reference = own.get(key), french.get(key)
        if message is None or reference is None or message.fuzzy:
            unknown.append(key)
            continue
        kept = [comment for comment in message.auto_comments if not SOURCE.match(comment.strip())]
        message.auto_comments = [*kept, f"fr {digest(reference)}"]
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0)
    path_of(language, locales_dir).write_bytes(buffer.getvalue())
    return unknown


def forms_of(message: Message) -> tuple[str, ...]:
    string = message.string
    return (string,) if isinstance(string, str) else tuple(string or ())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("languages", nargs="*", help="catalogues to check (default: all but French)")
    parser.add_argument("--add-missing", action="store_true", help="append missing keys as fuzzy English drafts")
    parser.add_argument(
        "--stamp", nargs="+", metavar=("LANGUAGE", "KEY"), help="these keys of LANGUAGE now say what the French says"
    )
    args = parser.parse_args(argv)
    if args.stamp:
        language, *keys = args.stamp
        if not path_of(language).is_file() or language == REFERENCE or not keys:
            print("--stamp takes a language other than French, then the keys re-translated", file=sys.stderr)
            return 2
        unknown = stamp(language, keys)
        for key in unknown:
            print(f"{language}: {key}: not in both catalogues, or still fuzzy: not stamped", file=sys.stderr)
        return 1 if unknown else 0
    languages = args.languages or [language for language in SUPPORTED if language != REFERENCE]
    unknown = [language for language in languages if not path_of(language).is_file()]
    if unknown:
        print(f"no catalogue for: {', '.join(unknown)} (known: {', '.join(SUPPORTED)})", file=sys.stderr)
        return 2
    if args.add_missing:
        for language in languages:
            print(f"{language}: {add_missing(language)} keys appended as fuzzy drafts")
    found = [gap for language in languages for gap in gaps(language)]
    for gap in found:
        print(f"{gap.language}: {gap.key}: {gap.problem}")
    print(f"{len(found)} to translate or fix in {len(languages)} catalogues")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
