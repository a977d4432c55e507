"""Every action a button can call back, declared once per flow in this package's modules (each imported
here, so that the registry is whole), and the one way to read callback data."""

from __future__ import annotations

import importlib
import pkgutil

from bot.domain.callbacks import Action, declared

for _flow in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_flow.name}")
ACTIONS = declared()


def parse(data: str) -> Action | None:
    """The action callback data stands for (a button queued by an earlier version, say), or None when it
    reads as none of them."""
    for action in ACTIONS:
        found = action.parse(data)
        if found is not None:
            return found
    return None
