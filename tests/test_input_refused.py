"""Input the bot must not take: another town's streets, street names holding control characters or markup, a
webhook body that is not an update, a guessable webhook secret, a week out of reach. Each gets one clear answer
and changes nothing."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.config import ConfigError, load_settings
from bot.runtime.inbox import InboxApplication
from tests.catalogue import Says, says
from tests.command_line import command
from tests.conftest import rows
from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.telegram_users import FakeUser
from tests.test_webhook import SECRET, webhook_bot, webhook_settings

__all__ = ["webhook_bot", "webhook_settings"]  # fixtures

HEADER = "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;lon;lat"


def ban_line(number: int, name: str, insee: str = "47001", commune: str = "Agen") -> str:
    return f"x;x;{number};;{name};47000;{insee};{commune};0.61{number};44.20{number}"


def test_import_streets_refuses_another_towns_lines_control_characters_and_markup(
    db_path: Path, tmp_path: Path
) -> None:
    lines = [
        HEADER,
        ban_line(1, "Rue Montesquieu"),
        ban_line(2, "Cours de l'Intendance", insee="33063", commune="Bordeaux"),
        ban_line(3, "Rue\x00 Nulle"),
        ban_line(4, "Rue \x1b[31mRouge"),
        ban_line(5, "Rue \u202eenoZ"),
        ban_line(6, '<a href="https://evil.example">Rue Piège</a>'),
    ]
    csv = tmp_path / "adresses.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = command(db_path, "import-streets", str(csv))
    assert done.returncode == 1

    # The command line speaks the town's language (French here), the file's problems too.
    def problem(line: int, reason: Says) -> bool:
        return says("cli.streets.problem", line=line, reason=reason).found_in(done.stdout, "fr")

    assert problem(3, says("streets.problem.other_commune", value="33063", town="47001"))
    for line in (4, 5, 6):
        assert problem(line, says("streets.problem.control_character"))
    assert problem(7, says("streets.problem.markup"))
    assert rows(db_path, "SELECT name FROM streets") == [("Rue Montesquieu",)]

    told = command(db_path, "import-streets", str(csv), "--any-town")
    assert not says("cli.streets.problem", line=3).found_in(told.stdout, "fr")
    assert sorted(rows(db_path, "SELECT name, insee_code FROM streets")) == [
        ("Cours de l'Intendance", "33063"),
        ("Rue Montesquieu", "47001"),
    ]


@pytest.mark.parametrize("body", ["[1, 2]", "42", "null", '"update"', "true", "{}", '{"update_id": "7"}', "{not json"])
async def test_the_webhook_answers_400_to_a_body_that_is_not_an_update_and_stores_nothing(
    webhook_bot: InboxApplication, webhook_settings: object, db_path: Path, body: str
) -> None:
    url = webhook_settings.telegram.webhook.url  # type: ignore[attr-defined]
    async with httpx.AsyncClient() as client:
        response = await client.post(url, content=body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 400
    assert "Traceback" not in response.text
    assert rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)]


def test_a_webhook_secret_shorter_than_16_characters_is_refused_at_start_naming_the_key() -> None:
    environ = {"BOT_TOKEN": TOKEN, "BOT_MODE": "webhook", "BOT_WEBHOOK_URL": "https://lien.example/telegram"}
    with pytest.raises(ConfigError) as refused:
        load_settings(environ={**environ, "BOT_WEBHOOK_SECRET": "s3cret"})
    message = str(refused.value)
    assert "telegram.webhook.secret_token" in message and "16" in message and "BOT_WEBHOOK_SECRET" in message
    assert len(message.splitlines()) == 1
    assert load_settings(environ={**environ, "BOT_WEBHOOK_SECRET": "a" * 16}).telegram.webhook.secret_token


@pytest.mark.parametrize("command", ["/plan 9999-W52", "/week 9999-W52", "/plan 0001-W01"])
async def test_a_week_out_of_reach_gets_a_clear_answer_and_plans_nothing(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path, command: str
) -> None:
    coordinator.send(command)
    await coordinator.expect(says("plan.week_out_of_reach"))
    assert rows(db_path, "SELECT COUNT(*) FROM week_plans") == [(0,)]
