"""The weekly grid: half-days (slots) a volunteer may give and a person may prefer, set in the configuration."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Slot(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9-]{1,20}$")]
    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> Slot:
        if self.end <= self.start:
            raise ValueError(f"slot {self.id}: end must be after start")
        return self
