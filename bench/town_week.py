"""A town's week through Telegram, end to end: import, joining, planning, publication, delivery.

The real bot runs as a process (`python -m bot run`, polling, its own settings: 30 messages a second at most,
one a second to a chat) against the fake Bot API of the tests, which refuses what Telegram refuses. The town
is a generated Agen week (`bot/matching/generator.py`; size M: 150 volunteers, 400 persons followed) brought
in as a town's team would:

1. its streets from a BAN file (`python -m bot import-streets`), one street at each generated place;
2. the volunteers and the persons from spreadsheets (`import-volunteers --apply`, `import-persons --apply`);
3. each volunteer opens the invitation link the import printed, accepts the charter, and ticks their
   half-days in /availability;
4. the coordinator sends /plan, reads the preview and presses Publish;
5. every volunteer receives each outing: the text with Confirm / Can't go, a pin a stop, the calendar file.

Measured: the time from /plan to the preview, from Publish to the last notice delivered, the messages each
volunteer got, and every refusal Telegram would have given (with the length it measured) or text escaped
twice. When Telegram refuses the preview, the coordinator never sees Publish: the run then presses the
Publish button the refused preview carried, says so, and measures the publication all the same.

    python bench/town_week.py                    # size M, seed 1, the planner's default limit (10 s)
    python bench/town_week.py --size S --seed 3  # another generated town
    python bench/town_week.py --time-limit 30    # the planner's limit, in seconds
    python bench/town_week.py --rate 30          # the bot's ceiling in messages a second (Telegram's is 30)
    python bench/town_week.py --json             # the figures as JSON
    python bench/town_week.py --write            # and the section of docs/BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.dates import format_time, get_day_names  # noqa: E402

from bench.load import Chats  # noqa: E402
from bench.planning import load_average, machine, write  # noqa: E402
from bot.config import Settings, load_settings  # noqa: E402
from bot.domain.slots import WEEKDAYS, Slot  # noqa: E402
from bot.matching import generate_week  # noqa: E402
from bot.matching.week import Gender, Kind, Week  # noqa: E402
from tests.bot_process import BotProcess  # noqa: E402
from tests.fake_bot_api import FakeBotApi, Sent  # noqa: E402
from tests.telegram_users import FakeUser  # noqa: E402

SECTION = "## A town's week through Telegram (`bench/town_week.py`)"
COORDINATOR = 900_001
FIRST_VOLUNTEER = 6_000_000
PLAN_WAIT_S = 900.0
DELIVERY_WAIT_S = 1800.0
KINDS = {Kind.BENEVOLE: "bénévole", Kind.SERVICE_CIVIQUE: "service civique", Kind.AGENT_MUNICIPAL: "agent municipal"}
STREET_KINDS = ("Rue", "Allée", "Impasse", "Chemin", "Avenue", "Place", "Passage", "Square", "Cours", "Boulevard")
STREET_NAMES = (
    "des Lilas", "du Moulin", "Paganel", "Montesquieu", "Lamennais", "des Jacobins", "de la Garonne", "Jasmin",
    "Bernard Palissy", "des Tanneurs", "du Pin", "Voltaire", "Molinier", "Barleté", "de Strasbourg", "Lacépède",
    "des Cornières", "Camille Desmoulins", "du Gravier", "Scaliger", "Saint-Antoine", "des Héros", "Danton",
    "Richard Coeur de Lion", "Paul Bert", "de la Fontaine", "Sainte-Foy", "des Rondes", "de Pompeyrie", "Carnot",
    "Gambetta", "Jean Jaurès", "du Canal", "des Vignes", "de Bon Encontre", "Floirac", "de Montanou", "Lakanal",
    "des Écoles", "Émile Zola", "de la Paix", "des Peupliers", "du Château d'eau", "Goya", "Pierre Loti",
    "des Prés", "Anatole France", "Beauséjour", "Blaise Pascal", "des Cerisiers", "du Stade", "Mirabeau", "Racine",
    "Corneille", "Paulin Régnier", "Chaudordy", "Lafayette", "Diderot", "Pasteur", "Condorcet",
)  # fmt: skip
FIRST_NAMES = (
    "Inès", "Hugo", "Jeanne", "Paul", "Léa", "Lucas", "Marie-Thérèse", "Jean-Baptiste", "Zoé", "Nathan", "Chloé",
    "Mohamed", "Fatima", "Louis", "Camille", "Yasmine", "Théo", "Manon", "Enzo", "Anne-Sophie", "Gabriel",
)  # fmt: skip
SURNAMES = (
    "Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Garcia", "Roux", "Fournier", "Girard",
    "Noguès", "Bonnet", "Dupont-Lajoie", "Lambert", "Fontaine", "Rousseau", "Vincent", "Castaing-Larrieu",
)  # fmt: skip
BAN_HEADER = "id;numero;rep;nom_voie;code_postal;code_insee;nom_commune;lon;lat"
CONFIG = """
[geocoding]
online = false
[planning]
time_limit_s = {time_limit}
[telegram]
max_messages_per_second = {rate}
"""


@dataclass(frozen=True)
class Files:
    streets: Path
    volunteers: Path
    persons: Path
    slots: dict[str, tuple[str, ...]]
    """Each volunteer's half-days, by full name, for them to tick in the bot."""


