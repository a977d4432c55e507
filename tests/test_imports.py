"""A town starts from its spreadsheets: the volunteers' and the followed persons' CSV files are validated
whole, imported in one transaction or not at all, and importing them again changes nothing. Imported
volunteers join with their invitation link; coordinators can also send the file to the bot."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import running
from bot.config import Settings
from bot.domain.invitations import ClaimOutcome
from bot.i18n import Translations
from bot.imports.records import Action
from bot.imports.report import ImportKind, describe
from bot.runtime.notifier import OutboxNotifier
from bot.services.container import Services, build_services
from bot.storage.database import Database
from bot.storage.invitation_codes import hash_code
from bot.storage.outbox import OutboxRepository
from bot.storage.sealing import unlock
from tests.catalogue import Fragment, Says, says, shows, text_of
from tests.conftest import rows
from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.stored_data import raw_bytes
from tests.telegram_users import FakeUser

ROOT = Path(__file__).resolve().parent.parent
VOLUNTEERS = ROOT / "examples" / "volunteers.csv"
PERSONS = ROOT / "examples" / "persons.csv"
INVITATIONS = (
    "SELECT import_key, code_hash, expires_at, first_name, last_name, phone, kind, home_street_id, capacity, slots, "
)
INVITATIONS += "languages, gender, experienced, claimed_by FROM volunteer_invitations ORDER BY import_key"
FILES = "SELECT import_key, name, address, street_id, phone, needs, visits_per_month, slots, languages, "
FILES += "consent_how FROM persons ORDER BY import_key"


def run_import(
    api: FakeBotApi, db_path: Path, command: str, csv: Path, *flags: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env |= {
        "BOT_DB_PATH": str(db_path),
        "BOT_GEOCODING_ONLINE": "false",
        "BOT_TOKEN": TOKEN,
        "BOT_API_BASE_URL": api.base_url,
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "--log-level", "WARNING", command, str(csv), *flags],
        cwd=db_path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
async def svc(settings: Settings) -> AsyncIterator[Services]:
    """The services on the test database, without the bot: what the command line uses."""
    db = Database(settings.storage.db_path)
    await db.open()
    await unlock(db, settings.privacy.data_key, settings.privacy.key_path(db.path))
    found = build_services(settings, db, Translations("fr"), OutboxNotifier(OutboxRepository(db)))
    await found.streets.refresh()
    yield found
    await db.close()


def report_line(number: int, who: str, action: str, note: str = "") -> str:
    """A line of an import's report as the command line and the bot print it (in French, the town's language)."""
    text = text_of("fr", "import.line", line=number, who=who, action=says(f"import.action.{action}"))
    return f"{text} — {note}" if note else text


def printed(output: str, fragment: Fragment) -> bool:
    return shows(output, fragment, "fr")


def with_line(csv: Path, number: int, line: str) -> bytes:
    """The example file with its line `number` (1 is the header) replaced."""
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    lines[number - 1] = line
    return ("\n".join(lines) + "\n").encode()


# --- the command line ------------------------------------------------------------------------------------
def test_the_example_files_import_with_apply_and_a_second_import_changes_nothing(
    fake_api: FakeBotApi, db_path: Path
) -> None:
    checked = run_import(fake_api, db_path, "import-volunteers", VOLUNTEERS)
    assert checked.returncode == 0, checked.stderr
    to_create = says("import.line", action=says("import.action.create"))
    assert sum(printed(line, to_create) for line in checked.stdout.splitlines()) == 6
    assert printed(checked.stdout, says("import.cli.apply_hint"))
    assert rows(db_path, "SELECT COUNT(*) FROM volunteer_invitations") == [(0,)]

    for command, csv, table in (("import-volunteers", VOLUNTEERS, INVITATIONS), ("import-persons", PERSONS, FILES)):
        first = run_import(fake_api, db_path, command, csv, "--apply")
        assert first.returncode == 0, first.stderr
        assert printed(first.stdout, says("import.summary.counts", created=6))
        assert printed(first.stdout, says("import.summary.applied"))
        stored, audit = rows(db_path, table), rows(db_path, "SELECT * FROM audit_log ORDER BY id")
        assert len(stored) == 6
        second = run_import(fake_api, db_path, command, csv, "--apply")
        assert second.returncode == 0, second.stderr
        assert printed(
            second.stdout,
            says("import.summary.counts", created=0, updated=0, unchanged=says("import.lines_unchanged", count=6)),
        )
        assert printed(second.stdout, says("import.summary.nothing_to_do"))
        assert rows(db_path, table) == stored
        assert rows(db_path, "SELECT * FROM audit_log ORDER BY id") == audit
    # Phones are sealed at rest, like every phone the bot keeps.
    assert b"05 36 49 12 01" not in raw_bytes(db_path) and b"06 39 98 10 01" not in raw_bytes(db_path)

    assert rows(db_path, "SELECT name, street_id IS NOT NULL, needs, consent_at IS NOT NULL FROM persons ORDER BY id")[
        0
    ] == (
        "Germaine Delmas",
        1,
        '["meals", "company"]',
        1,
    )


def invitation_links(printed: str) -> dict[str, str]:
    """The code of each invitation link the import printed, by name, read through the catalogue's line."""
    line = re.escape(text_of("fr", "invitations.link_line", name="NAME", link="LINK"))
    pattern = line.replace("NAME", "(.+?)").replace(
        "LINK", re.escape("https://t.me/lien_test_bot?start=vol-") + r"(\S+)"
    )
    return dict(re.findall(f"^{pattern}$", printed, re.M))


