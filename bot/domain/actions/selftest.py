"""The isolation self-test: its buttons carry the answers so far, which only change the presser's own result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.domain.callbacks import Action, Matching
from bot.domain.roles import EVERYONE


@dataclass(frozen=True)
class SelfTestIntro(Action, prefix="selftest:intro", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class SelfTestStep(Action, prefix="selftest:q", roles=EVERYONE):
    # One digit per answer given so far, four questions at most (read by bot/services/selftest.py).
    answers: Annotated[str, Matching(r"\d{0,4}")]


@dataclass(frozen=True)
class SelfTestContact(Action, prefix="selftest:contact", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class SelfTestDone(Action, prefix="selftest:done", roles=EVERYONE):
    pass
