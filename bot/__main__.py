"""Command line: `python -m bot run | import-streets FILE | import-iris FILE | import-volunteers FILE |
import-persons FILE | backup [--verify [FILE]] | restore FILE | plan ... | export ...`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from datetime import date
from pathlib import Path

from bot.cli import say, town_translator
from bot.config import ConfigError, Settings, load_settings
from bot.i18n import Translations
from bot.logs import configure_logging
from bot.storage.sealing import DataKeyError

log = logging.getLogger("bot")


def _run(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.app import serve

    settings.require_token()
    asyncio.run(serve(settings))
    return 0


def _import_streets(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.streets import import_streets

    return import_streets(settings, Path(args.file), args.any_town)


def _import_records(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.imports import import_file
    from bot.imports.report import ImportKind

    return import_file(settings, ImportKind(args.kind), Path(args.file), args.apply)


def _import_iris(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.areas import import_iris

    return import_iris(settings, Path(args.file))


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.backup import backup, verify

    if args.verify is None:
        return backup(settings)
    return verify(settings, Path(args.verify) if args.verify else None)


def _restore(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.backup import restore

    return restore(settings, Path(args.file))


def _plan(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.plan import plan_command

    return plan_command(settings, args)


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.export import export

    return export(settings, args.out, args.first, args.last, args.with_names, args.machine)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m bot", description="Lien: a bot against social isolation.")
    root.add_argument("--config", type=Path, help="configuration file (default: config.toml, else the example)")
    root.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    commands = root.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (polling or webhook, as configured)").set_defaults(action=_run)
    streets = commands.add_parser("import-streets", help="import the town's streets from a BAN CSV file")
    streets.add_argument("file")
    streets.add_argument(
        "--any-town", action="store_true", help="keep lines of other communes than town.insee_code (refused otherwise)"
    )
    streets.set_defaults(action=_import_streets)
    iris = commands.add_parser(
        "import-iris", help="import each neighbourhood's census figures (INSEE CSV by IRIS) for the desk's risk layer"
    )
    iris.add_argument("file")
    iris.set_defaults(action=_import_iris)
    for kind, about in (("volunteers", "volunteers (they get invitation links)"), ("persons", "persons followed")):
        records = commands.add_parser(f"import-{kind}", help=f"check, then import with --apply, a CSV file of {about}")
        records.add_argument("file")
        records.add_argument(
            "--apply", action="store_true", help="write it (one transaction; nothing if a line is rejected)"
        )
        records.set_defaults(action=_import_records, kind=kind)
    backup = commands.add_parser("backup", help="write a consistent copy of the database into the backup folder")
    backup.add_argument(
        "--verify",
        nargs="?",
        const="",
        metavar="FILE",
        help="check a backup instead (the newest by default): intact, and the key opens it",
    )
    backup.set_defaults(action=_backup)
    restore = commands.add_parser(
        "restore", help="with the bot stopped: put a backup back, the erasures made since applied again"
    )
    restore.add_argument("file", help="the backup to restore (lien-YYYYmmdd-HHMMSS.sqlite3)")
    restore.set_defaults(action=_restore)
    from bot.cli.plan import add_arguments as plan_arguments

    plan = commands.add_parser("plan", help="plan a week (from the database, or --demo) and print its figures")
    plan_arguments(plan)
    plan.set_defaults(action=_plan)
    evaluation = commands.add_parser("export", help="write the annual evaluation's CSV files (no names by default)")
    evaluation.add_argument("--out", type=Path, help="folder for the files (default: evaluation-FROM-TO)")
    evaluation.add_argument("--from", dest="first", type=date.fromisoformat, help="first day, YYYY-MM-DD")
    evaluation.add_argument("--to", dest="last", type=date.fromisoformat, help="last day, YYYY-MM-DD (default: today)")
    evaluation.add_argument(
        "--with-names", action="store_true", help="add names and contact details (every export is in the audit log)"
    )
    evaluation.add_argument(
        "--machine", action="store_true", help="stable column names and codes, for scripts (see docs/EXPORT.md)"
    )
    evaluation.set_defaults(action=_export)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    configure_logging(args.log_level)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        # No settings: the language is the one the environment names, else French (the default).
        _ = Translations("fr").get(os.environ.get("BOT_DEFAULT_LANGUAGE", "fr"))
        say(_("cli.config_error", error=str(exc)), error=True)
        return 2
    try:
        return int(args.action(settings, args))
    except DataKeyError as exc:
        say(town_translator(settings)("cli.data_key_error", error=str(exc)), error=True)
        return 2

if __name__ == "__main__":
    sys.exit(main())
