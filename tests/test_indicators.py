"""The coordinator's indicators and the annual evaluation export, on a database seeded with known figures."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
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
from bot.i18n import plain
from bot.runtime.inbox import InboxApplication
from bot.services.indicators import Period, period_of, typed_period
from bot.storage.database import Database
from bot.storage.persons import NewPerson, PersonRepository
from bot.storage.reports import ReportRepository
from bot.storage.streets import StreetRepository
from bot.storage.users import UserRepository
from bot.storage.visits import NewVisit, VisitRepository
from bot.storage.volunteers import VolunteerRepository
from tests.catalogue import Says, says, text_of
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
        NewVisit(person, "mon-am", day, pair, position, time(10), time(10, 45), 5.0, (44.2, 0.62), None)
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
        created = await reports.create(
            content, year=day.year, channel=channel, reporter_id=reporter, entered_by=None, source_update_id=update_id
        )
        assert created is not None  # no ceiling given
        report, _ = created
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
        albertine, "mon-pm", today, (3205, 3206), 1, time(15), time(15, 45), 5.0, (44.2, 0.62), None, handed_over
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


async def stats_of(
    coordinator: FakeUser, fake_api: FakeBotApi, ask: Says | str | None = None
) -> tuple[str, bytes, str]:
    """/stats and a period's button (or /stats with a typed period): the figures' text, the chart's bytes and
    its caption."""
    photos = fake_api.call_count("sendPhoto")
    if ask is None or isinstance(ask, str):
        coordinator.send(ask or "/stats")
    else:
        coordinator.send("/stats")
        await coordinator.expect(says("stats.choose_period"))
        coordinator.press(ask)
    figures = await coordinator.expect(says("stats.summary"))
    await eventually(lambda: fake_api.call_count("sendPhoto") == photos + 1, "the chart is sent")
    photo = [s for s in fake_api.sent_to(coordinator.id) if s.method == "sendPhoto"][-1]
    upload = photo.params["photo"]
    assert isinstance(upload, dict), "the chart is uploaded as a file"
    return figures.text, upload["content"], photo.text


def covered(count: int, streets: int, area: str | None = None) -> Says:
    """The line of the streets with a caring neighbour: the town's, or a neighbourhood's."""
    share = percent(count / streets)
    if area is None:
        return says("stats.coverage", covered=count, streets=streets, share=share)
    return says("stats.area", area=area, covered=count, streets=streets, share=share)


async def test_stats_shows_the_figures_of_this_month_and_last_month_and_sends_a_chart_picture(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, settings: Settings
) -> None:
    zone = ZoneInfo(settings.reports.timezone)
    seeded = await seed(database_of(bot), zone)

    this_month = [
        says(
            "stats.summary",
            reports=4,
            bot=2,
            phone=1,
            in_person=0,
            self_test=1,
            followed=3,
            newly_followed=says("stats.newly_followed", count=1),
            left_isolation=1,
            planned=6,
            done=2,
            missed=1,
            cancelled=1,
            volunteers=2,
            new_volunteers=says("stats.new_volunteers", count=1),
            active=2,
        ),
        says("stats.wellbeing", average="3,0", count=2),
        says("stats.satisfaction", count=1, answers=2, share=percent(0.5)),
        covered(2, seeded.streets),
        covered(2, seeded.area_streets, seeded.area),
    ]
    last_month = [
        says(
            "stats.summary",
            reports=2,
            bot=1,
            phone=0,
            in_person=1,
            self_test=0,
            followed=3,
            newly_followed=says("stats.newly_followed", count=1),
            left_isolation=0,
            planned=1,
            done=1,
            missed=0,
            cancelled=0,
            volunteers=1,
            new_volunteers=says("stats.new_volunteers", count=1),
            active=2,
        ),
        says("stats.wellbeing", average="5,0", count=1),
        says("stats.satisfaction", count=1, answers=1, share=percent(1)),
        says("stats.coverage", covered=1, streets=seeded.streets),
    ]
    for period, expected in (
        (says("stats.period.this_month"), this_month),
        (says("stats.period.last_month"), last_month),
    ):
        text, png, caption = await stats_of(coordinator, fake_api, period)
        assert png.startswith(PNG_SIGNATURE)
        assert coordinator.shown(caption, says("stats.chart.caption"))
        assert [str(line) for line in expected if not coordinator.shown(text, line)] == [], period

    text, png, _caption = await stats_of(coordinator, fake_api, says("stats.period.last_12_months"))
    assert png.startswith(PNG_SIGNATURE)
    # the report of 13 months ago is out
    assert coordinator.shown(
        text,
        says(
            "stats.summary",
            reports=6,
            followed=4,
            newly_followed=says("stats.newly_followed", count=2),
            planned=7,
            done=3,
        ),
    )

    text, _png, _caption = await stats_of(coordinator, fake_api, f"/stats {seeded.today.year - 1}")
    last_year = seeded.today.year - 1
    assert coordinator.shown(text, says("stats.summary", first=f"1 janv. {last_year}", last=f"31 déc. {last_year}"))


async def test_stats_in_english_and_a_period_typed_wrong_gets_examples(
    bot: InboxApplication, fake_api: FakeBotApi, settings: Settings
) -> None:
    english = FakeUser(fake_api, COORDINATOR_ID, "Claire", "en")
    english.send("/stats")
    await english.expect(says("stats.choose_period"))
    english.press(says("stats.period.last_year"))
    await english.expect(
        says("stats.summary", reports=0, planned=0, done=0, missed=0, cancelled=0),
        says("stats.wellbeing_none"),
        says("stats.satisfaction_none"),
    )
    for wrong in ("/stats 2026-13", "/stats yesterday", "/stats 2026-05-01 2026-04-01", "/stats 2020-01-01 2026-01-01"):
        english.send(wrong)
        await english.expect(says("stats.bad_period"))
    assert fake_api.call_count("sendPhoto") == 1


async def test_stats_is_refused_to_anyone_but_a_coordinator(bot: InboxApplication, fake_api: FakeBotApi) -> None:
    neighbour = FakeUser(fake_api, 3401, "Lina", "fr")
    neighbour.send("/stats")
    await neighbour.expect(says("access.refused"))
    neighbour.press_data("stats:this_month")
    await neighbour.expect_alert(says("access.refused"))
    assert fake_api.call_count("sendPhoto") == 0


async def test_leaving_isolation_and_satisfaction_recorded_on_a_file_count_in_the_stats(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path, settings: Settings
) -> None:
    today = datetime.now(ZoneInfo(settings.reports.timezone)).date()
    on = format_date(today, "medium", locale="fr")
    await file_from_report(coordinator, FakeUser(fake_api, 3501, "Odile", "fr"), "Monsieur Lenoir")
    await open_person(coordinator, "Monsieur Lenoir")
    await coordinator.expect(says("person.file", satisfaction=says("person.satisfaction_never")))
    coordinator.press(says("person.edit.satisfaction"))
    await coordinator.expect(says("person.screen.satisf", name="Monsieur Lenoir"))
    coordinator.press(says("person.satisfaction.4"))
    asked = says("person.satisfaction_asked", level=says("person.satisfaction.4"), on=on)
    await coordinator.expect(says("person.file", satisfaction=asked))
    coordinator.press(says("person.end"))
    await coordinator.expect(says("person.screen.end", name="Monsieur Lenoir"))
    coordinator.press(says("person.end_reason.left_isolation"))
    await coordinator.expect(says("person.status.ended"), says("person.end_reason.left_isolation"))
    assert rows(
        db_path,
        "SELECT p.status, p.ended_reason, e.ended_at IS NOT NULL FROM persons p "
        "JOIN person_endings e ON e.person_id = p.id",
    ) == [("ended", "left_isolation", 1)]
    assert rows(db_path, "SELECT level, asked_on FROM satisfaction_answers") == [(4, today.isoformat())]
    assert rows(db_path, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.changed:satisfaction'") == [(1,)]

    text, _png, _caption = await stats_of(coordinator, fake_api, says("stats.period.this_month"))
    assert coordinator.shown(text, says("stats.summary", last=on, left_isolation=1))
    assert coordinator.shown(text, says("stats.satisfaction", count=1, answers=1, share=percent(1)))


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
    done = _export(settings, plain, "--from", first.isoformat(), "--to", seeded.today.isoformat(), "--machine")
    assert done.returncode == 0, done.stderr
    assert says("cli.export.without_names").found_in(done.stdout, "fr")  # the town's language
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
    done = _export(settings, named, "--from", first.isoformat(), "--with-names", "--machine")
    assert done.returncode == 0, done.stderr
    assert says("cli.export.with_names").found_in(done.stdout, "fr")
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


async def test_export_is_written_for_people_in_the_town_s_language_and_for_scripts_with_codes(
    bot: InboxApplication, settings: Settings, db_path: Path, tmp_path: Path
) -> None:
    """Headers, channels, statuses, signs and needs in words, decimals with a comma, by default; the machine
    form keeps the stable column names and codes docs/EXPORT.md lists."""
    zone = ZoneInfo(settings.reports.timezone)
    seeded = await seed(database_of(bot), zone)
    first = period_of("last_month", seeded.today).first.isoformat()
    people, machine = tmp_path / "people", tmp_path / "machine"
    assert _export(settings, people, "--from", first).returncode == 0
    assert _export(settings, machine, "--from", first, "--machine").returncode == 0
    for name in ("indicators", "monthly", "reports", "persons", "volunteers"):
        in_codes, in_words = _read(machine, name), _read(people, name)
        assert len(in_codes) == len(in_words)
        headers = list(in_words[0])
        assert headers == [plain(text_of("fr", f"export.column.{column}")) for column in in_codes[0]], name
        assert not set(headers) & set(in_codes[0]), name  # no machine name shown to a person
    indicator = plain(text_of("fr", "export.indicator.wellbeing_average_1_to_5"))
    value = plain(text_of("fr", "export.column.value"))
    wellbeing = [
        row[value]
        for row in _read(people, "indicators")
        if row[plain(text_of("fr", "export.column.indicator"))] == indicator
    ]
    assert wellbeing == ["3,67"]
    channels = {row[plain(text_of("fr", "export.column.channel"))] for row in _read(people, "reports")}
    assert channels <= {text_of("fr", f"export.channel.{c}") for c in ("telegram", "phone", "in_person", "self_test")}
    assert {row["channel"] for row in _read(machine, "reports")} <= {"telegram", "phone", "in_person", "self_test"}


def test_export_refuses_a_period_that_ends_before_it_starts(settings: Settings, tmp_path: Path) -> None:
    settings.storage.db_path.touch()
    done = _export(settings, tmp_path / "out", "--from", "2026-05-01", "--to", "2026-04-01")
    assert done.returncode == 2
    assert says("cli.export.reversed", first="2026-05-01", last="2026-04-01").found_in(done.stderr, "fr")
    assert not (tmp_path / "out").exists()


def test_export_without_a_database_says_so_and_creates_none(settings: Settings, tmp_path: Path) -> None:
    done = _export(settings, tmp_path / "out")
    assert done.returncode == 2
    assert says("cli.no_database", setting="BOT_DB_PATH").found_in(done.stderr, "fr")
    assert not settings.storage.db_path.exists()
