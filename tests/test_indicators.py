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

from babel.dates import format_date
from babel.numbers import format_percent

from bot.app import database_of
from bot.config import Settings
from bot.domain.persons import PersonStatus
from bot.domain.reports import Channel, Place, ReportContent, Urgency
from bot.domain.visits import Outcome, VisitStatus
from bot.domain.volunteers import VolunteerKind
from bot.runtime.inbox import InboxApplication
from bot.services.indicators import Period, period_of, typed_period
from bot.storage.database import Database
from bot.storage.persons import NewPerson, PersonRepository
from bot.storage.reports import ReportRepository
from bot.storage.streets import StreetRepository
from bot.storage.users import UserRepository
from bot.storage.visits import NewVisit, VisitRepository
from bot.storage.volunteers import VolunteerRepository
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import file_from_report, open_person
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ROOT = Path(__file__).resolve().parent.parent
PAIR = (3201, 3202)


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


async def _week_of_visits(
    db: Database, day: date, persons: list[int], pair: tuple[int, int], *, draft_of: date | None = None
) -> list[int]:
    """A published week's plan holding one visit a person on `day`, in this order (or the draft of the week
    of `draft_of`); the visits' ids."""
    visits = VisitRepository(db)
    year, week, _weekday = (draft_of or day).isocalendar()
    planned = [
        NewVisit(person, "mon-am", day.isoformat(), pair, position, "10:00", "10:45", 5.0, (44.2, 0.62), None)
        for position, person in enumerate(persons, start=1)
    ]
    plan_id = await visits.save_draft(year, week, COORDINATOR_ID, planned, [], {})
    assert plan_id is not None
    if draft_of is None:
        assert await visits.publish(plan_id, COORDINATOR_ID)
    return [v.id for v in await visits.visits(plan_id)]


async def seed(db: Database, zone: ZoneInfo) -> Seeded:
    """This month: reports by the bot 2, by phone 1, self-test 1; a file opened; a person out of isolation
    (followed since last month); a volunteer approved; a street watched; six visits planned (one handed over
    to another pair, counted once): two made (how the person seemed: 4 and 2), one nobody home, one that
    nobody could take, two to come; a visit of a week still in draft; satisfaction asked twice (4 and 2).
    Last month: reports by the bot 1, in person 1; a file opened; one ended (moved); a volunteer approved;
    a street watched; a visit made (5) by another pair; satisfaction asked once (3).
    Thirteen months ago: a report by phone and two files, one still open. A pending volunteer counts nowhere."""
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

    albertine = await person("Albertine Nouvelle", "0611111111", today)
    left = await person("Bernard Sorti", "0622222222", last_month)
    await persons.set_status(left, 1, PersonStatus.ENDED, "left_isolation")
    camille = await person("Camille Ancienne", "0633333333", long_ago)
    moved = await person("Denis Parti", "0644444444", long_ago)
    await persons.set_status(moved, 1, PersonStatus.ENDED, "moved")
    async with db.transaction() as tx:
        await tx.execute("UPDATE person_endings SET ended_at = ? WHERE person_id = ?", (_utc(last_month), moved))

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

    visits = VisitRepository(db)
    made, sad, nobody, _coming, handed_over, dropped = await _week_of_visits(
        db, today, [albertine, camille, albertine, camille, albertine, camille], PAIR
    )
    await visits.record_outcome(made, PAIR[0], Outcome.DONE, 4, (), False, None)
    await visits.record_outcome(sad, PAIR[1], Outcome.DONE, 2, (), False, None)
    await visits.record_outcome(nobody, PAIR[0], Outcome.NOBODY_HOME, None, (), False, None)
    week = await visits.get(made)
    assert week is not None
    taken_over = NewVisit(
        albertine, "mon-pm", today.isoformat(), (3205, 3206), 1, "15:00", "15:45", 5.0, (44.2, 0.62), None, handed_over
    )
    await visits.replace(week.plan_id, {handed_over: VisitStatus.REPLACED, dropped: VisitStatus.DECLINED}, [taken_over])
    await _week_of_visits(db, today, [albertine], PAIR, draft_of=today + timedelta(days=7))
    (earlier,) = await _week_of_visits(db, last_month, [camille], (3202, 3207))
    await visits.record_outcome(earlier, 3207, Outcome.DONE, 5, (), False, None)
    for person_id, level, day in ((albertine, 4, today), (camille, 2, today), (camille, 3, last_month)):
        assert await persons.record_satisfaction(person_id, COORDINATOR_ID, level, day)

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


