"""What a coordinator can do to someone's access (/team)."""

from __future__ import annotations

from enum import StrEnum


class Change(StrEnum):
    """What a coordinator can do to someone's access; the value is what the buttons carry."""

    REMOVE_PROFESSIONAL = "rmpro"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REMOVE_VOLUNTEER = "rmvol"
