"""What stops a command for a reason the operator can fix: one line, never a traceback, never a secret.

The line is a catalogue key with its values, so the command line says it in the town's language
(`render`); `str()` is the key and values, for logs and tests."""

from __future__ import annotations

from typing import Protocol


class Speaker(Protocol):
    """What renders a catalogue key as plain text (bot.i18n.Translator)."""

    def plain(self, key: str, /, **params: object) -> str: ...


class OperatorError(Exception):
    exit_code = 2

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key, params)
        self.key = key
        self.params = params

    def render(self, _: Speaker) -> str:
        return _.plain(self.key, **self.params)

    def __str__(self) -> str:
        return f"{self.key}: " + ", ".join(f"{name}={value}" for name, value in self.params.items())
