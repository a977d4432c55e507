"""For translators: what each catalogue lacks against the French one, the reference.

    python -m bot.i18n_check                  # every language; exit code 1 when anything is missing or differs
    python -m bot.i18n_check it es            # some languages
    python -m bot.i18n_check --add-missing it # append the missing keys to it, marked fuzzy, English as a draft

A message is missing when the key is absent, empty or still fuzzy; it differs when a form's placeholders
(`{name}`) or Telegram HTML tags are not the French ones, or when it has not the plural forms its language's
rule (CLDR, through babel) gives. Missing keys are appended at the end of the file, so parallel work merges.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import normalize, read_po

from bot.i18n import DOMAIN, LOCALES_DIR, SUPPORTED

REFERENCE = "fr"
DRAFT = "en"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Telegram HTML tags and entities: a translation opens and closes the same ones.
MARKUP = re.compile(r"</?[a-z][^>]*>|&[a-z]+;|&#\d+;")


@dataclass(frozen=True, slots=True)
class Gap:
    language: str
    key: str
    problem: str


def path_of(language: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: str, locales_dir: Path = LOCALES_DIR) -> Catalog:
    with path_of(language, locales_dir).open("rb") as handle:
        return read_po(handle, locale=language)


def messages(catalog: Catalog) -> dict[str, Message]:
    return {_key(m): m for m in catalog if m.id}


def gaps(language: str, locales_dir: Path = LOCALES_DIR) -> list[Gap]:
    french = messages(read(REFERENCE, locales_dir))
    catalog = read(language, locales_dir)
    own = messages(catalog)
    forms_expected = get_plural(language).num_plurals
    found = [Gap(language, key, "unknown to French") for key in sorted(set(own) - set(french))]
    for key, reference in french.items():
        message = own.get(key)
        forms = _forms(message) if message is not None else ()
        if message is None or message.fuzzy or not all(form.strip() for form in forms):
            found.append(Gap(language, key, "missing"))
            continue
        if isinstance(reference.id, tuple) != isinstance(message.id, tuple):
            found.append(Gap(language, key, "plural in one catalogue and not in the other"))
        elif isinstance(message.id, tuple) and len(forms) != forms_expected:
            found.append(Gap(language, key, f"{len(forms)} plural forms, {forms_expected} expected"))
        model = _forms(reference)[-1]
        for form in forms:
            if set(PLACEHOLDER.findall(form)) != set(PLACEHOLDER.findall(model)):
                found.append(Gap(language, key, f"placeholders differ: {form!r}"))
            if Counter(MARKUP.findall(form)) != Counter(MARKUP.findall(model)):
                found.append(Gap(language, key, f"HTML tags differ: {form!r}"))
    return found


def add_missing(language: str, locales_dir: Path = LOCALES_DIR) -> int:
    """Append what the catalogue lacks, marked fuzzy with the English text as a draft; the test suite fails
    until a translator writes each one and removes its fuzzy mark."""
    missing = [gap.key for gap in gaps(language, locales_dir) if gap.problem == "missing"]
    own = messages(read(language, locales_dir))
    drafts = messages(read(DRAFT, locales_dir))
    forms = get_plural(language).num_plurals
    entries = []
    for key in missing:
        if key in own:  # present but empty or fuzzy: the translator finds it where it is
            continue
        draft = _forms(drafts[key])
        if isinstance(drafts[key].id, tuple):
            strings = [draft[min(i, len(draft) - 1)] for i in range(forms)]
            body = f'msgid "{key}"\nmsgid_plural "{key}"\n'
            body += "".join(f"msgstr[{i}] {normalize(text, width=0)}\n" for i, text in enumerate(strings))
        else:
            body = f'msgid "{key}"\nmsgstr {normalize(draft[0], width=0)}\n'
        entries.append(f"#, fuzzy\n{body}")
    if entries:
        with path_of(language, locales_dir).open("a", encoding="utf-8") as handle:
            handle.write("".join(f"\n{entry}" for entry in entries))
    return len(entries)


def _key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else str(message.id[0])


def _forms(message: Message) -> tuple[str, ...]:
    string = message.string
    return (string,) if isinstance(string, str) else tuple(string or ())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("languages", nargs="*", help="catalogues to check (default: all but French)")
    parser.add_argument("--add-missing", action="store_true", help="append missing keys as fuzzy English drafts")
    args = parser.parse_args(argv)
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
