"""The command line as a town's IT person meets it: help at once and in the town's language, options where
they put them, one line and exit code 2 for what they can fix, nothing created by mistake."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import bot.matching as matching
from bot.__main__ import parser
from bot.i18n import SUPPORTED, translator
from tests.catalogue import says, text_of

CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}


def lien_bot(cwd: Path, *args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**CLEAN_ENV, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("args", [["--help"], ["plan", "--help"], ["run", "--help"]])
def test_help_loads_no_solver_and_no_telegram_library(args: list[str]) -> None:
    probe = (
        "import sys\nfrom bot.__main__ import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('ortools', 'pandas', 'telegram', 'matplotlib') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=CLEAN_ENV, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_every_name_the_planners_package_lists_loads_on_first_use() -> None:
    """`bot.matching` loads its names lazily (so that `--help` needs no solver): each one it lists is there."""
    for name in matching.__all__:
        assert getattr(matching, name) is not None, name


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_command_option_and_argument_is_explained(language: str) -> None:
    root = parser(translator(language))
    commands = next(a for a in root._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in [("", root), *commands.choices.items()]:
        for action in sub._actions:
            assert action.help, f"{name} {action.dest} has no help"
        assert sub is root or sub.description, name


def test_options_work_after_the_command_too(tmp_path: Path) -> None:
    english = tmp_path / "english.toml"
    english.write_text('[i18n]\ndefault_language = "en"\n', encoding="utf-8")
    before = lien_bot(tmp_path, "--config", str(english), "--log-level", "WARNING", "plan", "--demo")
    after = lien_bot(tmp_path, "plan", "--demo", "--config", str(english), "--log-level", "WARNING")
    for result in (before, after):
        assert result.returncode == 0, result.stderr
        assert text_of("en", "cli.plan.figure.visits_planned") in result.stdout
        assert says("cli.plan.pass", passes=1).found_in(result.stderr, "en")


def in_help(help_text: str, language: str, key: str) -> bool:
    """Whether the help shows that catalogue text, however argparse wrapped its lines."""
    return " ".join(text_of(language, key).split()) in " ".join(help_text.split())


def test_help_and_output_speak_the_configured_language(tmp_path: Path) -> None:
    plan_arguments = ("cli.arg.week", "cli.arg.log_search", "cli.arg.dump_model")
    french = lien_bot(tmp_path, "plan", "--help").stdout
    assert french.startswith(text_of("fr", "cli.argparse.usage"))
    assert all(in_help(french, "fr", key) for key in plan_arguments)
    assert not in_help(french, "en", "cli.argparse.help") and not in_help(french, "en", "cli.arg.week")
    english = lien_bot(tmp_path, "plan", "--help", BOT_DEFAULT_LANGUAGE="en").stdout
    assert english.startswith(text_of("en", "cli.argparse.usage"))
    assert all(in_help(english, "en", key) for key in plan_arguments)
    assert not in_help(english, "fr", "cli.arg.week")


@pytest.mark.parametrize("command", [["plan", "--week", "2026-W49"], ["export"], ["backup"], ["rotate-key"]])
def test_a_mistyped_database_path_is_refused_and_nothing_is_created(tmp_path: Path, command: list[str]) -> None:
    typo = tmp_path / "data" / "lein.sqlite3"
    result = lien_bot(tmp_path, *command, BOT_DB_PATH=str(typo))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert says("cli.no_database", path=str(typo), setting="BOT_DB_PATH").found_in(result.stderr, "fr")
    assert not typo.parent.exists() and not list(tmp_path.glob("*.key"))


def test_a_wrong_variable_is_blamed_not_the_example_file(tmp_path: Path) -> None:
    result = lien_bot(tmp_path, "run", BOT_COORDINATORS="@claire", BOT_DEFAULT_LANGUAGE="en")
    assert result.returncode == 2
    line = result.stderr.strip()
    assert says("config.invalid_variable", variable="BOT_COORDINATORS", key="people.coordinators").found_in(line, "en")
    assert not says("config.invalid_in_file").found_in(line, "en")  # not blamed on the example file
    assert "@claire" not in line  # a variable's value is never repeated: it could have been the token


@pytest.mark.parametrize("broken", ["latin1", "folder"])
def test_a_configuration_that_is_not_a_utf8_file_gets_one_line(tmp_path: Path, broken: str) -> None:
    path = tmp_path / "config.toml"
    if broken == "folder":
        path.mkdir()
    else:
        path.write_bytes('[town]\nname = "Agen-sur-Garonne é"\n'.encode("latin-1"))
    result = lien_bot(tmp_path, "--config", str(path), "plan", "--demo", BOT_DEFAULT_LANGUAGE="en")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert says("config.not_a_file" if broken == "folder" else "config.not_utf8", path=str(path)).found_in(line, "en")


def operator_lines(stderr: str) -> list[str]:
    """What the command says to its operator, without the log's timestamped lines."""
    return [line for line in stderr.splitlines() if line.strip() and not line[:4].isdigit()]


def corrupt(path: Path, how: str) -> None:
    if how == "random bytes":
        path.write_bytes(os.urandom(64 * 1024))
        return
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE filler (x TEXT)")
        conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(2000)])
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("how", ["random bytes", "truncated"])
@pytest.mark.parametrize("command", [["run"], ["backup"], ["export"]])
def test_a_corrupt_database_is_named_in_one_line_and_nothing_hangs(
    tmp_path: Path, how: str, command: list[str]
) -> None:
    db = tmp_path / "lien.sqlite3"
    corrupt(db, how)
    result = lien_bot(
        tmp_path,
        *command,
        timeout=30,
        BOT_DB_PATH=str(db),
        BOT_TOKEN="123456:" + "A" * 35,
        BOT_API_BASE_URL="http://127.0.0.1:9",
        BOT_DEFAULT_LANGUAGE="en",
    )
    assert result.returncode == 2, result.stderr
    (line,) = operator_lines(result.stderr)
    assert says("database.unreadable", path=str(db)).found_in(line, "en") and "Traceback" not in result.stderr
    assert not list((tmp_path / "backups").glob("*")) if (tmp_path / "backups").exists() else True


def test_an_import_tells_how_far_it_is_through_the_files_addresses(tmp_path: Path) -> None:
    persons = Path(__file__).resolve().parent.parent / "examples" / "persons.csv"
    result = lien_bot(
        tmp_path,
        "import-persons",
        str(persons),
        BOT_DB_PATH=str(tmp_path / "lien.sqlite3"),
        BOT_GEOCODING_ONLINE="false",
        BOT_DEFAULT_LANGUAGE="en",
    )
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if says("cli.import.progress").found_in(line, "en")]
    assert progress and progress[-1] == text_of("en", "cli.import.progress", done=6, total=6)


def test_a_model_folder_that_cannot_be_made_is_named_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "models"
    blocker.write_text("a file where the folder would go", encoding="utf-8")
    folder = blocker / "week"
    result = lien_bot(tmp_path, "plan", "--demo", "--dump-model", str(folder), BOT_DEFAULT_LANGUAGE="en")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (line,) = operator_lines(result.stderr)
    assert says("cli.plan.dump_model_folder", folder=str(folder)).found_in(line, "en")