def _street_names(count: int) -> list[str]:
    names = [f"{kind} {name}" for name in STREET_NAMES for kind in STREET_KINDS]
    if count > len(names):
        raise SystemExit(f"a town of {count} places needs more street names than the {len(names)} known")
    return names[:count]


def town_files(week: Week, workdir: Path, settings: Settings) -> Files:
    """The BAN file (a street at each volunteer's home and each person's door), and the two spreadsheets."""
    places = [v.home for v in week.volunteers] + [p.location for p in week.persons]
    streets = _street_names(len(places))
    insee, town = settings.town.insee_code, settings.town.name
    ban = [BAN_HEADER]
    for index, (street, place) in enumerate(zip(streets, places, strict=True)):
        if place is not None:
            ban.append(f"{insee}_{index:05d};{index % 90 + 1};;{street};47000;{insee};{town};{place.lon};{place.lat}")
    streets_csv = workdir / "streets.csv"
    streets_csv.write_text("\n".join(ban) + "\n", encoding="utf-8")

    slots: dict[str, tuple[str, ...]] = {}
    volunteers_csv = workdir / "volunteers.csv"
    with volunteers_csv.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(
            ["identifiant", "prénom", "nom", "type", "rue", "visites par semaine", "langues", "genre", "expérimenté"]
        )
        for index, (volunteer, street) in enumerate(zip(week.volunteers, streets, strict=False)):
            # Names are unique (the import prints each link beside a name): first names turn fastest.
            turn, first_index = divmod(index, len(FIRST_NAMES))
            first = FIRST_NAMES[first_index]
            last = SURNAMES[turn % len(SURNAMES)] + ("" if turn < len(SURNAMES) else f" {turn}")
            slots[f"{first} {last}"] = tuple(sorted(volunteer.slot_ids))
            out.writerow(
                [
                    f"B{index:04d}",
                    first,
                    last,
                    KINDS[volunteer.kind],
                    street if volunteer.home is not None else "",
                    min(volunteer.capacity, 6),
                    ", ".join(sorted(volunteer.languages)),
                    "f" if volunteer.gender is Gender.FEMALE else "m",
                    "oui" if volunteer.experienced else "non",
                ]
            )
    persons_csv = workdir / "persons.csv"
    with persons_csv.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(["identifiant", "nom", "prénom", "adresse", "visites par mois", "créneaux préférés", "langues"])
        offset = len(week.volunteers)
        for index, person in enumerate(week.persons):
            out.writerow(
                [
                    f"P{index:04d}",
                    SURNAMES[index % len(SURNAMES)],
                    FIRST_NAMES[(index * 7) % len(FIRST_NAMES)],
                    f"{(offset + index) % 90 + 1} {streets[offset + index]}",
                    4,
                    ", ".join(sorted(person.preferred_slot_ids)),
                    ", ".join(sorted(person.languages)),
                ]
            )
    return Files(streets_csv, volunteers_csv, persons_csv, slots)


