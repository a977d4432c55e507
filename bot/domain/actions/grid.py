"""The coordinator's table of every volunteer's weekly grid."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.domain.callbacks import Action, Digits, TelegramId
from bot.domain.roles import COORDINATORS

Page = Annotated[int, Digits(4)]


@dataclass(frozen=True)
class GridPage(Action, prefix="gr:page", roles=COORDINATORS):
    page: Page


@dataclass(frozen=True)
class ToggleExperienced(Action, prefix="gr:exp", roles=COORDINATORS):
    volunteer_id: TelegramId
    page: Page
