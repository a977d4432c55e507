"""Start an installed `lien-bot run` against the fake Bot API, see it answer a /start, ask its health check
the way the container image does and scrape its metrics, stop it.

CI runs it on the wheel installed in a fresh environment outside the repository (`.ci/run`): the command
given is the only thing of the bot it runs (the expected answer is read from the repository's catalogue), so
what it proves is that the installed package finds its
catalogues, example configuration and migrations.

    python -m tests.installed_start /path/to/venv/bin/lien-bot
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.catalogue import says
from tests.fake_bot_api import TOKEN, FakeBotApi

WAIT_S = 60.0
VISITOR = 4242


def main(lien_bot: str) -> int:
    api = FakeBotApi().start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            return _start_and_stop(lien_bot, api, Path(folder))
    finally:
        api.stop()


def _start_and_stop(lien_bot: str, api: FakeBotApi, folder: Path) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "PYTHON"))}
    env |= {
        "BOT_TOKEN": TOKEN,
        "BOT_API_BASE_URL": api.base_url,
        "BOT_DB_PATH": str(folder / "lien.sqlite3"),
        "BOT_COORDINATORS": "1",
        "BOT_GEOCODING_ONLINE": "false",
        "BOT_WEB_PORT": str(_free_port()),
    }
    log = folder / "bot.log"
    with log.open("wb") as output:
        bot = subprocess.Popen([lien_bot, "run"], cwd=folder, env=env, stdout=output, stderr=output)
    try:
        _wait(lambda: api.call_count("getMe") > 0 and api.call_count("getUpdates") > 0, "getMe and a poll", bot)
        api.push_update(
            {
                "message": {
                    "message_id": 1,
                    "date": int(time.time()),
                    "chat": {"id": VISITOR, "type": "private"},
                    "from": {"id": VISITOR, "is_bot": False, "first_name": "Rose", "language_code": "fr"},
                    "text": "/start",
                    "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
                }
            }
        )
        welcome = says("start.welcome")
        _wait(lambda: any(welcome.found_in(m.text, "fr") for m in api.sent_to(VISITOR)), "an answer to /start", bot)
        _check_monitoring(lien_bot, env)
    except (AssertionError, OSError, subprocess.CalledProcessError) as exc:
        bot.kill()
        bot.wait()
        print(f"{exc}\n{log.read_text()}", file=sys.stderr)
        return 1
    bot.send_signal(signal.SIGTERM)
    code = bot.wait(timeout=30)
    print(f"installed lien-bot: started, answered /start, stopped with exit code {code}")
    return code


def _check_monitoring(lien_bot: str, env: dict[str, str]) -> None:
    """The Dockerfile's HEALTHCHECK command, run by the installed environment's Python; then /metrics."""
    dockerfile = (Path(__file__).resolve().parent.parent / "Dockerfile").read_text()
    found = re.search(r'HEALTHCHECK .*?CMD \["python", "-c", "(.*?)"\]', dockerfile, re.DOTALL)
    assert found is not None, "no HEALTHCHECK in the Dockerfile"
    python = str(Path(lien_bot).with_name("python"))
    subprocess.run([python, "-c", found.group(1)], env=env, check=True, timeout=30)
    url = f"http://127.0.0.1:{env['BOT_WEB_PORT']}/metrics"
    _wait(lambda: _scrape(url).count("lien_updates_processed_total 1.0") == 1, "the update counted", None)


def _scrape(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return str(answer.read().decode())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(condition: Callable[[], bool], what: str, bot: subprocess.Popen[bytes] | None) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if (bot is not None and bot.poll() is not None) or time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
