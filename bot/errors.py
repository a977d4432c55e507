"""What stops a command for a reason the operator can fix: one line, never a traceback, never a secret.

The line is a catalogue key with its values, so the command line prints it in the town's language; `str()`
gives it in English, for logs and tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.i18n import Translator


class OperatorError(Exception):
    exit_code = 2

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def render(self, _: Translator) -> str:
        return _.plain(self.key, **self.params)

    def __str__(self) -> str:
        # Imported here: bot.i18n reads the catalogues, which modules raising these errors need not load.
        from bot.i18n import english

        return self.render(english())
