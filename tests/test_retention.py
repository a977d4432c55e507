"""The daily retention pass, run with a fake clock: what is past its period is erased or anonymised, the
rest is untouched, and the backup taken after it no longer holds what it removed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import services_of
from bot.runtime.inbox import InboxApplication
from bot.storage.backup import backups_in
from tests.conftest import COORDINATOR_ID, rows
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser
from tests.test_privacy import open_a_file, report_with_note


async def test_retention_anonymises_unfiled_reports_purges_updates_and_audit_and_erases_files_after_two_years(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    privacy = services_of(bot).privacy
    reporter = FakeUser(fake_api, 7001, "Lucien", "fr")
    filed = await report_with_note(reporter)
    unfiled = await report_with_note(reporter)
    await open_a_file(coordinator, filed, "Monsieur Anselme")
    start = datetime.now(UTC)

    def days_later(days: int) -> datetime:
        return start + timedelta(days=days)

    after_ten_days = await privacy.apply_retention(days_later(10))
    assert after_ten_days.updates_deleted > 0
    assert (after_ten_days.persons_erased, after_ten_days.reports_anonymised) == (0, 0)
    assert after_ten_days.audit_entries_deleted == 0

    after_half_a_year = await privacy.apply_retention(days_later(200))
    assert after_half_a_year.reports_anonymised == 1
    assert rows(
        db_path,
        "SELECT reference, reporter_id, note IS NULL, address IS NULL, neighbourhood IS NOT NULL, status "
        "FROM reports ORDER BY id",
    ) == [(filed, 7001, 0, 0, 1, "followed"), (unfiled, None, 1, 1, 1, "new")]

    # The file was opened long ago, but a change today is a contact: its two years start again now.
    rows(db_path, "UPDATE persons SET created_at = '2020-01-01T00:00:00.000Z', last_contact_at = NULL")
    assert await services_of(bot).persons.rename(1, COORDINATOR_ID, "Monsieur Anselme")
    after_a_year = await privacy.apply_retention(days_later(400))
    assert after_a_year.persons_erased == 0
    assert after_a_year.audit_entries_deleted >= 3  # the file created, opened, changed
    assert rows(db_path, "SELECT COUNT(*) FROM audit_log") == [(0,)]

    after_two_years = await privacy.apply_retention(days_later(731))
    assert after_two_years.persons_erased == 1
    assert rows(db_path, "SELECT COUNT(*) FROM persons") == [(0,)]
    assert rows(db_path, "SELECT reference, person_id, person_erasure, note, address FROM reports WHERE id = 1") == [
        (filed, None, 1, None, None)
    ]
    # Its reports, now without a file and long unmoved, lose their reporter as well.
    assert rows(db_path, "SELECT actor, action, subject FROM audit_log ORDER BY id") == [
        (0, "person.erased", "erasure:1"),
        (0, "reports.anonymised", "count:1"),
    ]

    await privacy.daily()
    (backup,) = backups_in(db_path.parent / "backups")
    assert b"Anselme" not in backup.read_bytes()
