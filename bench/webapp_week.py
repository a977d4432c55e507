"""Mini App benchmark: the week page of an M town (150 volunteers, 400 persons) fully drawn in a real
headless browser, and the p95 of the API the desk calls, on this machine.

The town is generated as in bench/planning.py (seed 1), written into a fresh database as the bot stores it,
planned by the bot's own service (CP-SAT, 10 s), then served by the Mini App's server in this process.
"Fully drawn" is the moment the page says every outing of the week is on the map and in the table
(`body[data-routes]`), measured from the navigation's start, without map tiles (offline, as in the tests).

    python bench/webapp_week.py            # the figures on stdout
    python bench/webapp_week.py --write    # and the section of docs/BENCHMARKS.md, with a screenshot
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from bench.planning import load_average, machine, write
from bot.cli.database import unlock_configured
from bot.config import load_settings
from bot.i18n import Translations
from bot.matching import generate_week
from bot.runtime.notifier import OutboxNotifier
from bot.services.container import build_services
from bot.storage.database import Database
from bot.storage.outbox import OutboxRepository
from bot.webapp.desk import Desk
from bot.webapp.server import start_webapp
from tests.browser import ARGS, CHROMIUM, opened_from_telegram
from tests.fake_bot_api import TOKEN
from tests.mini_app import signed_init_data
from tests.test_webhook import free_port

COORDINATOR = 900_001
YEAR, WEEK = 2026, 48  # the generator's week (Monday 23 November 2026)
SECTION = "## Mini App: the week page of an M town"
SHOT = Path(__file__).resolve().parent.parent / "docs" / "mini-app-week-m.png"
API_CALLS = {
    "me": 100,
    f"week?week={YEAR}-W{WEEK}": 100,
    "town": 50,
    "volunteers": 50,
    "stats?period=last_12_months": 30,
}


async def seed(db: Database) -> None:
    week = generate_week("M", 1)
    async with db.transaction() as tx:
        for index, v in enumerate(week.volunteers):
            telegram_id = 10_000 + index
            street = None
            if v.home is not None:
                street = await tx.execute(
                    "INSERT INTO streets (key, name, insee_code, postcode, neighbourhood, lat, lon) "
                    "VALUES (?, ?, '47001', '47000', 'Centre-ville', ?, ?)",
                    (f"home-{index}", f"Rue {index}", v.home.lat, v.home.lon),
                )
            await tx.execute("INSERT INTO users (telegram_id, first_name) VALUES (?, ?)", (telegram_id, f"V{index}"))
            await tx.execute(
                "INSERT INTO volunteers (telegram_id, kind, status, charter_accepted_at) "
                "VALUES (?, ?, 'approved', 'x')",
                (telegram_id, v.kind.value),
            )
            await tx.execute(
                "INSERT INTO volunteer_profiles (telegram_id, experienced, capacity, home_street_id) "
                "VALUES (?, ?, ?, ?)",
                (telegram_id, int(v.experienced), min(v.capacity, 6), street),
            )
            await tx.execute_many("INSERT INTO volunteer_slots VALUES (?, ?)", [(telegram_id, s) for s in v.slot_ids])
        for index, p in enumerate(week.persons):
            await tx.execute(
                "INSERT INTO persons (name, address, lat, lon, visits_per_month, created_by) VALUES (?, ?, ?, ?, 4, 1)",
                (f"Personne {index}", f"{index} rue de test", p.location.lat, p.location.lon),
            )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(write: bool) -> str:
    from playwright.async_api import async_playwright

    folder = Path(tempfile.mkdtemp())
    port = free_port()
    settings = load_settings(
        environ={
            "BOT_TOKEN": TOKEN,
            "BOT_DB_PATH": str(folder / "lien.sqlite3"),
            "BOT_COORDINATORS": str(COORDINATOR),
            "BOT_GEOCODING_ONLINE": "false",
            "BOT_WEBAPP_URL": f"http://127.0.0.1:{port}/app",
            "BOT_WEBAPP_PORT": str(port),
        }
    )
    settings = settings.model_copy(update={"webapp": settings.webapp.model_copy(update={"tile_url": ""})})
    db = Database(settings.storage.db_path)
    await db.open()
    await unlock_configured(db, settings)
    await seed(db)
    svc = build_services(settings, db, Translations("fr"), OutboxNotifier(OutboxRepository(db)))
    svc.calendar.now = lambda: datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Europe/Paris"))
    await svc.streets.refresh()
    started = time.perf_counter()
    await svc.publication.make_draft(YEAR, WEEK, COORDINATOR)
    planning_s = time.perf_counter() - started
    server = start_webapp(Desk(svc, lambda: None), TOKEN)
    base = settings.webapp.public_url
    init_data = signed_init_data(COORDINATOR)
    lines = []
    try:
        found = await svc.desk.week(YEAR, WEEK)
        assert found is not None
        outings, visits = len(found.outings), sum(len(o.stops) for o in found.outings)
        async with httpx.AsyncClient(headers={"Authorization": f"tma {init_data}"}, timeout=30) as client:
            for path, count in API_CALLS.items():
                times = []
                for _ in range(count):
                    t0 = time.perf_counter()
                    answer = await client.get(f"{base}/api/{path}")
                    times.append((time.perf_counter() - t0) * 1000)
                    assert answer.status_code == 200, answer.text
                size = len(answer.content) / 1024
                lines.append(
                    f"| `GET /api/{path.split('?')[0]}` | {count} | {statistics.median(times):.0f} ms | "
                    f"{percentile(times, 0.95):.0f} ms | {max(times):.0f} ms | {size:.0f} KiB |"
                )
        drawn = []
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for run in range(6):
                page = await browser.new_page(viewport={"width": 1280, "height": 900})
                t0 = time.perf_counter()
                await page.goto(opened_from_telegram(f"{base}/?tab=week&week={YEAR}-W{WEEK}&slot=all", init_data))
                await page.wait_for_selector(f"body[data-routes='{outings}']", timeout=60_000)
                elapsed = (time.perf_counter() - t0) * 1000
                if run:  # the first run warms the browser's caches
                    drawn.append(elapsed)
                paths = await page.locator("#week-map path.route").count()
                doors = await page.locator("#week-map .door").count()
                rows = await page.locator("#week-table tbody tr").count()
                if write and run == 1:
                    # The picture shows one half-day, as the page opens without ?slot=all.
                    await page.select_option("#week-slot", index=1)
                    await page.screenshot(path=str(SHOT))
                await page.close()
            await browser.close()
    finally:
        server.stop()
        await db.close()
    header = [
        SECTION,
        "",
        f"Date {date.today().isoformat()}; machine: {machine()}, Debian's chromium (headless); "
        f"load average at the end: {load_average()}.",
        "Command: `python bench/webapp_week.py --write`. "
        f"The M town (seed 1): {outings} outings, {visits} visits planned in {planning_s:.1f} s by the bot's service "
        "(the planner, each outing's route and the greedy baseline).",
        "",
        f"**The week page fully drawn** (every route and door on the map, the table of {rows} outings; "
        f"{paths} routes, {doors} doors): median {statistics.median(drawn):.0f} ms, worst "
        f"{max(drawn):.0f} ms over {len(drawn)} loads (after one warm-up), from the navigation's start, no tiles.",
        "",
        "| API call (signed init data, one at a time) | calls | p50 | p95 | max | answer |",
        "|---|---|---|---|---|---|",
        *lines,
    ]
    return "\n".join(header) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="write the section of docs/BENCHMARKS.md")
    args = parser.parse_args()
    text = asyncio.run(measure(args.write))
    print(text)
    if args.write:
        write(text, SECTION)


if __name__ == "__main__":
    main()
