"""Load benchmark: N distinct people each send a complete concern report within a few seconds.

The real bot runs as a process (`python -m bot run`, polling) against the fake Bot API over HTTP on loopback.
Each simulated person does what a neighbour does in the street: /report, a location pin, one sign, Send.
Measured: throughput of complete reports, and the time from the Send update to its acknowledgement (p50,
p95, max). Checked: every report stored once, every reporter acknowledged (and how many twice).

`--kill` SIGKILLs the bot when half the reports are acknowledged and starts it again at once: the fault test.

    python bench/load.py --users 1000 [--kill] [--spread 3] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bot_process import BotProcess  # noqa: E402
from tests.catalogue import DEFAULT_LANGUAGE, Fragment, says, shows  # noqa: E402
from tests.fake_bot_api import FakeBotApi, Sent  # noqa: E402
from tests.telegram_users import FakeUser  # noqa: E402

IN_AGEN = (44.2036, 0.6206)
ACK = says("report.sent")
FIRST_ID = 5_000_000
WAIT_S = 180.0
# The fake has no global ceiling; the bot's own is raised so the bot, not Telegram's 30 a second, is measured.
CONFIG = """
[telegram]
max_messages_per_second = 100000
[geocoding]
online = false
"""


class Chats:
    """Wakes the coroutine of one person when the bot writes to them (no polling of 1,000 chats)."""

    def __init__(self, api: FakeBotApi, loop: asyncio.AbstractEventLoop) -> None:
        self.events: defaultdict[int, asyncio.Event] = defaultdict(asyncio.Event)

        def wake(sent: Sent) -> None:
            loop.call_soon_threadsafe(self.events[sent.chat_id].set)

        api.listeners.append(wake)

    async def expect(self, user: FakeUser, fragment: Fragment) -> Sent:
        return await self.until(user, lambda sent: shows(sent.text, fragment, user.language), str(fragment))

    async def until(self, user: FakeUser, shows: Callable[[Sent], bool], what: str, wait_s: float = WAIT_S) -> Sent:
        """The first new message (or edit) to the user that `shows` what is awaited."""
        event = self.events[user.id]
        deadline = time.monotonic() + wait_s
        while True:
            event.clear()
            for sent in user.new_messages():
                if shows(sent):
                    return sent
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"user {user.id} never got {what}")
            try:
                await asyncio.wait_for(event.wait(), timeout=remaining)
            except TimeoutError:
                continue


async def reporter(user: FakeUser, chats: Chats, delay: float, sends: dict[int, float]) -> None:
    await asyncio.sleep(delay)
    user.send("/report")
    await chats.expect(user, says("report.ask_where"))
    user.share_location(*IN_AGEN)
    await chats.expect(user, says("report.ask_signs"))
    user.press(says("sign.shutters"))
    await chats.expect(user, says("report.ask_signs"))
    sends[user.id] = time.monotonic()
    user.press(says("button.send_report"))
    await chats.expect(user, ACK)


async def halfway(api: FakeBotApi, acknowledgements: int) -> None:
    """Returns once the bot has acknowledged that many reports."""
    loop = asyncio.get_running_loop()
    reached = asyncio.Event()
    seen = [0]

    def count(sent: Sent) -> None:
        if ACK.found_in(sent.text, DEFAULT_LANGUAGE):
            seen[0] += 1
            if seen[0] >= acknowledgements:
                loop.call_soon_threadsafe(reached.set)

    api.listeners.append(count)
    await reached.wait()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def run(users: int, spread: float, kill: bool) -> dict[str, object]:
    workdir = Path(tempfile.mkdtemp(prefix="lien-load-"))
    db_path = workdir / "load.sqlite3"
    (workdir / "load.toml").write_text(CONFIG, encoding="utf-8")
    api = FakeBotApi().start()
    bot = BotProcess(api, workdir, "--config", str(workdir / "load.toml"), BOT_DB_PATH=str(db_path))
    await bot.start()
    chats = Chats(api, asyncio.get_running_loop())
    people = [FakeUser(api, FIRST_ID + i, f"Voisin{i}", "fr") for i in range(users)]
    sends: dict[int, float] = {}
    rng = random.Random(7)
    started = time.monotonic()
    tasks = [asyncio.create_task(reporter(p, chats, rng.uniform(0, spread), sends)) for p in people]
    killed_at = None
    if kill:
        await halfway(api, users // 2)
        bot.kill()
        killed_at = time.monotonic() - started
        await bot.start()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    finished = time.monotonic() - started
    bot.stop()
    api.stop()

    acks: dict[int, list[Sent]] = defaultdict(list)
    for sent in api.history:
        if ACK.found_in(sent.text, DEFAULT_LANGUAGE):
            acks[sent.chat_id].append(sent)
    latencies = [acks[p.id][0].at - sends[p.id] for p in people if acks.get(p.id) and p.id in sends]
    with sqlite3.connect(db_path) as conn:
        stored = conn.execute("SELECT COUNT(*), COUNT(DISTINCT reporter_id) FROM reports").fetchone()
        updates = conn.execute("SELECT COUNT(*) FROM inbox").fetchone()[0]
    return {
        "users": users,
        "spread_s": spread,
        "killed_at_s": killed_at,
        "failures": sum(1 for o in outcomes if isinstance(o, BaseException)),
        "reports_stored": stored[0],
        "distinct_reporters": stored[1],
        "acknowledged": sum(1 for p in people if acks.get(p.id)),
        "acknowledged_twice": sum(1 for p in people if len(acks.get(p.id, [])) > 1),
        "updates": updates,
        "duration_s": round(finished, 2),
        "reports_per_s": round(users / finished, 1),
        "updates_per_s": round(updates / finished, 1),
        "ack_p50_s": round(statistics.median(latencies), 3),
        "ack_p95_s": round(percentile(latencies, 0.95), 3),
        "ack_max_s": round(max(latencies), 3),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--spread", type=float, default=3.0, help="seconds over which people start")
    parser.add_argument("--kill", action="store_true", help="SIGKILL the bot halfway and restart it")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(run(args.users, args.spread, args.kill))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>20}: {value}")


if __name__ == "__main__":
    main()