def command(bot: BotProcess, *args: str) -> str:
    """A command of `python -m bot`, as the town's operator runs it; its output."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", *bot.args, *args], cwd=bot.workdir, env=bot.env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"python -m bot {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def slot_label(slot: Slot) -> str:
    """The label the bot gives a half-day in /availability (bot/handlers/choices.py), in French."""
    day = get_day_names("abbreviated", locale="fr")[WEEKDAYS.index(slot.day)]
    return f"{day} {format_time(slot.start, 'short', locale='fr')}"


def has_button(label: str) -> Callable[[Sent], bool]:
    return lambda sent: any(b["text"] == label for b in sent.buttons())


async def join(user: FakeUser, code: str, labels: list[str], chats: Chats) -> None:
    """Open the invitation link, accept the charter, tick the half-days."""
    user.send(f"/start vol-{code}")
    await chats.expect(user, "acceptez-la")
    user.press("J'accepte la charte")
    await chats.expect(user, "Bienvenue dans l'équipe")
    user.send("/availability")
    await chats.expect(user, "quand pouvez-vous")
    for label in labels:
        user.press(f"▫️ {label}")
        await chats.until(user, has_button(f"✅ {label}"), f"{label} ticked")


def refused_button(api: FakeBotApi, chat_id: int, label: str) -> str:
    """The data of a button carried by the last message to the chat that Telegram refused: what the person
    would have pressed, had the message been shown."""
    for method, params in reversed(api.calls):
        if method != "sendMessage" or str(params.get("chat_id")) != str(chat_id) or label not in str(params):
            continue
        markup = params["reply_markup"]
        rows = (json.loads(markup) if isinstance(markup, str) else markup)["inline_keyboard"]
        return str(next(b["callback_data"] for row in rows for b in row if label in b["text"]))
    raise LookupError(f"no refused message to {chat_id} with a button {label!r}")


def outings(db_path: Path) -> dict[int, int]:
    """The notices each volunteer is owed by the published week: per outing, the text, a pin a stop, the file."""
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT slot_id, first_volunteer, second_volunteer, COUNT(*) FROM visits WHERE status = 'proposed' "
            "GROUP BY slot_id, first_volunteer, second_volunteer"
        ).fetchall()
    owed: Counter[int] = Counter()
    for _slot, first, second, stops in rows:
        for member in (first, second):
            owed[member] += 2 + stops
    return dict(owed)


def planned(db_path: Path) -> dict[str, float]:
    with sqlite3.connect(db_path) as conn:
        figures = conn.execute("SELECT figures FROM week_plans ORDER BY id DESC LIMIT 1").fetchone()[0]
    return {key: float(value) for key, value in json.loads(figures).items()}


def delivered_since(api: FakeBotApi, chat_id: int, since: float) -> list[Sent]:
    return [
        s for s in api.sent_to(chat_id) if s.at >= since and s.method in ("sendMessage", "sendLocation", "sendDocument")
    ]


async def run(size: str, seed: int, time_limit: float, rate: float) -> dict[str, object]:
    workdir = Path(tempfile.mkdtemp(prefix="lien-town-week-"))
    db_path = workdir / "town.sqlite3"
    config = workdir / "town.toml"
    config.write_text(CONFIG.format(time_limit=time_limit, rate=rate), encoding="utf-8")
    settings = load_settings(config, environ={})
    week = generate_week(size, seed)
    files = town_files(week, workdir, settings)
    api = FakeBotApi().start()
    bot = BotProcess(api, workdir, "--config", str(config), BOT_DB_PATH=str(db_path), BOT_COORDINATORS=str(COORDINATOR))
    started = time.monotonic()
    command(bot, "import-streets", str(files.streets))
    command(bot, "import-persons", str(files.persons), "--apply")
    links = dict(
        re.findall(
            r"^(.+): https://t\.me/\S+\?start=vol-(\S+)$",
            command(bot, "import-volunteers", str(files.volunteers), "--apply"),
            re.M,
        )
    )
    imported_s = time.monotonic() - started
    assert len(links) == len(week.volunteers), f"{len(links)} links for {len(week.volunteers)} volunteers"

    await bot.start()
    try:
        chats = Chats(api, asyncio.get_running_loop())
        labels = {slot.id: slot_label(slot) for slot in settings.slots}
        joining = time.monotonic()
        tasks = []
        for index, (name, code) in enumerate(links.items()):
            user = FakeUser(api, FIRST_VOLUNTEER + index, name.split()[0], "fr")
            tasks.append(join(user, code, [labels[s] for s in files.slots[name]], chats))
        await asyncio.gather(*tasks)
        joined_s = time.monotonic() - joining

        coordinator = FakeUser(api, COORDINATOR, "Claire", "fr")
        asked = time.monotonic()
        coordinator.send("/plan")
        working = await chats.expect(coordinator, "Je prépare la semaine")
        preview = await chats.until(
            coordinator,
            lambda s: "(brouillon)" in s.text or "problème" in s.text,
            "the preview or an error",
            PLAN_WAIT_S,
        )
        preview_s = preview.at - asked
        preview_shown = "(brouillon)" in preview.text
        publishing = time.monotonic()
        if preview_shown:
            coordinator.press("Publier")
        else:
            coordinator.press_data(refused_button(api, COORDINATOR, "Publier"), working.message_id)
        await chats.expect(coordinator, "Publié")
        owed = outings(db_path)

        async def delivered(member: int) -> None:
            user = FakeUser(api, member)
            await chats.until(
                user,
                lambda _s: len(delivered_since(api, member, publishing)) >= owed[member],
                "every notice",
                DELIVERY_WAIT_S,
            )

        await asyncio.gather(*(delivered(member) for member in owed))
        sent = {member: delivered_since(api, member, publishing) for member in owed}
        last = max(s.at for messages in sent.values() for s in messages)
    finally:
        bot.stop()
        api.stop()

    counts = sorted(len(messages) for messages in sent.values())
    figures = planned(db_path)
    refusals = Counter(f"{r.method}: {r.description}" for r in api.refusals)
    longest = max((r.length for r in api.refusals if r.length), default=None)
    per_chat = max(counts)
    return {
        "size": size,
        "seed": seed,
        "volunteers": len(week.volunteers),
        "persons": len(week.persons),
        "planner_limit_s": time_limit,
        "rate_per_s": rate,
        "import_s": round(imported_s, 1),
        "joining_s": round(joined_s, 1),
        "visits_due": int(figures.get("due", 0)),
        "visits_planned": int(figures.get("planned", 0)),
        "solve_s": figures.get("seconds"),
        "plan_to_preview_s": round(preview_s, 1),
        "preview_shown": preview_shown,
        "preview_pages": int(pages.group(1)) if (pages := re.search(r"page 1 sur (\d+)", preview.text)) else 1,
        "walking_min": figures.get("walking"),
        "volunteers_out": len(owed),
        "messages_sent": sum(counts),
        "messages_per_volunteer": {
            "min": counts[0],
            "median": counts[len(counts) // 2],
            "max": per_chat,
            "mean": round(sum(counts) / len(counts), 1),
        },
        "publish_to_last_notice_s": round(last - publishing, 1),
        "pacing_floor_s": round(max(sum(counts) / rate, per_chat - 1), 1),
        "refusals": dict(refusals),
        "longest_refused_text": longest,
        "escaped_twice": len(api.flags),
        "load_average": load_average(),
        "machine": machine(),
        "date": date.today().isoformat(),
    }


def table(result: dict[str, object]) -> list[str]:
    spread = result["messages_per_volunteer"]
    assert isinstance(spread, dict)
    refusals = result["refusals"]
    assert isinstance(refusals, dict)
    broken = "; ".join(f"{count} × {what}" for what, count in refusals.items()) or "none"
    if result["longest_refused_text"]:
        broken += f" (longest text refused: {result['longest_refused_text']:,} characters)"
    preview = f"{result['plan_to_preview_s']} s" + (
        f" ({result['preview_pages']} pages, Publish on each)" if result["preview_shown"] else " (refused by Telegram)"
    )
    return [
        "| measure | value |",
        "|---|---|",
        f"| town | size {result['size']} (seed {result['seed']}): {result['volunteers']} volunteers, "
        f"{result['persons']} persons followed |",
        f"| import (streets, persons, volunteers: three commands) | {result['import_s']} s |",
        f"| every volunteer joins by link and ticks their half-days | {result['joining_s']} s |",
        f"| visits planned / due | {result['visits_planned']} / {result['visits_due']} "
        f"(solver {result['solve_s']} s of its {result['planner_limit_s']:.0f} s) |",
        f"| walking, all routes | {result['walking_min']:,.0f} min |",
        f"| /plan to the preview | {preview} |",
        f"| Publish to the last notice delivered | {result['publish_to_last_notice_s']} s "
        f"(floor set by the pacing: {result['pacing_floor_s']} s) |",
        f"| volunteers with an outing | {result['volunteers_out']} |",
        f"| messages sent at publication | {result['messages_sent']:,} |",
        f"| messages per volunteer (min / median / mean / max) | {spread['min']} / {spread['median']} / "
        f"{spread['mean']} / {spread['max']} |",
        f"| Telegram refusals | {broken} |",
        f"| texts escaped twice | {result['escaped_twice']} |",
    ]


def section(result: dict[str, object], command_line: str) -> str:
    return "\n".join(
        [
            SECTION,
            "",
            f"Date {result['date']}; machine: {result['machine']}; load average at the end: {result['load_average']}.",
            f"Command: `{command_line}`. The bot is a process polling the fake Bot API over HTTP on 127.0.0.1;",
            f"its own ceilings apply ({result['rate_per_s']:.0f} messages a second in all, one a second to a chat).",
            "",
            *table(result),
            "",
            "- **Publish to the last notice** is paced, not computed: the outbox sends one message a second to a",
            "  chat and the bot at most the ceiling in all, so the publication cannot end before the larger of",
            "  (messages / ceiling) and (the most messages one volunteer gets, minus one) seconds: the floor above.",
            "  A volunteer gets, for each outing, its text with Confirm / Can't go, a pin for each stop and the",
            "  calendar file; a volunteer out on several half-days gets them all.",
            f"- **/plan to the preview**: the solver used {result['solve_s']} s of the "
            f"{result['plan_to_preview_s']} s;",
            "  each pair's walking route then takes about a millisecond (every order of its few doors is tried,",
            "  `bot/routing/exhaustive.py`; see the routing of a week's outings), and the greedy baseline beside it.",
            "- **Refusals** are what Telegram would have answered with 400 (the fake answers as it does). When the",
            "  preview is refused the coordinator sees an error and no Publish button; the run then presses the",
            "  button the refused preview carried, so that the publication is measured all the same.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="M", choices=("S", "M", "L"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=10.0, help="the planner's limit, seconds")
    parser.add_argument("--rate", type=float, default=30.0, help="the bot's ceiling, messages a second")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", action="store_true", help="replace the section of docs/BENCHMARKS.md")
    args = parser.parse_args()
    result = asyncio.run(run(args.size, args.seed, args.time_limit, args.rate))
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else "\n".join(table(result)))
    if args.write:
        write(section(result, "python bench/town_week.py " + " ".join(sys.argv[1:])), SECTION)


if __name__ == "__main__":
    main()
