"""A coordinator's uploaded file: import it, or drop it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.callbacks import Action, Id
from bot.domain.roles import COORDINATORS


@dataclass(frozen=True)
class ApplyImport(Action, prefix="imp:apply", roles=COORDINATORS):
    upload_id: Id


@dataclass(frozen=True)
class DropImport(Action, prefix="imp:drop", roles=COORDINATORS):
    upload_id: Id
