"""The language of the command line: the town's (`i18n.default_language`), read before the settings are.

Help must answer even when the configuration is broken, and at once: the language is read straight from
the environment or the TOML file, without validating anything; what cannot be read leaves the default.
argparse's own words (usage, options, its error lines) come from the same catalogue through argparse's
gettext hook, its documented way of being translated."""

from __future__ import annotations

import argparse
import tomllib
from collections.abc import Mapping
from pathlib import Path

from bot.config_file import config_path
from bot.i18n import SUPPORTED, Translator, translator

DEFAULT_LANGUAGE = "fr"
# argparse's messages that a user of this command line can meet, and their catalogue keys.
ARGPARSE_WORDS = {
    "usage: ": "cli.argparse.usage",
    "options": "cli.argparse.options",
    "positional arguments": "cli.argparse.positional",
    "show this help message and exit": "cli.argparse.help",
    "%(prog)s: error: %(message)s\n": "cli.argparse.error",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "the following arguments are required: %s": "cli.argparse.required",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "expected one argument": "cli.argparse.expected_one",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
}


def configured_language(argv: list[str], environ: Mapping[str, str]) -> str:
    """BOT_DEFAULT_LANGUAGE, else `i18n.default_language` of the file the command will read, else French."""
    chosen = environ.get("BOT_DEFAULT_LANGUAGE")
    if chosen is None:
        early = argparse.ArgumentParser(add_help=False, exit_on_error=False)
        early.add_argument("--config", type=Path)
        try:
            path = config_path(early.parse_known_args(argv)[0].config)
            section = tomllib.loads(path.read_text(encoding="utf-8")).get("i18n", {})
            chosen = section.get("default_language") if isinstance(section, dict) else None
        except (argparse.ArgumentError, OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            chosen = None
    return chosen if chosen in SUPPORTED else DEFAULT_LANGUAGE


def cli_translator(argv: list[str], environ: Mapping[str, str]) -> Translator:
    _ = translator(configured_language(argv, environ))

    def argparse_words(message: str) -> str:
        key = ARGPARSE_WORDS.get(message)
        return _.plain(key) if key is not None else message

    argparse._ = argparse_words  # type: ignore[attr-defined]
    return _
