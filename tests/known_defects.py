"""Defects of the bot that Telegram would show or refuse, known and left to a later change: each is an
expected failure of the tests that meet it, strict (the test fails once the defect is mended, so the marker
goes with it) and narrow (only Telegram's refusal is expected: any other failure of the test still fails)."""

from __future__ import annotations

import pytest


class TelegramRefused(AssertionError):
    """The bot sent what Telegram refuses, or text a reader sees escaped twice."""


def known_defect(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, raises=TelegramRefused, reason=reason)
