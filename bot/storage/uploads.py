"""CSV files coordinators send to the bot, kept between the validation report and the confirming button."""

from __future__ import annotations

from bot.domain.records import Record
from bot.storage.database import Database


class ImportUpload(Record):
    id: int
    coordinator: int
    kind: str
    file_name: str
    content: str | None
    outcome: str | None


class ImportUploadRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def keep(self, coordinator: int, kind: str, file_name: str, content: str) -> int:
        """Keep the file until confirmed; an earlier file of the same coordinator still waiting is dropped,
        so at most one waits per coordinator."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE import_uploads SET content = NULL, outcome = 'dropped' "
                "WHERE coordinator = ? AND content IS NOT NULL",
                (coordinator,),
            )
            return await tx.execute(
                "INSERT INTO import_uploads (coordinator, kind, file_name, content) VALUES (?, ?, ?, seal(?))",
                (coordinator, kind, file_name, content),
            )

    async def get(self, upload_id: int, coordinator: int) -> ImportUpload | None:
        """The upload, only for the coordinator who sent it."""
        row = await self._db.fetch_one(
            "SELECT id, coordinator, kind, file_name, unseal(content) AS content, outcome FROM import_uploads "
            "WHERE id = ? AND coordinator = ?",
            (upload_id, coordinator),
        )
        return ImportUpload.model_validate(dict(row)) if row else None

    async def finish(self, upload_id: int, outcome: str) -> None:
        """The content is personal data: once applied or dropped it is erased."""
        async with self._db.transaction() as tx:
            await tx.execute("UPDATE import_uploads SET content = NULL, outcome = ? WHERE id = ?", (outcome, upload_id))
