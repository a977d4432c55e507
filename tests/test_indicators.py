"""The coordinator's indicators and the annual evaluation export, on a database seeded with known figures."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.numbers import format_percent

from bot.app import services_of
from bot.config import Settings
from bot.runtime.inbox import InboxApplication
from bot.services.indicators import Period, period_of
from bot.storage.database import Database
from bot.storage.models import VolunteerKind
from bot.storage.persons import NewPerson, PersonRepository, PersonStatus
from bot.storage.reports import Channel, Place, ReportContent, ReportRepository, Urgency
from bot.storage.streets import StreetRepository
from bot.storage.users import UserRepository
from bot.storage.volunteers import VolunteerRepository
from tests.conftest import COORDINATOR_ID, rows
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Seeded:
    today: date
    streets: int
    area: str
    area_streets: int
    names: tuple[str, ...]
    phones: tuple[str, ...]
    telegram_ids: tuple[int, ...]


def _utc(day: date) -> str:
    return f"{day.isoformat()}T10:00:00.000Z"


async def seed(db: Database, zone: ZoneInfo) -> Seeded:
    """This month: reports by the bot 2, by phone 1, self-test 1; a file opened; a person out of isolation
    (followed since last month); a volunteer approved; a street watched.
    Last month: reports by the bot 1, in person 1; a file opened; one ended (moved); a volunteer approved;
    a street watched. Thirteen months ago: a report by phone and two files, one still open.
    A pending volunteer counts nowhere."""
    today = datetime.now(zone).date()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=15)
    long_ago = (today.replace(day=1) - timedelta(days=380)).replace(day=15)
    reports, persons = ReportRepository(db), PersonRepository(db)
    users, volunteers, streets = UserRepository(db), VolunteerRepository(db), StreetRepository(db)

    dated_reports = [
        (Channel.TELEGRAM, 3101, today),
        (Channel.TELEGRAM, 3102, today),
        (Channel.PHONE, None, today),
        (Channel.SELF_TEST, 3103, today),
        (Channel.TELEGRAM, 3104, last_month),
        (Channel.IN_PERSON, None, last_month),
        (Channel.PHONE, None, long_ago),
    ]
    for update_id, (channel, reporter, day) in enumerate(dated_reports, start=1):
        if reporter is not None:
            await users.remember(reporter, f"Reporter{reporter}")
        content = ReportContent(
            Place(address="3 rue Secrète"), ["shutters"], Urgency.SOON, "Madame Témoin", None, False, True
        )
        report, _ = await reports.create(
            content, year=day.year, channel=channel, reporter_id=reporter, entered_by=None, source_update_id=update_id
        )
        async with db.transaction() as tx:
            await tx.execute("UPDATE reports SET created_at = ? WHERE id = ?", (_utc(day), report.id))

    async def person(name: str, phone: str, since: date) -> int:
        created = await persons.create(NewPerson(name, "7 rue Cachée", None, None, None, ["company"]), 1, 1)
        await persons.update(created.id, 1, {"phone": phone})
        async with db.transaction() as tx:
            await tx.execute("UPDATE persons SET created_at = ? WHERE id = ?", (_utc(since), created.id))
        return created.id

    await person("Albertine Nouvelle", "0611111111", today)
    left = await person("Bernard Sorti", "0622222222", last_month)
    await persons.set_status(left, 1, PersonStatus.ENDED, "left_isolation")
    await person("Camille Ancienne", "0633333333", long_ago)
    moved = await person("Denis Parti", "0644444444", long_ago)
    await persons.set_status(moved, 1, PersonStatus.ENDED, "moved")
    async with db.transaction() as tx:
        await tx.execute("UPDATE persons SET ended_at = ? WHERE id = ?", (_utc(last_month), moved))

    for telegram_id, approved_on in ((3201, today), (3202, last_month), (3203, None)):
        await users.remember(telegram_id, f"Volunteer{telegram_id}")
        await volunteers.apply(telegram_id, VolunteerKind.BENEVOLE)
        if approved_on is not None:
            await volunteers.decide(telegram_id, True, COORDINATOR_ID)
            async with db.transaction() as tx:
                await tx.execute(
                    "UPDATE volunteers SET decided_at = ? WHERE telegram_id = ?", (_utc(approved_on), telegram_id)
                )

    area_rows = await db.fetch_all(
        "SELECT neighbourhood, COUNT(*), MIN(id), MAX(id) FROM streets GROUP BY neighbourhood "
        "HAVING COUNT(*) >= 2 ORDER BY neighbourhood LIMIT 1"
    )
    area, area_streets, first_street, last_street = area_rows[0]
    for telegram_id, street, day in ((3301, first_street, today), (3302, last_street, last_month)):
        await users.remember(telegram_id, f"Neighbour{telegram_id}")
        await streets.add_watcher(street, telegram_id)
        async with db.transaction() as tx:
            await tx.execute("UPDATE street_watchers SET since = ? WHERE telegram_id = ?", (_utc(day), telegram_id))
    total = await db.fetch_one("SELECT COUNT(*) FROM streets")
    assert total is not None
    return Seeded(
        today,
        int(total[0]),
        str(area),
        int(area_streets),
        ("Albertine Nouvelle", "Bernard Sorti", "Camille Ancienne", "Denis Parti", "Madame Témoin", "Reporter3101"),
        ("0611111111", "0622222222", "0633333333", "0644444444", "3 rue Secrète", "7 rue Cachée"),
        (3101, 3102, 3103, 3104, 3201, 3202),
    )


def percent(covered: int, total: int) -> str:
    return str(format_percent(covered / total, locale="fr"))


async def ask_stats(coordinator: FakeUser, fake_api: FakeBotApi, period_label: str) -> tuple[str, bytes, str]:
    """/stats, a period: the figures' text, the chart's bytes and its caption."""
    coordinator.send("/stats")
    await coordinator.expect("quelle période")
    photos = fake_api.call_count("sendPhoto")
    coordinator.press(period_label)
    figures = await coordinator.expect("Indicateurs du")
    await eventually(lambda: fake_api.call_count("sendPhoto") == photos + 1, "the chart is sent")
    photo = [s for s in fake_api.sent_to(coordinator.id) if s.method == "sendPhoto"][-1]
    upload = photo.params["photo"]
    assert isinstance(upload, dict), "the chart is uploaded as a file"
    return re.sub(r"<[^>]+>", "", figures.text), upload["content"], photo.text


async def test_stats_shows_this_month_and_last_month_figures_and_sends_a_chart_picture(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, settings: Settings
) -> None:
    zone = ZoneInfo(settings.reports.timezone)
    seeded = await seed(services_of(bot).db, zone)

    text, png, caption = await ask_stats(coordinator, fake_api, "Ce mois-ci")
    assert png.startswith(PNG_SIGNATURE)
    assert caption.startswith("📈 Par mois")
    assert "Personnes repérées (signalements reçus) : 4" in text
    assert "par le bot : 2 · par téléphone : 1 · en personne : 0 · auto-test : 1" in text
    assert "Personnes suivies : 3, dont 1 nouvelles" in text
    assert "Sorties de l'isolement : 1" in text
    assert "Bénévoles engagés : 2, dont 1 nouveaux" in text
    assert f"Rues avec un voisin bienveillant : 2 sur {seeded.streets} ({percent(2, seeded.streets)})" in text
    assert f"{seeded.area} : 2 sur {seeded.area_streets} ({percent(2, seeded.area_streets)})" in text
    assert "pas encore enregistrés" in text

    text, png, _caption = await ask_stats(coordinator, fake_api, "Le mois dernier")
    assert png.startswith(PNG_SIGNATURE)
    assert "Personnes repérées (signalements reçus) : 2" in text
    assert "par le bot : 1 · par téléphone : 0 · en personne : 1 · auto-test : 0" in text
    assert "Personnes suivies : 3, dont 1 nouvelles" in text
    assert "Sorties de l'isolement : 0" in text
    assert "Bénévoles engagés : 1, dont 1 nouveaux" in text
    assert f"Rues avec un voisin bienveillant : 1 sur {seeded.streets}" in text

    text, png, _caption = await ask_stats(coordinator, fake_api, "12 derniers mois")
    assert png.startswith(PNG_SIGNATURE)
    assert "Personnes repérées (signalements reçus) : 6" in text  # the report of 13 months ago is out
    assert "Personnes suivies : 4, dont 2 nouvelles" in text


async def test_stats_is_refused_to_anyone_but_a_coordinator(bot: InboxApplication, fake_api: FakeBotApi) -> None:
    neighbour = FakeUser(fake_api, 3401, "Lina", "fr")
    neighbour.send("/stats")
    await neighbour.expect("réservée à un autre rôle")
    neighbour.press_data("stats:this_month")
    await neighbour.expect_alert("réservée à un autre rôle")
    assert fake_api.call_count("sendPhoto") == 0


async def test_a_follow_up_ends_with_a_reason_and_leaving_isolation_counts(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    from tests.test_reports import open_report, report_from_pin

    reference = await report_from_pin(FakeUser(fake_api, 3501, "Odile", "fr"))
    await open_report(coordinator, reference)
    coordinator.press("Ouvrir une fiche")
    await coordinator.expect("Nom de la personne")
    coordinator.send("Monsieur Lenoir")
    await coordinator.expect("Fiche ouverte pour Monsieur Lenoir")
    coordinator.press_data("pf:open:1")
    await coordinator.expect("Monsieur Lenoir", "suivie")
    coordinator.press("Terminer")
    await coordinator.expect("Pourquoi le suivi se termine")
    coordinator.press("N'est plus isolée")
    await coordinator.expect("Monsieur Lenoir", "terminée")
    assert rows(db_path, "SELECT status, ended_reason, ended_at IS NOT NULL FROM persons") == [
        ("ended", "left_isolation", 1)
    ]
    text, _png, _caption = await ask_stats(coordinator, fake_api, "Ce mois-ci")
    assert "Sorties de l'isolement : 1" in text


def test_months_and_periods_follow_the_calendar() -> None:
    today = date(2026, 3, 10)
    assert period_of("this_month", today) == Period(date(2026, 3, 1), today)
    assert period_of("last_month", today) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert period_of("this_year", today) == Period(date(2026, 1, 1), today)
    twelve = period_of("last_12_months", today)
    assert twelve.first == date(2025, 4, 1)
    assert [m.first.month for m in twelve.months()] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    assert twelve.months()[-1] == Period(date(2026, 3, 1), today)


def _export(settings: Settings, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("BOT_")},
        "PYTHONPATH": str(ROOT),
        "BOT_DB_PATH": str(settings.storage.db_path),
        "BOT_GEOCODING_ONLINE": "false",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "export", "--out", str(out), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _read(out: Path, name: str) -> list[dict[str, str]]:
    with (out / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


async def test_export_writes_the_evaluation_without_names_unless_asked_and_then_audits_it(
    bot: InboxApplication, settings: Settings, db_path: Path, tmp_path: Path
) -> None:
    zone = ZoneInfo(settings.reports.timezone)
    seeded = await seed(services_of(bot).db, zone)
    first = period_of("last_month", seeded.today).first

    plain = tmp_path / "plain"
    done = _export(settings, plain, "--from", first.isoformat(), "--to", seeded.today.isoformat())
    assert done.returncode == 0, done.stderr
    files = sorted(p.name for p in plain.iterdir())
    assert files == ["indicators.csv", "monthly.csv", "persons.csv", "reports.csv", "volunteers.csv"]
    everything = "".join(p.read_text(encoding="utf-8-sig") for p in plain.iterdir())
    for secret in (*seeded.names, *seeded.phones, *(str(i) for i in seeded.telegram_ids)):
        assert secret not in everything, secret
    indicators = {(r["indicator"], r["neighbourhood"]): r["value"] for r in _read(plain, "indicators")}
    assert indicators["reports_received", ""] == "6"
    assert indicators["reports_self_test", ""] == "1"
    assert indicators["persons_followed", ""] == "4"
    assert indicators["persons_left_isolation", ""] == "1"
    assert indicators["volunteers_approved", ""] == "2"
    assert indicators["streets_covered", seeded.area] == "2"
    assert [r["reports_received"] for r in _read(plain, "monthly")] == ["2", "4"]
    assert [r["file"] for r in _read(plain, "persons")] == ["P-1", "P-2", "P-3", "P-4"]
    assert [r["volunteer"] for r in _read(plain, "volunteers")] == ["V-1", "V-2"]
    assert rows(db_path, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'export%'") == [(0,)]

    named = tmp_path / "named"
    done = _export(settings, named, "--from", first.isoformat(), "--with-names")
    assert done.returncode == 0, done.stderr
    persons = _read(named, "persons")
    assert [p["name"] for p in persons] == ["Albertine Nouvelle", "Bernard Sorti", "Camille Ancienne", "Denis Parti"]
    assert persons[0]["phone"] == "0611111111"
    assert "Reporter3101" in {r["reporter_name"] for r in _read(named, "reports")}
    assert {v["first_name"] for v in _read(named, "volunteers")} == {"Volunteer3201", "Volunteer3202"}
    assert rows(db_path, "SELECT actor, action, subject FROM audit_log WHERE action LIKE 'export%'") == [
        ("cli", "export.with_names", f"evaluation:{first.isoformat()}..{seeded.today.isoformat()}")
    ]


def test_export_refuses_a_period_that_ends_before_it_starts(settings: Settings, tmp_path: Path) -> None:
    done = _export(settings, tmp_path / "out", "--from", "2026-05-01", "--to", "2026-04-01")
    assert done.returncode == 2
    assert "after" in done.stdout
    assert not (tmp_path / "out").exists()
