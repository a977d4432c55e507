"""Every action a button can call back, declared once per flow, and the one way to read callback data."""

from __future__ import annotations

from bot.domain.actions import (
    coverage,
    grid,
    imports,
    invitations,
    neighbour,
    open_calls,
    persons,
    plan_edits,
    privacy,
    profile,
    report,
    selftest,
    start,
    stats,
    triage,
    visits,
    volunteers,
)
from bot.domain.callbacks import Action, declared

FLOWS = (
    coverage,
    grid,
    imports,
    invitations,
    neighbour,
    open_calls,
    persons,
    plan_edits,
    privacy,
    profile,
    report,
    selftest,
    start,
    stats,
    triage,
    visits,
    volunteers,
)
ACTIONS = declared()


def parse(data: str) -> Action | None:
    """The action callback data stands for (a button queued by an earlier version, say), or None when it
    reads as none of them."""
    for action in ACTIONS:
        found = action.parse(data)
        if found is not None:
            return found
    return None
