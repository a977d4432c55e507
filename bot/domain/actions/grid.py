"""The coordinator's table of every volunteer's weekly grid."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.callbacks import Action, PageIndex, TelegramId
from bot.domain.roles import COORDINATORS


@dataclass(frozen=True)
class GridPage(Action, prefix="gr:page", roles=COORDINATORS):
    page: PageIndex


@dataclass(frozen=True)
class ToggleExperienced(Action, prefix="gr:exp", roles=COORDINATORS):
    volunteer_id: TelegramId
    page: PageIndex
