"""Who may import whom (the design notes' arrows), checked on every module of the bot: a forbidden edge fails
with its name. Data flows one way: handlers → services → storage, planners and geo; everything may use the
domain; nothing imports upwards.

Where the modules the arrows do not name sit:
- `notices` is part of the shared vocabulary beside `domain` (what a person must be told, in no language yet):
  whoever may use the domain may use it; it imports only the domain and `i18n` (to render a notice).
- `i18n` (babel catalogues) imports nothing of the bot; anything that writes for people may use it: handlers,
  the Mini App, services, notices, the import reports, the runtime, the command line.
- `ics` (a calendar file) and `logs` (the log's format) import nothing of the bot.
- `config_file` (which file the settings come from) imports nothing of the bot: the command line finds its
  language there before `config` loads pydantic.
- `config` (the settings) imports the domain, geo and the planners (their weights are settings); services,
  the runtime and the entry points read it, handlers through the services' settings only.
- `imports` (reading a spreadsheet and the text of its report) is the pure half of the import use case: it
  sits with the services, and imports only geo, the domain, notices and i18n.
- `runtime` (inbox, ordering, persistence, outbox worker) is the Telegram side's machinery: it uses storage,
  the domain, notices, i18n, ics and config, never services or handlers (what it needs of them, the
  composition root gives it).
- `i18n_check` (the translators' maintenance command) reads the catalogues beside `i18n` and imports only it.
- `app` and `__main__` are the composition roots, and `cli` the command line's: they put everything
  together, so they may import anything (the command line no handler).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"
PLANNERS = {"matching", "routing"}
PARTS = {
    "domain", "notices", "i18n", "i18n_check", "ics", "logs", "config_file", "geo", *PLANNERS, "config", "storage",
    "imports", "services", "runtime", "handlers", "webapp", "cli", "app", "__main__", "__init__",
}  # fmt: skip
# The bot's parts each part may import, besides itself.
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "notices": {"domain", "i18n"},
    "i18n": set(),
    "i18n_check": {"i18n"},
    "ics": set(),
    "logs": set(),
    "config_file": set(),
    "geo": {"domain"},
    "matching": {*PLANNERS, "geo", "domain"},
    "routing": {*PLANNERS, "geo", "domain"},
    "config": {*PLANNERS, "geo", "domain", "config_file"},
    "storage": {"domain", "notices"},
    "imports": {"geo", "domain", "notices", "i18n"},
    "services": {"imports", "storage", *PLANNERS, "geo", "domain", "notices", "i18n", "config"},
    "runtime": {"storage", "domain", "notices", "i18n", "ics", "config"},
    "handlers": {"services", "imports", "domain", "notices", "i18n"},
    "webapp": {"services", "imports", "domain", "notices", "i18n"},
    "cli": PARTS - {"handlers", "webapp"},
    "app": PARTS,
    "__main__": PARTS,
    "__init__": set(),
}
# Only the Telegram side speaks Telegram: nothing below the handlers knows its types.
TELEGRAM = {"handlers", "webapp", "runtime", "app", "cli"}


def part_of(path: Path, root: Path) -> str:
    return path.relative_to(root).parts[0].removesuffix(".py")


def imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, module) of every import, at the top of the module or inside a function."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            yield node.lineno, node.module


def forbidden_edges(root: Path = BOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        part = part_of(path, root)
        where = path.relative_to(root.parent)
        if part not in ALLOWED:
            found.append(f"{where}: {part!r} has no place in the layers (add it to ALLOWED, with its reason)")
            continue
        allowed = ALLOWED[part]
        for line, module in imported(ast.parse(path.read_text(), str(path))):
            top, *rest = module.split(".")
            if top == "telegram" and part not in TELEGRAM:
                found.append(f"{where}:{line}: {part} imports {module} (no Telegram below the handlers)")
            if top != "bot" or not rest:
                continue
            target = rest[0]
            if target != part and target not in allowed:
                found.append(f"{where}:{line}: {part} imports {module} ({part} may import {sorted(allowed)})")
    return found


def test_every_module_imports_only_what_its_layer_may() -> None:
    assert forbidden_edges() == []


def test_a_forbidden_edge_is_named(tmp_path: Path) -> None:
    """The check itself, on a made-up bot: storage calling a service, a service speaking Telegram, a part
    nobody placed."""
    made_up = tmp_path / "bot"
    (made_up / "storage").mkdir(parents=True)
    (made_up / "storage" / "reports.py").write_text("from bot.services.reports import ReportService\n")
    (made_up / "services").mkdir()
    (made_up / "services" / "visits.py").write_text("def f():\n    from telegram import Bot\n")
    (made_up / "gadgets.py").write_text("")
    assert forbidden_edges(made_up) == [
        "bot/gadgets.py: 'gadgets' has no place in the layers (add it to ALLOWED, with its reason)",
        "bot/services/visits.py:2: services imports telegram (no Telegram below the handlers)",
        "bot/storage/reports.py:1: storage imports bot.services.reports (storage may import ['domain', 'notices'])",
    ]
