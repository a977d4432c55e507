"""A missing or malformed setting stops the bot with one clear line and exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.i18n import translator
from tests.catalogue import says

CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}


def run_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args, "run"],
        cwd=tmp_path,
        env={**CLEAN_ENV, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_a_token_the_bot_says_to_ask_botfather_and_exits_2(tmp_path: Path) -> None:
    result = run_bot(tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "telegram.token" in lines[0] and "@BotFather" in lines[0]
    assert "Traceback" not in result.stderr


def test_a_malformed_configuration_file_names_the_key_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[town]\nradius_m = "far"\n', encoding="utf-8")
    result = run_bot(tmp_path, "--config", str(bad), BOT_TOKEN="123456:" + "A" * 35)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "town.radius_m" in lines[0]


def test_a_malformed_token_is_refused_without_being_printed(tmp_path: Path) -> None:
    result = run_bot(tmp_path, BOT_TOKEN="not-a-token-secret-value")
    assert result.returncode == 2 and says("config.token_malformed").found_in(result.stderr, "fr")  # the town's
    assert "not-a-token-secret-value" not in result.stderr


def test_environment_variables_win_over_the_file(tmp_path: Path) -> None:
    settings = load_settings(
        environ={
            "BOT_COORDINATORS": "12, 34",
            "BOT_DB_PATH": "/tmp/x.sqlite3",
            "BOT_API_BASE_URL": "http://127.0.0.1:8081/",
        }
    )
    assert settings.people.coordinators == [12, 34]
    assert str(settings.storage.db_path) == "/tmp/x.sqlite3"
    assert settings.telegram.bot_url == "http://127.0.0.1:8081/bot"


@pytest.mark.parametrize(
    ("environ", "key"),
    [
        ({"BOT_COORDINATORS": "12,abc"}, "people.coordinators"),
        ({"BOT_API_BASE_URL": "ftp://x"}, "telegram.api_base_url"),
        ({"BOT_MODE": "carrier-pigeon"}, "telegram.mode"),
    ],
)
def test_a_bad_environment_value_names_its_key(environ: dict[str, str], key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        load_settings(environ=environ)


def test_an_unknown_key_is_reported_rather_than_ignored(tmp_path: Path) -> None:
    typo = tmp_path / "typo.toml"
    typo.write_text("[town]\nnmae = 'Agen'\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings(typo, environ={})
    assert says("config.unknown_key", key="town.nmae").found_in(refused.value.render(translator("en")), "en")


def test_the_example_configuration_works_as_it_is() -> None:
    settings = load_settings(Path(__file__).parent.parent / "config.example.toml", environ={})
    assert settings.town.name == "Agen" and len(settings.slots) == 12
    assert settings.emergency.social_service_phone == "05 53 66 12 56"
