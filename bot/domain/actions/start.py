"""The main menu, the language switch and the way out of every conversation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from bot.domain.callbacks import Action, Matching
from bot.domain.roles import EVERYONE


@dataclass(frozen=True)
class Home(Action, prefix="menu:home", roles=EVERYONE):
    """The main menu."""


@dataclass(frozen=True)
class StartReport(Action, prefix="menu:report", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class BecomeNeighbour(Action, prefix="menu:neighbour", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class BecomeVolunteer(Action, prefix="menu:volunteer", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class ChooseLanguage(Action, prefix="lang", roles=EVERYONE):
    # Any code a catalogue could have: the service keeps only the languages the bot speaks.
    code: Annotated[str, Matching("[a-z]{2,3}")]


@dataclass(frozen=True)
class Cancel(Action, prefix="cancel", roles=EVERYONE):
    """Leave whatever conversation is underway."""
