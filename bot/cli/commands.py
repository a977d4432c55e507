"""One command, run: logging, the settings, then the command's own module, imported only now.

What the operator can fix (a setting, the key, the database file, a full disk) ends the command with one
line on stderr, in the town's language, and exit code 2: never a traceback, never a secret."""

from __future__ import annotations

import argparse
import asyncio
import errno
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from bot.config import Settings, load_settings
from bot.domain.errors import OperatorError
from bot.i18n import Translator, translator
from bot.logs import configure_logging

Command = Callable[[Settings, argparse.Namespace, Translator], int]


def _run(settings: Settings, _args: argparse.Namespace, _: Translator) -> int:
    from bot.app import serve

    settings.require_token()
    asyncio.run(serve(settings))
    return 0


def _import_streets(settings: Settings, args: argparse.Namespace, _: Translator) -> int:
    from bot.cli.streets import import_streets

    return import_streets(settings, args.file, args.any_town, _)


def _import_iris(settings: Settings, args: argparse.Namespace, _: Translator) -> int:
    from bot.cli.areas import import_iris

    return import_iris(settings, args.file, _)


def _import_records(settings: Settings, args: argparse.Namespace, _: Translator) -> int:
    from bot.cli.imports import import_file
    from bot.imports.report import ImportKind

    return import_file(settings, ImportKind(args.command.removeprefix("import-")), args.file, args.apply, _)


def _backup(settings: Settings, args: argparse.Namespace, _: Translator) -> int:
    from bot.cli.backup import backup, verify

    if args.verify is None:
        return backup(settings, _)
    return verify(settings, Path(args.verify) if args.verify else None, _)


def _restore(settings: Settings, args: argparse.Namespace, _: Translator) -> int:
    from bot.cli.backup import restore

    return restore(settings, args.file, _)


def _rotate_key(settings: Settings, _args: argparse.Namespace, _: Translator) -> int:
    from bot.cli.rotate_key import rotate_key

    return rotate_key(settings, _)


def _plan(settings: Settings, args: argparse.Namespace, _: Translator) -> int:
    from bot.cli.plan import plan_command

    return plan_command(settings, args, _)


def _export(settings: Settings, args: argparse.Namespace, _: Translator) -> int:
    from bot.cli.export import export

    return export(settings, args.out, args.first, args.last, args.with_names, args.machine, _)


COMMANDS: dict[str, Command] = {
    "run": _run,
    "import-streets": _import_streets,
    "import-iris": _import_iris,
    "import-volunteers": _import_records,
    "import-persons": _import_records,
    "backup": _backup,
    "restore": _restore,
    "rotate-key": _rotate_key,
    "plan": _plan,
    "export": _export,
}


def dispatch(args: argparse.Namespace, cli: Translator) -> int:
    """`cli` speaks until the settings are read; then the configured language does."""
    configure_logging(args.log_level)
    _ = cli
    try:
        settings = load_settings(args.config)
        _ = translator(settings.i18n.default_language)
        return COMMANDS[args.command](settings, args, _)
    except OperatorError as exc:
        print(exc.render(_), file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        print(_.plain("cli.disk_full", path=exc.filename or os.getcwd()), file=sys.stderr)
        return 2
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorname != "SQLITE_FULL":
            raise
        print(_.plain("cli.disk_full", path=os.getcwd()), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
