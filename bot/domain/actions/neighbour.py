"""Becoming the caring neighbour of a street, and a neighbour's streets."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.callbacks import Action, Id
from bot.domain.roles import EVERYONE, NEIGHBOURS


@dataclass(frozen=True)
class PickNeighbourStreet(Action, prefix="nb:street", roles=EVERYONE):
    street_id: Id


@dataclass(frozen=True)
class TypeNeighbourStreetAgain(Action, prefix="nb:again", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class AcceptNeighbourCharter(Action, prefix="nb:accept", roles=EVERYONE):
    pass


@dataclass(frozen=True)
class MyStreets(Action, prefix="nb:mine", roles=NEIGHBOURS):
    pass


@dataclass(frozen=True)
class HandOverStreet(Action, prefix="nb:handover", roles=NEIGHBOURS):
    street_id: Id


@dataclass(frozen=True)
class TakeMainOfStreet(Action, prefix="nb:takemain", roles=NEIGHBOURS):
    street_id: Id


@dataclass(frozen=True)
class LeaveStreet(Action, prefix="nb:leave", roles=NEIGHBOURS):
    """Asks to be sure first."""

    street_id: Id


@dataclass(frozen=True)
class LeaveStreetConfirmed(Action, prefix="nb:leaveok", roles=NEIGHBOURS):
    street_id: Id
