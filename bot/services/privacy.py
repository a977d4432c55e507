"""Everyone's privacy rights and the bot's own restraint: what it holds about someone (/mydata), erasure on
request (/forget) or by a coordinator (a person's file), the daily retention pass, the audit log, backups."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import BackupSettings, PrivacySettings
from bot.domain.audit import BOT_ACTOR, AuditEntry
from bot.services.visit_answers import AnswerService
from bot.storage.audit import AuditRepository
from bot.storage.backup import backups_in, remove_partials, rotate_backups, write_backup
from bot.storage.database import Database, stamp
from bot.storage.erasure_journal import ErasureJournal
from bot.storage.files import log_tightened, tighten
from bot.storage.inbox import InboxRepository
from bot.storage.privacy import PrivacyRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetentionResult:
    persons_erased: int
    reports_anonymised: int
    audit_entries_deleted: int
    updates_deleted: int
    notices_deleted: int


@dataclass(frozen=True, slots=True)
class RestoredCopy:
    """What settling a restored backup did: the erasures journaled since it was taken, applied again."""

    taken_at: str | None
    users_erased: int
    persons_erased: int
    retention: RetentionResult


def protect_files(db_path: Path, privacy: PrivacySettings, backup: BackupSettings) -> None:
    """At start, before the database opens: copies a killed backup left half-written are removed, and every
    file of the bot that other accounts of the machine could read is made owner-only (one log line)."""
    folder = backup.folder_for(db_path)
    remove_partials(folder)
    database = [db_path.with_name(db_path.name + suffix) for suffix in ("", "-wal", "-shm")]
    found = [*database, privacy.key_path(db_path), privacy.journal_path(db_path), *backups_in(folder)]
    # The default folder is the bot's own; a folder the operator chose may be shared, and is theirs to set.
    own = [folder] if backup.folder is None else []
    log_tightened(tighten([*found, *own]))


class PrivacyService:
    def __init__(
        self,
        db: Database,
        inbox: InboxRepository,
        privacy: PrivacyRepository,
        audit: AuditRepository,
        journal: ErasureJournal,
        answers: AnswerService,
        retention: PrivacySettings,
        backup: BackupSettings,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._db = db
        self._inbox = inbox
        self._privacy = privacy
        self._journal = journal
        self._answers = answers
        self._audit = audit
        self._retention = retention
        self._backup = backup
        self._now = now

    async def forget_update(self, update_id: int) -> None:
        """What an update said (a self-test's answers) kept nowhere, once handled."""
        await self._inbox.blank(update_id)

    async def my_data(self, telegram_id: int) -> bytes:
        """Everything the bot holds about this user, as a JSON document; the export is audit-logged."""
        found: dict[str, Any] = {"exported_at": stamp(self._now())}
        found.update(await self._privacy.everything_about(telegram_id))
        for notice in found["notices"]:
            notice["notice"] = json.loads(notice["notice"])
        for draft in found["conversation_draft"]:
            draft["value"] = json.loads(draft["value"])
        for report in found["reports"]:
            report["signs"] = json.loads(report["signs"])
        await self._audit.record(telegram_id, "data.exported", f"user:{telegram_id}")
        return json.dumps(found, ensure_ascii=False, indent=2).encode()

    async def forget(self, telegram_id: int) -> int:
        """Erase a user at their request; returns the erasure's number. A volunteer first leaves every outing
        still ahead (one transaction with the partners' and coordinators' notices and whoever takes over), so
        that no pair is left waiting for someone who is gone and no repair plans them again; then the erasure
        (another). A crash between the two leaves the volunteer out of the outings, and the /forget replayed
        finds nothing more to hand over and erases."""
        await self._answers.withdraw_for_good(telegram_id)
        erasure = await self._privacy.erase_user(telegram_id)
        await self._journal.record("user", telegram_id, "asked", stamp(self._now()))
        await self._db.checkpoint()
        log.info("privacy.user_erased erasure=%s", erasure)
        return erasure

    async def person_name(self, person_id: int) -> str | None:
        """The name to show when a coordinator is asked to confirm an erasure (the file itself is not opened)."""
        return await self._privacy.person_name(person_id)

    async def erase_person(self, person_id: int, actor: int) -> bool:
        """A coordinator erases a person's file entirely; False when there is no such file."""
        erasure = await self._privacy.erase_person(person_id, actor, "coordinator")
        if erasure is None:
            return False
        await self._journal.record("person", person_id, "coordinator", stamp(self._now()))
        await self._db.checkpoint()
        log.info("privacy.person_erased erasure=%s", erasure)
        return True

    async def apply_retention(self, now: datetime) -> RetentionResult:
        """Erase or anonymise what is past its period at `now` (see PrivacySettings for the periods)."""
        policy = self._retention

        def before(days: int) -> str:
            return stamp(now - timedelta(days=days))

        # The old audit entries go first, so that the entries this pass writes are never among them.
        audit_entries_deleted = await self._privacy.delete_audit_before(before(policy.audit_days))
        persons = 0
        for person_id in await self._privacy.persons_without_contact_since(before(policy.person_file_days)):
            if await self._privacy.erase_person_for_retention(person_id):
                await self._journal.record("person", person_id, "retention", stamp(now))
                persons += 1
        result = RetentionResult(
            persons_erased=persons,
            reports_anonymised=await self._privacy.anonymise_unfiled_reports(
                before(policy.unfiled_report_days), stamp(now)
            ),
            audit_entries_deleted=audit_entries_deleted,
            updates_deleted=await self._privacy.delete_processed_updates_before(before(policy.inbox_days)),
            notices_deleted=await self._privacy.delete_finished_notices_before(before(policy.sent_notice_days)),
        )
        # A CSV file sent to the bot and never confirmed is raw input like an update: kept as briefly.
        await self._privacy.drop_waiting_uploads_before(before(policy.inbox_days))
        if result.reports_anonymised:
            await self._audit.record(BOT_ACTOR, "reports.anonymised", f"count:{result.reports_anonymised}")
        await self._db.checkpoint()
        return result

    async def settle_restored(self, taken_at: str | None = None) -> RestoredCopy | None:
        """A database restored from a backup gets, before anyone is served, the erasures journaled since the
        backup was taken, then the retention pass. The copy says when it was taken; `taken_at` stands in for a
        copy that does not (from its file name), "" when nobody knows: then every erasure journaled is applied,
        as an erasure must never be undone by a restore. None for a database that was never restored."""
        origin = await self._privacy.backup_origin()
        if origin is None and taken_at is None:
            return None
        since = origin or taken_at
        skipped = await self._privacy.skip_pending_updates()
        users = persons = 0
        for erasure in await self._journal.since(since):
            if erasure.kind == "user" and await self._privacy.first_name(erasure.record_id) is not None:
                await self._privacy.erase_user(erasure.record_id)
                users += 1
            elif erasure.kind == "person" and await self._privacy.person_name(erasure.record_id) is not None:
                await self._privacy.erase_person(erasure.record_id, BOT_ACTOR, erasure.reason)
                persons += 1
        retention = await self.apply_retention(self._now())
        await self._privacy.settled_restore()
        await self._db.checkpoint()
        log.info(
            "backup.restore_settled taken_at=%s users_erased=%s persons_erased=%s updates_skipped=%s",
            since,
            users,
            persons,
            skipped,
        )
        return RestoredCopy(since, users, persons, retention)

    async def back_up(self, now: datetime) -> Path:
        """A consistent copy of the live database in the backup folder; copies beyond the kept number, or
        older than the kept age, are removed."""
        folder = self._backup.folder_for(self._db.path)
        path = await asyncio.to_thread(write_backup, self._db.path, folder, now)
        await asyncio.to_thread(rotate_backups, folder, self._backup.keep, self._backup.max_age_days, now)
        return path

    async def daily(self) -> None:
        """The daily job: retention first, so that the backup taken after it no longer holds what it removed."""
        now = self._now()
        result = await self.apply_retention(now)
        log.info("privacy.retention %s", " ".join(f"{name}={count}" for name, count in asdict(result).items()))
        path = await self.back_up(now)
        log.info("backup.written path=%s", path)

    async def audit_log(self) -> list[AuditEntry]:
        """The audit log, the latest entries first."""
        return await self._audit.latest()
