"""The erasure journal: one line for each erasure, in a file beside the database rather than in it, so that
it outlives the database it was written for. A backup restored later holds people erased since it was taken;
the journal says which, and they are erased again before the bot serves anyone.

A line holds no personal data: when, what kind of record, why, and the record's id sealed with the data key
(a Telegram id identifies someone). It is sealed and opened through the database's `seal`/`unseal`
functions, so the journal reads with the key that reads the data."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.storage.database import Database
from bot.storage.files import write_private

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JournaledErasure:
    at: str
    kind: str  # "user" (a Telegram id) or "person" (a person's file)
    record_id: int
    reason: str


class ErasureJournal:
    def __init__(self, path: Path, db: Database) -> None:
        self.path = path
        self._db = db

    async def record(self, kind: str, record_id: int, reason: str, at: str) -> None:
        """Written once the erasure is committed, and flushed to the disk before anyone is told it is done."""
        row = await self._db.fetch_one("SELECT seal(?)", (f"{kind}:{record_id}",))
        assert row is not None
        line = json.dumps({"at": at, "kind": kind, "reason": reason, "ref": row[0]})
        await asyncio.to_thread(self._append, line)

    def _append(self, line: str) -> None:
        with write_private(self.path, append=True) as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    async def since(self, moment: str | None) -> list[JournaledErasure]:
        """The erasures journaled at or after `moment` (every one when it is None), oldest first."""
        try:
            lines = (await asyncio.to_thread(self.path.read_text, encoding="utf-8")).splitlines()
        except FileNotFoundError:
            return []
        found = []
        unreadable = 0
        for line in lines:
            try:
                entry = json.loads(line)
                if moment is not None and str(entry["at"]) < moment:
                    continue
                row = await self._db.fetch_one("SELECT unseal(?)", (str(entry["ref"]),))
                kind, record_id = str(row[0] if row else "").split(":")
                found.append(JournaledErasure(str(entry["at"]), kind, int(record_id), str(entry["reason"])))
            except (ValueError, KeyError, TypeError, sqlite3.Error):
                unreadable += 1
        if unreadable:
            log.error("erasures.journal_unreadable count=%s path=%s", unreadable, self.path)
        return found
