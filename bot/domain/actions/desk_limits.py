"""The coordinator lifts the desk's limits for an account that reached them (from the notice saying so)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.callbacks import Action, TelegramId
from bot.domain.roles import COORDINATORS


@dataclass(frozen=True)
class LiftLimits(Action, prefix="dl:lift", roles=COORDINATORS):
    account: TelegramId