def test_the_volunteers_import_prints_each_invitation_link_once_and_keeps_only_its_hash(
    fake_api: FakeBotApi, db_path: Path
) -> None:
    result = run_import(fake_api, db_path, "import-volunteers", VOLUNTEERS, "--apply")
    assert result.returncode == 0, result.stderr
    hashes = dict(rows(db_path, "SELECT first_name || ' ' || last_name, code_hash FROM volunteer_invitations"))
    links = invitation_links(result.stdout)
    assert {name: hash_code(code) for name, code in links.items()} == hashes
    for code in links.values():
        assert code.encode() not in raw_bytes(db_path)
    again = run_import(fake_api, db_path, "import-volunteers", VOLUNTEERS, "--apply")
    assert "?start=" not in again.stdout  # nothing created: no link, and no way to show an old one


def test_a_file_with_one_bad_line_imports_nothing_and_the_report_names_the_line_and_the_reason(
    fake_api: FakeBotApi, db_path: Path
) -> None:
    bad = db_path.parent / "persons.csv"
    bad.write_bytes(with_line(PERSONS, 4, "P-0003;Benhamou;Aïcha;27 boulevard de la République;06 39 98;;2;;fr;"))
    result = run_import(fake_api, db_path, "import-persons", bad, "--apply")
    assert result.returncode == 1
    phone = text_of("fr", "import.reason.bad_phone", phone="06 39 98", example="06 12 34 56 78")
    assert report_line(4, "Aïcha Benhamou", "reject", phone) in result.stdout
    assert report_line(3, "Marcel Roussel", "create") in result.stdout
    assert printed(result.stdout, says("import.summary.rejected"))
    assert rows(db_path, "SELECT COUNT(*) FROM persons") == [(0,)]


# --- what the validation catches -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            "B004;Fatima;El Amrani;06 39 98 10 04;agent municipal;Rue Imaginaire;;;;;",
            says("import.reason.unknown_street", street="Rue Imaginaire"),
        ),
        (
            "B004;Fatima;El Amrani;06 39 98 10;agent municipal;Place Jasmin;;;;;",
            says("import.reason.bad_phone", phone="06 39 98 10"),
        ),
        ("B004;;;06 39 98 10 04;agent municipal;Place Jasmin;;;;;", says("import.reason.missing_name")),
        (
            "B004;Fatima;El Amrani;06 39 98 10 04;stagiaire;Place Jasmin;;;;;",
            says("import.reason.bad_kind", value="stagiaire"),
        ),
        (
            "B004;Fatima;El Amrani;06 39 98 10 04;agent municipal;Place Jasmin;lundi matin;;;;",
            says("import.reason.bad_slot", value="lundi matin"),
        ),
        (
            "B001;Fatima;El Amrani;06 39 98 10 04;agent municipal;Place Jasmin;;;;;",
            says("import.reason.duplicate", line=2),
        ),
        (
            "B004;Fatima;El Amrani;06 39 98 10 04;agent municipal;Place Jasmin;;9;;;",
            says("import.reason.bad_capacity", value="9"),
        ),
    ],
)
async def test_each_kind_of_bad_line_is_rejected_with_its_reason_and_nothing_is_written(
    svc: Services, db_path: Path, line: str, reason: Says
) -> None:
    report = await svc.imports.apply(ImportKind.VOLUNTEERS, with_line(VOLUNTEERS, 5, line), actor=0)
    assert not report.applied and report.rejected
    [rejected] = [found for found in report.lines if found.action == Action.REJECT]
    assert rejected.line == 5
    _ = Translations("fr").get("fr")
    assert any(printed(describe(_, note), reason) for note in rejected.notes), rejected.notes
    assert rows(db_path, "SELECT COUNT(*) FROM volunteer_invitations") == [(0,)]


