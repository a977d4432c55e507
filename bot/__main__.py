"""Command line: `lien-bot [--config FILE] [--log-level LEVEL] COMMAND ...` (or `python -m bot`).

The two options are also accepted after the command. Help and output speak the town's language, from the
catalogues. A command imports what it uses only when it runs: `--help` loads no solver and no Telegram
library, so it answers at once."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from bot.cli.language import cli_translator
from bot.i18n import Translator

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
PLAN_SIZES = ("S", "M", "L")


def parser(_: Translator) -> argparse.ArgumentParser:
    """Every option and argument explained, in the town's language."""

    def options(target: argparse.ArgumentParser, defaults: bool) -> None:
        # Repeated on every command so they may follow it; only the root sets defaults, or a command's
        # absent option would overwrite the value given before the command.
        target.add_argument(
            "--config",
            type=Path,
            metavar=_.plain("cli.metavar.file"),
            default=None if defaults else argparse.SUPPRESS,
            help=_.plain("cli.option.config"),
        )
        target.add_argument(
            "--log-level",
            choices=LOG_LEVELS,
            default="INFO" if defaults else argparse.SUPPRESS,
            help=_.plain("cli.option.log_level"),
        )

    root = argparse.ArgumentParser(prog="lien-bot", description=_.plain("cli.description"))
    options(root, defaults=True)
    commands = root.add_subparsers(
        dest="command", required=True, metavar=_.plain("cli.metavar.command"), help=_.plain("cli.commands")
    )

    def command(name: str) -> argparse.ArgumentParser:
        summary = _.plain(f"cli.command.{name}")
        sub = commands.add_parser(name, help=summary, description=summary)
        options(sub, defaults=False)
        return sub

    command("run")
    streets = command("import-streets")
    streets.add_argument("file", type=Path, metavar=_.plain("cli.metavar.file"), help=_.plain("cli.arg.ban_file"))
    streets.add_argument("--any-town", action="store_true", help=_.plain("cli.arg.any_town"))
    iris = command("import-iris")
    iris.add_argument("file", type=Path, metavar=_.plain("cli.metavar.file"), help=_.plain("cli.arg.iris_file"))
    for kind in ("volunteers", "persons"):
        records = command(f"import-{kind}")
        records.add_argument("file", type=Path, metavar=_.plain("cli.metavar.file"), help=_.plain("cli.arg.csv_file"))
        records.add_argument("--apply", action="store_true", help=_.plain("cli.arg.apply"))
    backup = command("backup")
    backup.add_argument(
        "--verify", nargs="?", const="", type=str, metavar=_.plain("cli.metavar.file"), help=_.plain("cli.arg.verify")
    )
    restore = command("restore")
    restore.add_argument("file", type=Path, metavar=_.plain("cli.metavar.file"), help=_.plain("cli.arg.restore_file"))
    command("rotate-key")
    plan = command("plan")
    plan.add_argument("--week", metavar="2026-W49", help=_.plain("cli.arg.week"))
    plan.add_argument("--demo", action="store_true", help=_.plain("cli.arg.demo"))
    plan.add_argument("--size", default="S", choices=PLAN_SIZES, help=_.plain("cli.arg.size"))
    plan.add_argument("--seed", type=int, default=1, metavar="N", help=_.plain("cli.arg.seed"))
    plan.add_argument("--json", action="store_true", help=_.plain("cli.arg.json"))
    plan.add_argument("--log-search", action="store_true", help=_.plain("cli.arg.log_search"))
    plan.add_argument(
        "--dump-model", type=Path, metavar=_.plain("cli.metavar.folder"), help=_.plain("cli.arg.dump_model")
    )
    export = command("export")
    export.add_argument("--out", type=Path, metavar=_.plain("cli.metavar.folder"), help=_.plain("cli.arg.out"))
    export.add_argument(
        "--from", dest="first", type=date.fromisoformat, metavar="YYYY-MM-DD", help=_.plain("cli.arg.from")
    )
    export.add_argument("--to", dest="last", type=date.fromisoformat, metavar="YYYY-MM-DD", help=_.plain("cli.arg.to"))
    export.add_argument("--with-names", action="store_true", help=_.plain("cli.arg.with_names"))
    export.add_argument("--machine", action="store_true", help=_.plain("cli.arg.machine"))
    return root


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _ = cli_translator(argv, os.environ)
    args = parser(_).parse_args(argv)
    # Imported once the arguments are known: the commands bring the configuration, storage and the rest.
    from bot.cli.commands import dispatch

    return dispatch(args, _)


if __name__ == "__main__":
    sys.exit(main())
