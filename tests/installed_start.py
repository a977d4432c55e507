"""Start an installed `lien-bot run` against the fake Bot API, see it answer a /start, stop it.

CI runs it on the wheel installed in a fresh environment outside the repository (`.ci/run`): the command
given is the only thing of the bot it touches, so what it proves is that the installed package finds its
catalogues, example configuration and migrations.

    python -m tests.installed_start /path/to/venv/bin/lien-bot
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

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
        _wait(lambda: any("isolement" in m.text for m in api.sent_to(VISITOR)), "an answer to /start", bot)
    except AssertionError as exc:
        bot.kill()
        bot.wait()
        print(f"{exc}\n{log.read_text()}", file=sys.stderr)
        return 1
    bot.send_signal(signal.SIGTERM)
    code = bot.wait(timeout=30)
    print(f"installed lien-bot: started, answered /start, stopped with exit code {code}")
    return code


def _wait(condition: Callable[[], bool], what: str, bot: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if bot.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
