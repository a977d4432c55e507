"""The base of the typed rows storage returns and the layers above read."""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


def json_list(value: object) -> object:
    """A list column stored as JSON text, read as a list (a before-validator of records)."""
    return json.loads(value) if isinstance(value, str) else value