def percent(share: float) -> str:
    return str(format_percent(share, locale="fr"))


async def stats_of(coordinator: FakeUser, fake_api: FakeBotApi, ask: str | None = None) -> tuple[str, bytes, str]:
    """/stats and a period's button (or /stats with a typed period): the figures' text, the chart's bytes and
    its caption."""
    photos = fake_api.call_count("sendPhoto")
    if ask is None or ask.startswith("/stats "):
        coordinator.send(ask or "/stats")
    else:
        coordinator.send("/stats")
        await coordinator.expect("quelle période")
        coordinator.press(ask)
    figures = await coordinator.expect("Indicateurs du")
    await eventually(lambda: fake_api.call_count("sendPhoto") == photos + 1, "the chart is sent")
    photo = [s for s in fake_api.sent_to(coordinator.id) if s.method == "sendPhoto"][-1]
    upload = photo.params["photo"]
    assert isinstance(upload, dict), "the chart is uploaded as a file"
    return re.sub(r"<[^>]+>", "", figures.text), upload["content"], photo.text


async def test_stats_shows_the_figures_of_this_month_and_last_month_and_sends_a_chart_picture(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, settings: Settings
) -> None:
    zone = ZoneInfo(settings.reports.timezone)
    seeded = await seed(database_of(bot), zone)

    this_month = [
        "Personnes repérées (signalements reçus) : 4",
        "par le bot : 2 · par téléphone : 1 · en personne : 0 · auto-test : 1",
        "Personnes suivies : 3, dont 1 nouvelles",
        "Sorties de l'isolement : 1",
        "Visites prévues : 6 · faites : 2 · manquées : 1 · annulées : 1",
        "Bénévoles engagés : 2, dont 1 nouveaux · actifs (au moins une visite faite) : 2",
        "Bien-être après les visites : 3,0 sur 5 (réponses après visite : 2)",
        f"Satisfaction, quand on la demande : 1 sur 2 satisfaites ou très satisfaites ({percent(0.5)})",
        f"Rues avec un voisin bienveillant : 2 sur {seeded.streets} ({percent(2 / seeded.streets)})",
        f"{seeded.area} : 2 sur {seeded.area_streets} ({percent(2 / seeded.area_streets)})",
    ]
    last_month = [
        "Personnes repérées (signalements reçus) : 2",
        "par le bot : 1 · par téléphone : 0 · en personne : 1 · auto-test : 0",
        "Personnes suivies : 3, dont 1 nouvelles",
        "Sorties de l'isolement : 0",
        "Visites prévues : 1 · faites : 1 · manquées : 0 · annulées : 0",
        "Bénévoles engagés : 1, dont 1 nouveaux · actifs (au moins une visite faite) : 2",
        "Bien-être après les visites : 5,0 sur 5 (réponses après visite : 1)",
        f"1 sur 1 satisfaites ou très satisfaites ({percent(1)})",
        f"Rues avec un voisin bienveillant : 1 sur {seeded.streets}",
    ]
    for period, expected in (("Ce mois-ci", this_month), ("Le mois dernier", last_month)):
        text, png, caption = await stats_of(coordinator, fake_api, period)
        assert png.startswith(PNG_SIGNATURE)
        assert caption.startswith("📈 Par mois")
        assert [line for line in expected if line not in text] == [], period

    text, png, _caption = await stats_of(coordinator, fake_api, "12 derniers mois")
    assert png.startswith(PNG_SIGNATURE)
    assert "Personnes repérées (signalements reçus) : 6" in text  # the report of 13 months ago is out
    assert "Personnes suivies : 4, dont 2 nouvelles" in text
    assert "Visites prévues : 7 · faites : 3" in text

    text, _png, _caption = await stats_of(coordinator, fake_api, f"/stats {seeded.today.year - 1}")
    assert f"Indicateurs du 1 janv. {seeded.today.year - 1} au 31 déc. {seeded.today.year - 1}" in text