async def test_a_spreadsheet_in_english_with_commas_and_windows_1252_reads_like_the_french_one(
    svc: Services,
) -> None:
    french = await svc.imports.check(ImportKind.PERSONS, PERSONS.read_bytes())
    english = (
        "ID,Last name,First name,Address,Phone,Needs,Visits per month,Preferred slots,Languages,Consent\r\n"
        'P-0001,Delmas,Germaine,14 rue Paganel,05 36 49 12 01,"company, meals",4,"tue-pm, thu-pm",French,written\r\n'
        'P-0002,Roussel,Marcel,3 PLACE DU PIN,+33 5 36 49 12 02,mobility,2,mon-am,"fr, oc",oral\r\n'
    ).encode("cp1252")
    report = await svc.imports.check(ImportKind.PERSONS, english)
    assert not report.rejected, report
    assert [(line.who, line.action, line.notes) for line in report.lines] == [
        (line.who, line.action, line.notes) for line in french.lines[:2]
    ]
    latin = PERSONS.read_text(encoding="utf-8-sig").encode("cp1252")
    assert (await svc.imports.check(ImportKind.PERSONS, latin)).lines == french.lines


async def test_a_changed_line_is_updated_and_only_what_changed(svc: Services, db_path: Path) -> None:
    await svc.imports.apply(ImportKind.PERSONS, PERSONS.read_bytes(), actor=0)
    changed = with_line(PERSONS, 2, "P-0001;Delmas;Germaine;14 rue Paganel;05 36 49 12 01;compagnie;2;;fr;écrit")
    report = await svc.imports.apply(ImportKind.PERSONS, changed, actor=0)
    assert [line.action for line in report.lines] == [Action.UPDATE] + [Action.UNCHANGED] * 5
    assert rows(db_path, "SELECT needs, visits_per_month, slots FROM persons WHERE import_key = 'id:p 0001'") == [
        ('["company"]', 2, '["tue-pm", "thu-pm"]')  # an empty cell leaves what is there
    ]


async def test_two_accounts_opening_the_same_link_at_once_cannot_both_get_it(svc: Services, db_path: Path) -> None:
    report = await svc.imports.apply(ImportKind.VOLUNTEERS, VOLUNTEERS.read_bytes(), actor=0)
    code = dict(report.links)["Sami Benali"]
    outcomes = await asyncio.gather(*(svc.invitations.claim(code, user, "X") for user in (41, 42, 43)))
    assert sorted(outcomes) == sorted([ClaimOutcome.JOINED, ClaimOutcome.INVALID, ClaimOutcome.INVALID])
    assert len(rows(db_path, "SELECT telegram_id FROM volunteers")) == 1


async def test_a_file_never_confirmed_is_erased_by_the_daily_retention_pass(svc: Services, db_path: Path) -> None:
    received = await svc.imports.receive(900_001, "personnes.csv", PERSONS.read_bytes())
    assert received.upload_id is not None
    await svc.privacy.apply_retention(datetime.now(UTC))
    assert rows(db_path, "SELECT content IS NOT NULL FROM import_uploads") == [(1,)]
    await svc.privacy.apply_retention(datetime.now(UTC) + timedelta(days=svc.settings.privacy.inbox_days + 1))
    assert rows(db_path, "SELECT outcome, content FROM import_uploads") == [("dropped", None)]
    assert await svc.imports.apply_upload(900_001, received.upload_id) is None


# --- joining with the link -------------------------------------------------------------------------------
async def test_a_volunteer_opens_their_link_accepts_the_charter_and_is_the_imported_record(
    fake_api: FakeBotApi, settings: Settings, db_path: Path, coordinator: FakeUser
) -> None:
    imported = run_import(fake_api, db_path, "import-volunteers", VOLUNTEERS, "--apply")
    assert imported.returncode == 0, imported.stderr
    start = f"vol-{invitation_links(imported.stdout)['Chloé Dufour']}"
    async with running(settings, poll_timeout=1):
        chloe = FakeUser(fake_api, 3101, "Chloé", "fr")
        chloe.send(f"/start {start}")
        await chloe.expect(
            says("invitation.charter", name="Chloé", kind=says("volunteer.kind.service_civique")), says("charter.text")
        )
        assert rows(db_path, "SELECT COUNT(*) FROM volunteers") == [(0,)]  # nothing until the charter
        chloe.press(says("button.accept_charter"))
        await chloe.expect(says("invitation.joined"))
        await coordinator.expect(says("coordinator.invitation_claimed", name="Chloé Dufour"))
        assert rows(db_path, "SELECT kind, status, decided_by FROM volunteers WHERE telegram_id = 3101") == [
            ("service_civique", "approved", 0)
        ]
        assert rows(db_path, "SELECT slot_id FROM volunteer_slots WHERE telegram_id = 3101 ORDER BY slot_id") == [
            ("thu-pm",),
            ("tue-pm",),
        ]
        assert rows(
            db_path,
            "SELECT p.capacity, s.name, p.gender, p.experienced FROM volunteer_profiles p "
            "JOIN streets s ON s.id = p.home_street_id WHERE p.telegram_id = 3101",
        ) == [(3, "Rue Montesquieu", "f", 0)]
        assert rows(db_path, "SELECT claimed_by FROM volunteer_invitations WHERE first_name = 'Chloé'") == [(3101,)]
        chloe.send("/profile")
        await chloe.expect(says("profile.menu", street="Rue Montesquieu"))

        # A used link is no one else's, and the coordinator's list no longer offers it.
        stranger = FakeUser(fake_api, 3102, "Hugo", "fr")
        stranger.send(f"/start {start}")
        await stranger.expect(says("invitation.invalid"))
        stranger.press_data(f"vi:ok:{start.removeprefix('vol-')}")
        await stranger.expect(says("invitation.invalid"))
        coordinator.send("/invitations")
        listed = await coordinator.expect(says("invitations.title", count=5))
        assert "Chloé" not in listed.text and "Sami Benali" in listed.text
        assert coordinator.shown(listed.text, says("invitations.valid_until"))

    # Importing the file again leaves the volunteer who joined as they are.
    again = run_import(fake_api, db_path, "import-volunteers", VOLUNTEERS, "--apply")
    assert report_line(3, "Chloé Dufour", "unchanged", text_of("fr", "import.note.joined")) in again.stdout


