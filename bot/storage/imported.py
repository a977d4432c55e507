"""What the repositories of imported records share: values as SQLite stores them, and the guard on the
column names an import may set (they are interpolated into SQL)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping


def stored(value: object) -> object:
    """Lists as JSON text, booleans as 0/1, the rest as it is."""
    if isinstance(value, list | tuple):
        return json.dumps(list(value))
    if isinstance(value, bool):
        return int(value)
    return value


def marker(column: str, sealed: Collection[str]) -> str:
    """The SQL parameter for a value of this column: sealed at rest (bot/storage/sealing.py) or as it is."""
    return "seal(?)" if column in sealed else "?"


def checked_columns(fields: Mapping[str, object], allowed: Collection[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not importable: {sorted(unknown)}")