async def test_stats_in_english_and_a_period_typed_wrong_gets_examples(
    bot: InboxApplication, fake_api: FakeBotApi, settings: Settings
) -> None:
    english = FakeUser(fake_api, COORDINATOR_ID, "Claire", "en")
    english.send("/stats")
    await english.expect("for which period?")
    english.press("Last year")
    text = re.sub(r"<[^>]+>", "", (await english.expect("Indicators from")).text)
    assert "People identified (reports received): 0" in text
    assert "Visits planned: 0 · made: 0 · missed: 0 · cancelled: 0" in text
    assert "Wellbeing after visits: no after-visit answer in this period" in text
    assert "Satisfaction, when asked: no answer in this period" in text
    for wrong in ("/stats 2026-13", "/stats yesterday", "/stats 2026-05-01 2026-04-01", "/stats 2020-01-01 2026-01-01"):
        english.send(wrong)
        await english.expect("Period not recognised", "/stats 2025-11")
    assert fake_api.call_count("sendPhoto") == 1


async def test_stats_is_refused_to_anyone_but_a_coordinator(bot: InboxApplication, fake_api: FakeBotApi) -> None:
    neighbour = FakeUser(fake_api, 3401, "Lina", "fr")
    neighbour.send("/stats")
    await neighbour.expect("réservée à un autre rôle")
    neighbour.press_data("stats:this_month")
    await neighbour.expect_alert("réservée à un autre rôle")
    assert fake_api.call_count("sendPhoto") == 0


async def test_leaving_isolation_and_satisfaction_recorded_on_a_file_count_in_the_stats(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path, settings: Settings
) -> None:
    today = datetime.now(ZoneInfo(settings.reports.timezone)).date()
    on = format_date(today, "medium", locale="fr")
    await file_from_report(coordinator, FakeUser(fake_api, 3501, "Odile", "fr"), "Monsieur Lenoir")
    await open_person(coordinator, "Monsieur Lenoir")
    await coordinator.expect("Satisfaction : jamais demandée")
    coordinator.press("😊 Satisfaction")
    await coordinator.expect("Vous avez demandé à Monsieur Lenoir si les visites lui conviennent")
    coordinator.press("Très satisfaite")
    await coordinator.expect(f"Satisfaction : 😀 Très satisfaite (le {on})")
    coordinator.press("Terminer le suivi")
    await coordinator.expect("Pourquoi le suivi de Monsieur Lenoir")
    coordinator.press("N'est plus isolé(e)")
    await coordinator.expect("terminée (N'est plus isolé(e))")
    assert rows(
        db_path,
        "SELECT p.status, p.ended_reason, e.ended_at IS NOT NULL FROM persons p "
        "JOIN person_endings e ON e.person_id = p.id",
    ) == [("ended", "left_isolation", 1)]
    assert rows(db_path, "SELECT level, asked_on FROM satisfaction_answers") == [(4, today.isoformat())]
    assert rows(db_path, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.changed:satisfaction'") == [(1,)]

    text, _png, _caption = await stats_of(coordinator, fake_api, "Ce mois-ci")
    assert f"au {on}" in text
    assert "Sorties de l'isolement : 1" in text
    assert f"Satisfaction, quand on la demande : 1 sur 1 satisfaites ou très satisfaites ({percent(1)})" in text


def test_periods_follow_the_calendar_and_a_typed_one_ends_today_at_the_latest() -> None:
    today = date(2026, 3, 10)
    assert period_of("this_month", today) == Period(date(2026, 3, 1), today)
    assert period_of("last_month", today) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert period_of("this_year", today) == Period(date(2026, 1, 1), today)
    assert period_of("last_year", today) == Period(date(2025, 1, 1), date(2025, 12, 31))
    twelve = period_of("last_12_months", today)
    assert twelve.first == date(2025, 4, 1)
    assert [m.first.month for m in twelve.months()] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    assert twelve.months()[-1] == Period(date(2026, 3, 1), today)
    assert typed_period(["2025-02"], today) == Period(date(2025, 2, 1), date(2025, 2, 28))
    assert typed_period(["2026"], today) == Period(date(2026, 1, 1), today)
    assert typed_period(["2025-12-24", "2026-01-06"], today) == Period(date(2025, 12, 24), date(2026, 1, 6))
    assert typed_period(["2026-04"], today) is None  # starts after today
    assert typed_period(["1999"], today) is None
    assert typed_period(["2023-01-01", "2026-03-10"], today) is None  # 39 months: the chart would be unreadable


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
        timeout=120,
        check=False,
    )


