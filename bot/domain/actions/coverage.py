"""The coordinator's view of which streets have a caring neighbour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.domain.callbacks import Action, Digits, PageIndex
from bot.domain.roles import COORDINATORS


@dataclass(frozen=True)
class CoverageSummary(Action, prefix="cv:all", roles=COORDINATORS):
    pass


@dataclass(frozen=True)
class CoveragePage(Action, prefix="cv:page", roles=COORDINATORS):
    """A page of the summary, a neighbourhood a line."""

    page: PageIndex


@dataclass(frozen=True)
class CoverageArea(Action, prefix="cv:area", roles=COORDINATORS):
    """One neighbourhood's streets (its place in the summary), page by page."""

    index: Annotated[int, Digits(3)]
    page: Annotated[int, Digits(3)]
