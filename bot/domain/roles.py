"""Who may do what. The role is derived on the server from the database and the configuration, every time:
nothing the client sends (callback data, command arguments) grants a role."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    COORDINATOR = "coordinator"
    PROFESSIONAL = "professional"
    VOLUNTEER = "volunteer"
    NEIGHBOUR = "neighbour"
    ANYONE = "anyone"


# The access rules the declarations of actions and commands name: a door opens to whoever holds one of them.
EVERYONE = frozenset({Role.ANYONE})
COORDINATORS = frozenset({Role.COORDINATOR})
STAFF = frozenset({Role.COORDINATOR, Role.PROFESSIONAL})
VOLUNTEERS = frozenset({Role.VOLUNTEER})
NEIGHBOURS = frozenset({Role.NEIGHBOUR})
