"""The coordinator's indicators for one of the usual periods."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.domain.callbacks import Action, OneOf
from bot.domain.indicators import PERIODS
from bot.domain.roles import COORDINATORS


@dataclass(frozen=True)
class StatsPeriod(Action, prefix="stats", roles=COORDINATORS):
    period: Annotated[str, OneOf(PERIODS)]
