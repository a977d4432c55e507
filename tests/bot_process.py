"""The bot as a real process (`python -m bot run`), to kill it with SIGKILL and start it again."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fake_bot_api import TOKEN, FakeBotApi

WAIT_S = 30.0


class BotProcess:
    def __init__(self, api: FakeBotApi, workdir: Path, *args: str, **settings: str) -> None:
        """`settings` are extra BOT_* variables; by default only the token and the API URL are given."""
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        self.api = api
        self.env = {**inherited, "BOT_TOKEN": TOKEN, "BOT_API_BASE_URL": api.base_url, **settings}
        self.workdir = workdir
        self.args = args  # options before `run`, such as --config FILE
        self.log = workdir / "bot.log"
        self.proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> BotProcess:
        polls_before = self.api.call_count("getUpdates")
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(  # noqa: ASYNC220 - starting is instant; the wait below is async
                [sys.executable, "-m", "bot", *self.args, "run"], cwd=self.workdir, env=self.env, stdout=log, stderr=log
            )
        deadline = time.monotonic() + WAIT_S
        while self.api.call_count("getUpdates") <= polls_before:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the bot did not start polling:\n{self.log.read_text()}")
            await asyncio.sleep(0.05)
        return self

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return int(self.proc.returncode)
