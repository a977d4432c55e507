"""One rendering path for every message: Telegram HTML is written in the catalogues only, and the Translator
(bot/i18n.py) fills their placeholders, escaping each value from a user, a file or the database exactly once
and placing an already-rendered fragment (`Safe`) as it is. Nothing else in the bot writes a tag, escapes a
value, or glues a rendered message to a raw value."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from bot.i18n import LOCALES_DIR, Safe, load_catalogue

BOT = Path(__file__).resolve().parent.parent / "bot"
RENDERING = {BOT / "i18n.py"}
"""The one module that turns catalogue text and values into Telegram HTML."""
# The tags Telegram's HTML knows (docs: "Formatting options"), opening or closing.
TAG = re.compile(r"</?(b|strong|i|em|u|ins|s|strike|del|span|tg-spoiler|a|tg-emoji|code|pre|blockquote)\b[^<>]*>")
RENDERS = {"_", "plural"}
"""What renders a catalogue message: the translator called, or its plural."""


def modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(BOT.rglob("*.py")):
        if path not in RENDERING:
            yield path, ast.parse(path.read_text(), str(path))


def docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring constants: prose may show a tag (`/start vol-<code>`)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def renders(node: ast.AST) -> bool:
    """A call that renders a catalogue message: `_(...)`, `_.plural(...)`."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id in RENDERS) or (
        isinstance(func, ast.Attribute) and func.attr == "plural"
    )


def test_no_html_tag_is_written_in_python_outside_the_catalogues() -> None:
    found = []
    for path, tree in modules():
        prose = docstrings(tree)
        constants = (node for node in ast.walk(tree) if isinstance(node, ast.Constant) and id(node) not in prose)
        for node in constants:
            if isinstance(node.value, str) and TAG.search(node.value):
                found.append(f"{path.relative_to(BOT.parent)}:{node.lineno}: {node.value[:60]!r}")
    assert found == []


def test_no_value_is_escaped_by_hand() -> None:
    found = []
    for path, tree in modules():
        for node in ast.walk(tree):
            escapes = (
                isinstance(node, ast.Attribute) and node.attr == "escape" and ast.unparse(node.value) == "html"
            ) or (
                isinstance(node, ast.ImportFrom)
                and node.module == "html"
                and any(a.name == "escape" for a in node.names)
            )
            if escapes:
                found.append(f"{path.relative_to(BOT.parent)}:{ast.unparse(node)}")
    assert found == []


def test_no_rendered_message_is_glued_to_a_raw_value_in_an_f_string() -> None:
    """`f"{reference} ({_(status)})"` leaves the reference unescaped beside HTML, and escapes the rendered part
    again when the whole is a value of another message; a catalogue message with `Safe(...)` does neither."""
    found = []
    for path, tree in modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            values = [value.value for value in node.values if isinstance(value, ast.FormattedValue)]
            if any(renders(value) for value in values) and not all(renders(value) for value in values):
                found.append(f"{path.relative_to(BOT.parent)}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert found == []


def test_rendered_messages_joined_into_another_are_marked_safe() -> None:
    """`signs=", ".join(_(key) for key in keys)` is rendered text, but a join is a plain `str`: unmarked, the
    message it goes into escapes it a second time."""
    found = []
    for path, tree in modules():
        for node in ast.walk(tree):
            if not renders(node):
                continue
            assert isinstance(node, ast.Call)
            for keyword in node.keywords:
                value = keyword.value.values[0] if isinstance(keyword.value, ast.BoolOp) else keyword.value
                if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)):
                    continue
                if value.func.attr == "join" and any(renders(part) for arg in value.args for part in ast.walk(arg)):
                    found.append(f"{path.relative_to(BOT.parent)}:{value.lineno}: {ast.unparse(keyword)[:80]}")
    assert found == []


def test_the_translator_escapes_a_value_once_and_places_a_rendered_fragment_as_it_is() -> None:
    _ = load_catalogue("fr", LOCALES_DIR)
    stop = _("plan.stop", name='<b>Jo & "Al"</b>', arrival="14:00")
    assert stop == '&lt;b&gt;Jo &amp; "Al"&lt;/b&gt; (14:00)'
    line = _("selftest.place_phone", place=Safe(stop), phone="05 53 <69> 47 47")
    assert line == f"{stop} · 📞 05 53 &lt;69&gt; 47 47"
    assert _.plural("opencall.uncovered", 1, name="A & B") == "• A &amp; B : 1 visite à couvrir"
    assert _.plural("opencall.uncovered", 2, name="A & B") == "• A &amp; B : 2 visites à couvrir"