def _read(out: Path, name: str) -> list[dict[str, str]]:
    with (out / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


async def test_export_writes_the_evaluation_without_names_unless_asked_and_audits_both(
    bot: InboxApplication, settings: Settings, db_path: Path, tmp_path: Path
) -> None:
    zone = ZoneInfo(settings.reports.timezone)
    seeded = await seed(database_of(bot), zone)
    first = period_of("last_month", seeded.today).first

    plain = tmp_path / "plain"
    done = _export(settings, plain, "--from", first.isoformat(), "--to", seeded.today.isoformat())
    assert done.returncode == 0, done.stderr
    assert "ni nom ni coordonnées" in done.stdout  # the town's language
    files = sorted(p.name for p in plain.iterdir())
    assert files == ["indicators.csv", "monthly.csv", "persons.csv", "reports.csv", "volunteers.csv"]
    everything = "".join(p.read_text(encoding="utf-8-sig") for p in plain.iterdir())
    for secret in (*seeded.names, *seeded.phones, *(str(i) for i in seeded.telegram_ids)):
        assert secret not in everything, secret
    indicators = {(r["indicator"], r["neighbourhood"]): r["value"] for r in _read(plain, "indicators")}
    town_wide = {
        "reports_received": "6",
        "reports_self_test": "1",
        "persons_followed": "4",
        "persons_left_isolation": "1",
        "visits_planned": "7",
        "visits_done": "3",
        "visits_missed": "1",
        "wellbeing_average_1_to_5": "3.67",
        "satisfaction_answers": "3",
        "satisfaction_satisfied": "2",
        "volunteers_approved": "2",
        "volunteers_active": "3",
    }
    assert {name: indicators[name, ""] for name in town_wide} == town_wide
    assert indicators["streets_covered", seeded.area] == "2"
    monthly = _read(plain, "monthly")
    assert [r["reports_received"] for r in monthly] == ["2", "4"]
    assert [r["visits_done"] for r in monthly] == ["1", "2"]
    assert [r["file"] for r in _read(plain, "persons")] == ["P-1", "P-2", "P-3", "P-4"]
    assert [r["volunteer"] for r in _read(plain, "volunteers")] == ["V-1", "V-2"]
    subject = f"evaluation:{first.isoformat()}..{seeded.today.isoformat()}"
    assert rows(db_path, "SELECT actor, action, subject FROM audit_log WHERE action LIKE 'export%'") == [
        (0, "export.evaluation", subject)
    ]

    named = tmp_path / "named"
    done = _export(settings, named, "--from", first.isoformat(), "--with-names")
    assert done.returncode == 0, done.stderr
    assert "noms et coordonnées inclus" in done.stdout
    persons = _read(named, "persons")
    assert [p["name"] for p in persons] == ["Albertine Nouvelle", "Bernard Sorti", "Camille Ancienne", "Denis Parti"]
    assert persons[0]["phone"] == "0611111111"
    reports = _read(named, "reports")
    assert "Reporter3101" in {r["reporter_name"] for r in reports}
    assert {r["who"] for r in reports} == {"Madame Témoin"}
    assert {v["first_name"] for v in _read(named, "volunteers")} == {"Volunteer3201", "Volunteer3202"}
    assert rows(db_path, "SELECT actor, action, subject FROM audit_log WHERE action LIKE 'export%' ORDER BY id") == [
        (0, "export.evaluation", subject),
        (0, "export.with_names", subject),
    ]


def test_export_refuses_a_period_that_ends_before_it_starts(settings: Settings, tmp_path: Path) -> None:
    settings.storage.db_path.touch()
    done = _export(settings, tmp_path / "out", "--from", "2026-05-01", "--to", "2026-04-01")
    assert done.returncode == 2
    assert "est après" in done.stderr
    assert not (tmp_path / "out").exists()


def test_export_without_a_database_says_so_and_creates_none(settings: Settings, tmp_path: Path) -> None:
    done = _export(settings, tmp_path / "out")
    assert done.returncode == 2
    assert "pas de base de données ici" in done.stderr and "BOT_DB_PATH" in done.stderr
    assert not settings.storage.db_path.exists()