# --- the file sent to the bot ----------------------------------------------------------------------------
async def test_a_coordinator_sends_the_file_gets_the_report_and_imports_it_with_one_button(
    bot: object, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    coordinator.send_document("personnes.csv", PERSONS.read_bytes())
    report = await coordinator.expect(says("import.summary.counts", what=says("import.kind.persons"), created=6))
    assert report_line(2, "Germaine Delmas", "create") in report.text
    assert rows(db_path, "SELECT COUNT(*) FROM persons") == [(0,)]
    assert b"05 36 49 12 01" not in raw_bytes(db_path)  # the waiting file is sealed too
    coordinator.press(says("button.import_apply"))
    await coordinator.expect(says("import.summary.applied"))
    assert len(rows(db_path, FILES)) == 6
    assert rows(db_path, "SELECT outcome, content IS NULL FROM import_uploads") == [("applied", 1)]
    coordinator.press_data("imp:apply:1")
    await coordinator.expect(says("import.upload_gone"))

    coordinator.send_document("personnes.csv", PERSONS.read_bytes())
    again = await coordinator.expect(
        says("import.summary.counts", unchanged=says("import.lines_unchanged", count=6)),
        says("import.summary.nothing_to_do"),
    )
    assert again.buttons() == []

    bad = with_line(PERSONS, 3, "P-0002;Roussel;Marcel;3 rue de Nulle Part;05 36 49 12 02;mobilité;2;mon-am;fr;oral")
    coordinator.send_document("personnes.csv", bad)
    rejected = await coordinator.expect(says("import.summary.counts"))
    refused = report_line(3, "Marcel Roussel", "reject")
    assert refused in rejected.text and coordinator.shown(rejected.text, says("import.reason.unknown_street"))
    unchanged = report_line(2, "Germaine Delmas", "unchanged")
    assert rejected.text.index(refused) < rejected.text.index(unchanged)  # problems first
    assert rejected.buttons() == []
    assert rows(db_path, "SELECT COUNT(*) FROM import_uploads") == [(1,)]  # a rejected file is not kept


async def test_a_file_waiting_for_confirmation_can_be_dropped(
    bot: object, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    coordinator.send_document("benevoles.csv", VOLUNTEERS.read_bytes())
    await coordinator.expect(says("import.summary.counts", what=says("import.kind.volunteers"), created=6))
    coordinator.press(says("button.import_drop"))
    await coordinator.expect(says("import.dropped"))
    assert rows(db_path, "SELECT outcome, content FROM import_uploads") == [("dropped", None)]
    assert rows(db_path, "SELECT COUNT(*) FROM volunteer_invitations") == [(0,)]


async def test_someone_else_sending_a_file_is_refused_politely_and_nothing_is_kept(
    bot: object, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    coordinator.send_document("personnes.csv", PERSONS.read_bytes())
    await coordinator.expect(says("import.summary.counts", created=6))
    marie = FakeUser(fake_api, 3201, "Marie", "fr")
    marie.send_document("liste.csv", PERSONS.read_bytes())
    await marie.expect(says("import.document_refused"))
    marie.press_data("imp:apply:1")
    await marie.expect_alert(says("access.refused"))
    assert fake_api.downloads == ["file-1"]  # only the coordinator's file was ever fetched
    assert rows(db_path, "SELECT coordinator FROM import_uploads") == [(900_001,)]
    assert rows(db_path, "SELECT COUNT(*) FROM persons") == [(0,)]
