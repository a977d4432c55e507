"""The command line's commands: each says what it did in the town's language, as people read it in a terminal."""

from __future__ import annotations

import sys

from bot.config import Settings
from bot.geo.ban_csv import Problem
from bot.i18n import Translations, Translator, plain


def town_translator(settings: Settings) -> Translator:
    return Translations(settings.i18n.default_language).get(settings.i18n.default_language)


def say(text: str, *, error: bool = False) -> None:
    """A catalogue's message on the terminal (its Telegram tags removed), on stderr for an error."""
    print(plain(text), file=sys.stderr if error else sys.stdout)


def problem_text(_: Translator, problem: Problem) -> str:
    return _(problem.reason, **dict(problem.params))
