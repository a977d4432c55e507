"""A name is data, never a formula: in `export --with-names`, a reporter's first name or an imported person's
name that a spreadsheet would run (`=HYPERLINK(...)`, `+`, `-`, `@`, a tab, a carriage return at the start)
is written so that the spreadsheet shows it as typed (OWASP, CSV injection)."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest

from bot.config import Settings
from bot.domain.reports import Channel, Place, ReportContent, Urgency
from bot.services.export import neutral
from bot.storage.database import Database
from bot.storage.reports import ReportRepository
from bot.storage.sealing import unlock
from bot.storage.users import UserRepository
from tests.command_line import command

REPORTER = '=HYPERLINK("https://evil.example","CCAS")'
PERSON_FIRST_NAME = "@SUM(1+1)*cmd|' /C calc'!A0"


async def anonymous_report_by(settings: Settings, first_name: str) -> None:
    db = Database(settings.storage.db_path)
    await db.open()
    try:
        await unlock(db, settings.privacy.data_key, settings.privacy.key_path(db.path))
        await UserRepository(db).remember(3101, first_name)
        content = ReportContent(Place(address="3 rue Voltaire"), ["shutters"], Urgency.SOON, None, None, True, False)
        await ReportRepository(db).create(
            content, year=2026, channel=Channel.TELEGRAM, reporter_id=3101, entered_by=None, source_update_id=1
        )
    finally:
        await db.close()


def test_a_reporter_and_an_imported_person_named_like_formulas_are_exported_as_text(
    settings: Settings, db_path: Path, tmp_path: Path
) -> None:
    asyncio.run(anonymous_report_by(settings, REPORTER))
    persons = tmp_path / "persons.csv"
    persons.write_text(f"nom;prénom;adresse\nDelmas;{PERSON_FIRST_NAME};14 rue Paganel\n", encoding="utf-8")
    imported = command(db_path, "import-persons", str(persons), "--apply")
    assert imported.returncode == 0, imported.stdout + imported.stderr

    out = tmp_path / "evaluation"
    done = command(db_path, "export", "--out", str(out), "--from", "2020-01-01", "--with-names", "--machine")
    assert done.returncode == 0, done.stderr

    def cells(name: str, column: str) -> list[str]:
        with (out / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
            return [row[column] for row in csv.DictReader(handle, delimiter=";")]

    assert cells("reports", "reporter_name") == ["'" + REPORTER]
    assert cells("persons", "name") == [f"'{PERSON_FIRST_NAME} Delmas"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_start_a_spreadsheet_would_run_is_neutralised_and_numbers_stay_numbers(start: str) -> None:
    assert neutral(f"{start}1+1") == f"'{start}1+1"
    assert neutral("Jeanne-Marie") == "Jeanne-Marie"
    assert neutral(-3) == -3
