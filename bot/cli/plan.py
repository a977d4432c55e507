"""`python -m bot plan`: a week's plan and its figures, from the database or on a generated demo town."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from bot.config import Settings
from bot.domain.weeks import parse_week
from bot.i18n import Translations
from bot.matching.report import demo_report, render_json, render_text
from bot.runtime.notifier import OutboxNotifier
from bot.services.container import build_services
from bot.storage.database import Database
from bot.storage.outbox import OutboxRepository
from bot.storage.sealing import unlock


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--week", help="ISO week such as 2026-W49 (default: next week)")
    parser.add_argument("--demo", action="store_true", help="plan a generated Agen-like town instead")
    parser.add_argument("--size", default="S", choices=["S", "M", "L"], help="demo size")
    parser.add_argument("--seed", type=int, default=1, help="demo seed")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.add_argument("--log-search", action="store_true", help="log CP-SAT's search (planning.log_search)")
    parser.add_argument("--dump-model", metavar="DIR", help="write each part's CP-SAT model into DIR as text protobuf")


def plan_command(settings: Settings, args: argparse.Namespace) -> int:
    study = {"log_search": args.log_search or settings.planning.log_search}
    if args.dump_model:
        folder = Path(args.dump_model)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"--dump-model: {folder}: {exc.strerror}", file=sys.stderr)
            return 2
        study["dump_models_to"] = str(folder)
    settings = settings.model_copy(update={"planning": settings.planning.model_copy(update=study)})
    if args.demo:
        planning = settings.planning
        print(demo_report(args.size, args.seed, args.json, planning.log_search, planning.dump_models_to))
        return 0
    try:
        year, week = parse_week(args.week, date.today())
    except ValueError as exc:
        print(f"--week: {exc}", file=sys.stderr)
        return 2
    return asyncio.run(_plan_from_database(settings, year, week, args.json))


async def _plan_from_database(settings: Settings, year: int, week: int, as_json: bool) -> int:
    db = Database(settings.storage.db_path)
    await db.open()
    try:
        # Person files hold sealed columns: reading them needs the data key.
        await unlock(db, settings.privacy.data_key, settings.privacy.key_path(db.path))
        services = build_services(
            settings, db, Translations(settings.i18n.default_language), OutboxNotifier(OutboxRepository(db))
        )
        planned = await services.planning.plan(year, week)
    finally:
        await db.close()
    render = render_json if as_json else render_text
    print(render(planned.week, planned.plan, planned.baseline))
    return 0
