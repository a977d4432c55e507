"""How long a danger takes to reach the coordinator when 1,000 routine notices are already queued.

The real bot runs as a process (`python -m bot run`, polling) against the fake Bot API over HTTP on loopback,
with Telegram's own pace: 30 messages a second in all, one a second per private chat. Before it starts, the
outbox holds `--queued` routine notices spread over `--chats` chats, the coordinator's among them (a publication,
a digest, a flood of forged presses). Then a neighbour taps "Danger immédiat" under the report's first question;
measured: the time from the tap reaching the API to the alert reaching the coordinator.

Two runs each time, the same but for the priority of what was queued:
  - urgent first (ours): the queued notices are routine, the danger alert urgent, so the alert leaves first;
  - FIFO (the outbox before priorities): the queued notices in the alert's own class, so that every notice
    leaves in the order it was queued, and the alert waits behind the coordinator's earlier ones.

    python bench/danger_delivery.py [--queued 1000] [--chats 50] [--runs 3] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.cli.database import unlock_configured  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.notices import Notice, Priority  # noqa: E402
from bot.storage.database import Database  # noqa: E402
from bot.storage.outbox import OutboxRepository  # noqa: E402
from tests.bot_process import BotProcess  # noqa: E402
from tests.catalogue import DEFAULT_LANGUAGE, Fragment, says, shows  # noqa: E402
from tests.fake_bot_api import TOKEN, FakeBotApi, Sent  # noqa: E402
from tests.telegram_users import FakeUser  # noqa: E402

COORDINATOR = 900_001
NEIGHBOUR = 5_000_001
FIRST_CHAT = 6_000_000
ALERT = says("report.danger_alert")
WAIT_S = 600.0
CONFIG = """
[geocoding]
online = false
"""


async def queue(db_path: Path, config: Path, queued: int, chats: int, priority: Priority) -> int:
    """The outbox as a busy moment leaves it; returns how many of the notices are the coordinator's."""
    settings = load_settings(config, environ={"BOT_TOKEN": TOKEN, "BOT_DB_PATH": str(db_path)})
    db = Database(db_path)
    await db.open()
    await unlock_configured(db, settings)
    outbox = OutboxRepository(db)
    recipients = [COORDINATOR, *(FIRST_CHAT + i for i in range(chats - 1))]
    async with db.transaction():
        for n in range(queued):
            notice = Notice("report.digest", {"count": n, "lines": "-"})
            await outbox.enqueue(recipients[n % chats], notice, f"bench:{n}", priority)
    await db.close()
    return len(range(0, queued, chats))


async def until(api: FakeBotApi, chat: int, fragment: Fragment) -> float:
    """The moment a message to `chat` showing `fragment` reached the API."""
    loop = asyncio.get_running_loop()
    found: asyncio.Future[float] = loop.create_future()

    def arrived(at: float) -> None:
        if not found.done():
            found.set_result(at)

    def seen(sent: Sent) -> None:
        if sent.chat_id == chat and shows(sent.text, fragment, DEFAULT_LANGUAGE) and not found.done():
            loop.call_soon_threadsafe(arrived, sent.at)

    api.listeners.append(seen)
    return await asyncio.wait_for(found, WAIT_S)


async def run(queued: int, chats: int, priority: Priority) -> dict[str, object]:
    workdir = Path(tempfile.mkdtemp(prefix="lien-danger-"))
    db_path, config = workdir / "danger.sqlite3", workdir / "danger.toml"
    config.write_text(CONFIG, encoding="utf-8")
    ahead = await queue(db_path, config, queued, chats, priority)
    api = FakeBotApi().start()
    bot = BotProcess(api, workdir, "--config", str(config), BOT_DB_PATH=str(db_path), BOT_COORDINATORS=str(COORDINATOR))
    await bot.start()
    neighbour = FakeUser(api, NEIGHBOUR, "Voisine")
    neighbour.send("/report")
    await until(api, NEIGHBOUR, says("report.ask_where"))
    delivered = asyncio.create_task(until(api, COORDINATOR, ALERT))
    pressed = time.monotonic()
    neighbour.tap(says("button.danger_now"))
    arrived = await delivered
    earlier = [s for s in api.sent_to(COORDINATOR) if s.at < arrived]
    sent_before = sum(1 for s in earlier if not ALERT.found_in(s.text, DEFAULT_LANGUAGE))
    bot.stop()
    api.stop()
    return {"seconds": round(arrived - pressed, 2), "coordinators_queue": ahead, "sent_before_alert": sent_before}


async def measure(queued: int, chats: int, runs: int) -> dict[str, object]:
    found: dict[str, object] = {
        "queued": queued,
        "chats": chats,
        "runs": runs,
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "load_before": round(os.getloadavg()[0], 2),
    }
    for name, priority in (("urgent_first", Priority.ROUTINE), ("fifo", Priority.URGENT)):
        results = [await run(queued, chats, priority) for _ in range(runs)]
        seconds = [float(str(r["seconds"])) for r in results]
        found[name] = {
            "median_s": round(statistics.median(seconds), 2),
            "max_s": max(seconds),
            "runs_s": seconds,
            "coordinators_queue": results[0]["coordinators_queue"],
            "sent_to_coordinator_before_alert": [r["sent_before_alert"] for r in results],
        }
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queued", type=int, default=1000, help="routine notices already queued")
    parser.add_argument("--chats", type=int, default=50, help="chats they go to, the coordinator's among them")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(measure(args.queued, args.chats, args.runs))
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:>14}: {value}")


if __name__ == "__main__":
    main()
