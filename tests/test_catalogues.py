"""Every message the code uses exists in each of the eleven languages, with the French placeholders and HTML
tags, and every count is said through the language's plural forms (CLDR's, through babel)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import write_po

from bot.cli.commands import COMMANDS as CLI_COMMANDS
from bot.cli.language import ARGPARSE_WORDS
from bot.cli.plan import FIGURES
from bot.config import EmergencySettings
from bot.domain.actions.persons import PERSON_SCREENS
from bot.domain.actions.team import GROUPS
from bot.domain.commands import COMMANDS
from bot.domain.indicators import PERIODS
from bot.domain.open_calls import Acceptance
from bot.domain.persons import CONSENT_WAYS, END_REASONS, SATISFACTION_LEVELS, VISITOR_GENDERS, PersonStatus
from bot.domain.reports import NO_ACTION_REASONS, SIGNS, Channel, DeskLimit, ReportStatus, Urgency
from bot.domain.roles import Role
from bot.domain.team import Change
from bot.domain.visits import MOODS, Outcome, PlanStatus, VisitStatus
from bot.domain.volunteers import VolunteerStatus
from bot.handlers.triage import LIST_FILTERS
from bot.i18n import SUPPORTED, Translations, catalogue_for, cldr_locale
from bot.i18n_check import CHANGED, add_missing, gaps, path_of, read, stamp
from bot.imports.records import DERIVED, Action
from bot.imports.report import ImportKind
from bot.matching.plan import Reason as MatchingReason
from bot.routing.pair_route import Reason as RouteReason
from bot.services.access import TOLD
from bot.services.menus import PUBLIC
from bot.services.open_calls import Refusal
from bot.services.selftest import QUESTIONS
from bot.storage.persons import IMPORTABLE
from bot.storage.volunteer_invitations import IMPORTED

ROOT = Path(__file__).resolve().parent.parent
OTHERS = [language for language in SUPPORTED if language != "fr"]
# Keys built at run time from a fixed set of values, listed here so each expansion is checked too.
DYNAMIC_PREFIXES: tuple[str, ...] = (
    "volunteer.kind.",
    "language.name.",
    "help.",
    "command.",
    "volunteer.already_",
    "profile.gender.",
)
# Families of the reports, the coordinator's desk and the person file.
DYNAMIC_PREFIXES += (
    "sign.",
    "urgency.",
    "report.status_label.",
    "report.filter.",
    "triage.channel.",
    "person.status.",
    "person.set_status.",
    "reason.",
    "person.end_reason.",
    "person.consent.",
    "person.visitors.",
    "person.screen.",
)
# Families of the week's plan and its visits.
DYNAMIC_PREFIXES += (
    "plan.reason.",
    "plan.route_reason.",
    "plan.status.",
    "visit.status.",
    "visit.outcome.",
    "visit.mood.",
)
# Imports: the fate of a line, the kind of file, the fields an update changes.
DYNAMIC_PREFIXES += ("import.action.", "import.kind.", "import.field.")
# The indicators and the self-test.
DYNAMIC_PREFIXES += ("stats.period.", "stats.channel.", "selftest.q.", "selftest.answer.", "person.satisfaction.")
# Open calls: a volunteer's answer, a launch refused.
DYNAMIC_PREFIXES += ("opencall.answer.", "opencall.refused.")
# The emergency numbers a town pack gives.
DYNAMIC_PREFIXES += ("emergency.",)
# The command line: its commands' summaries, the plan's figures, argparse's own words.
DYNAMIC_PREFIXES += ("cli.command.", "cli.plan.figure.", "cli.argparse.")
# What one account sends the desk, counted against its limits.
DYNAMIC_PREFIXES += ("desk.limit.",)
# /team: its groups and the changes of access, and what the person is told.
DYNAMIC_PREFIXES += ("team.group.", "team.name.", "team.volunteer_status.", "team.button.", "team.yes.")
DYNAMIC_PREFIXES += ("team.confirm.", "team.done.", "access.")
# Answered by an alert of their own, not by these messages.
ALERTED = {Acceptance.NOT_INVITED, Acceptance.CLOSED}


Text = str | tuple[str, ...]


def catalogue(language: str) -> dict[str, Text]:
    """Key -> text, or the tuple of plural forms; fuzzy entries (not yet reviewed) count as missing."""
    found: dict[str, Text] = {}
    for m in read(language):
        if m.id and not m.fuzzy:
            key = m.id if isinstance(m.id, str) else m.id[0]
            found[key] = m.string if isinstance(m.string, str) else tuple(m.string or ())
    return found


def forms(text: Text) -> tuple[str, ...]:
    return (text,) if isinstance(text, str) else text


def keys_in_code() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "bot"),
        method_map=[("**.py", "python")],
        keywords={
            "_": None,
            "plural": (1,),
            "label": None,
            "Button": (1,),
            "Notice": (1,),
            "Reason": (1,),
            "Message": (1,),
            # Terminal text (the command line) and the one-line errors of operators.
            "plain": None,
            "plain_plural": (1,),
            "OperatorError": (1,),
            "ConfigError": (1,),
            "DataKeyError": (1,),
        },
    ):
        if isinstance(message, str) and message and "." in message and " " not in message:
            found.add(message)
    return found


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_message_used_in_the_code_is_translated(language: str) -> None:
    messages = catalogue(language)
    missing = sorted(key for key in keys_in_code() if not all(form.strip() for form in forms(messages.get(key, ""))))
    assert missing == []


@pytest.mark.parametrize("language", OTHERS)
def test_every_language_says_every_french_message_with_its_placeholders_and_tags(language: str) -> None:
    assert [f"{gap.key}: {gap.problem}" for gap in gaps(language)] == []


def test_the_maintenance_command_names_what_a_catalogue_lacks_and_drafts_it(tmp_path: Path) -> None:
    for language in ("fr", "en", "it"):
        (tmp_path / language / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / language / "LC_MESSAGES" / "messages.po").write_bytes(path_of(language).read_bytes())
    italian = read("it", tmp_path)
    del italian["street.pick"]
    took_main, my_streets = italian["neighbour.took_main"], italian["neighbour.my_streets"]
    took_main.string, my_streets.string = f"{took_main.string} {{who}}", str(my_streets.string).replace("</b>", "", 1)
    with path_of("it", tmp_path).open("wb") as handle:
        write_po(handle, italian)
    assert [(gap.key, gap.problem.split(":")[0]) for gap in gaps("it", tmp_path)] == [
        ("street.pick", "missing"),
        ("neighbour.my_streets", "HTML tags differ"),
        ("neighbour.took_main", "placeholders differ"),
    ]
    assert add_missing("it", tmp_path) == 1
    drafted = read("it", tmp_path)
    assert drafted["street.pick"].fuzzy and drafted["street.pick"].string == "Which one is it?"
    assert [gap.key for gap in gaps("it", tmp_path) if gap.problem == "missing"] == ["street.pick"]


def test_a_french_message_changed_since_its_translation_is_named_until_the_translator_stamps_it(
    tmp_path: Path,
) -> None:
    for language in ("fr", "it"):
        (tmp_path / language / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / language / "LC_MESSAGES" / "messages.po").write_bytes(path_of(language).read_bytes())
    french = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    before = read("fr", tmp_path)["street.pick"].string
    french.write_text(french.read_text(encoding="utf-8").replace(f'"{before}"', '"Laquelle de ces rues ?"'))
    assert [(gap.key, gap.problem.split(":")[0]) for gap in gaps("it", tmp_path)] == [("street.pick", CHANGED)]
    assert stamp("it", ["street.pick", "no.such.key"], tmp_path) == ["no.such.key"]
    assert gaps("it", tmp_path) == []


@pytest.mark.parametrize("language", SUPPORTED)
def test_plural_forms_are_the_ones_cldr_gives_each_language(language: str) -> None:
    read_back = read(language)
    rule = get_plural(cldr_locale(language))
    assert read_back.plural_forms == rule.plural_forms
    for message in read_back:
        if message.id and isinstance(message.id, tuple):
            assert len(tuple(message.string or ())) == rule.num_plurals, message.id[0]


@pytest.mark.parametrize("language", SUPPORTED)
def test_a_count_is_always_said_through_a_plural_entry(language: str) -> None:
    """`{count}` is the number a message agrees with: the message must have plural forms, and a plural entry
    must say its count."""
    for key, text in catalogue(language).items():
        assert isinstance(text, tuple) == ("{count}" in forms(text)[-1]), key


def calls_with_a_count() -> set[str]:
    """Keys rendered with `count=` (`_("key", count=n)`, `_.label("key", count=n)`) or through `_.plural("key", n)`,
    or queued with a "count" parameter (`Notice("key", {"count": n})`), anywhere in the code."""
    found = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
                continue
            plural = isinstance(node.func, ast.Attribute) and node.func.attr == "plural"
            counted = (
                plural
                or any(keyword.arg == "count" for keyword in node.keywords)
                or any(
                    isinstance(arg, ast.Dict)
                    and any(isinstance(k, ast.Constant) and k.value == "count" for k in arg.keys)
                    for arg in node.args[1:]
                )
            )
            if counted and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def test_every_count_the_code_renders_goes_through_plural_forms() -> None:
    french = catalogue("fr")
    counted = calls_with_a_count()
    assert {"plan.visits_sent", "report.digest", "import.file.too_long", "invitations.days"} <= counted
    assert sorted(key for key in counted if not isinstance(french.get(key), tuple)) == []


@pytest.mark.parametrize(
    ("language", "counts", "expected"),
    [
        ("fr", (0, 1, 2), ("0 binôme", "1 binôme", "2 binômes")),
        ("en", (0, 1, 2), ("0 pairs", "1 pair", "2 pairs")),
        ("sl", (1, 2, 3, 5, 101), ("1 par", "2 para", "3 pari", "5 parov", "101 par")),
        ("cnr", (1, 2, 5, 21), ("1 par", "2 para", "5 parova", "21 par")),
        ("ro", (1, 2, 20), ("1 pereche", "2 perechi", "20 de perechi")),
    ],
)
def test_a_count_takes_the_form_its_language_gives_it(
    language: str, counts: tuple[int, ...], expected: tuple[str, ...]
) -> None:
    _ = Translations("fr").get(language)
    assert tuple(_("plan.pairs", count=n) for n in counts) == expected


@pytest.mark.parametrize(
    ("telegram", "catalogue"),
    [
        ("pt-BR", "pt"),
        ("es", "es"),
        ("el", "el"),
        ("sr-Latn-ME", "cnr"),
        ("cnr", "cnr"),
        ("hr", "cnr"),
        ("bs", "cnr"),
        ("sr", "cnr"),
        ("de", None),
        (None, None),
        ("", None),
    ],
)
def test_a_telegram_language_reads_its_catalogue_or_the_nearest_one(
    telegram: str | None, catalogue: str | None
) -> None:
    assert catalogue_for(telegram) == catalogue


def test_dynamic_message_families_are_complete() -> None:
    french = catalogue("fr")
    for prefix in DYNAMIC_PREFIXES:
        assert any(key.startswith(prefix) for key in french), prefix
    expansions = [f"volunteer.kind.{kind}" for kind in ("benevole", "service_civique", "agent_municipal")]
    expansions += [f"volunteer.already_{status}" for status in ("pending", "approved")]
    expansions += [f"language.name.{code}" for code in SUPPORTED]
    expansions += [f"sign.{sign}" for sign in SIGNS] + [f"urgency.{u.value}" for u in Urgency]
    expansions += [f"report.status_label.{s.value}" for s in ReportStatus]
    expansions += [f"report.filter.{f}" for f in LIST_FILTERS]
    expansions += [f"triage.channel.{c.value}" for c in Channel if c != Channel.TELEGRAM]
    expansions += [f"person.{kind}.{s.value}" for s in PersonStatus for kind in ("status", "set_status")]
    expansions += [f"reason.{reason}" for reason in NO_ACTION_REASONS]
    expansions += [f"profile.gender.{choice}" for choice in ("f", "m", "none")]
    expansions += [f"import.action.{action.value}" for action in Action]
    expansions += [f"import.kind.{kind.value}" for kind in ImportKind]
    expansions += [f"import.field.{name}" for name in (IMPORTED | IMPORTABLE) - DERIVED]
    expansions += [f"person.end_reason.{reason}" for reason in END_REASONS]
    expansions += [f"person.consent.{how}" for how in CONSENT_WAYS]
    expansions += [f"person.visitors.{gender}" for gender in VISITOR_GENDERS]
    expansions += [f"person.screen.{screen}" for screen in PERSON_SCREENS]
    expansions += [f"plan.reason.{r.value}" for r in MatchingReason] + [
        f"plan.route_reason.{r.value}" for r in RouteReason
    ]
    expansions += [f"plan.status.{s.value}" for s in PlanStatus] + [f"visit.status.{s.value}" for s in VisitStatus]
    expansions += [f"visit.outcome.{o.value}" for o in Outcome] + [f"visit.mood.{m}" for m in (*MOODS, "unknown")]
    expansions += [f"stats.period.{key}" for key in PERIODS] + [f"stats.channel.{c.value}" for c in Channel]
    expansions += [f"person.satisfaction.{level}" for level in SATISFACTION_LEVELS]
    expansions += [f"selftest.q.{q.item}" for q in QUESTIONS]
    expansions += [f"selftest.answer.{choice}" for q in QUESTIONS for choice in q.answers]
    expansions += [f"opencall.answer.{a.value}" for a in Acceptance if a not in ALERTED] + ["opencall.answer.declined"]
    expansions += [f"opencall.refused.{r.value}" for r in Refusal]
    expansions += [f"emergency.{kind}" for kind, _number in EmergencySettings(deaf_sms="114").numbers()]
    expansions += [f"cli.command.{name}" for name in CLI_COMMANDS] + [f"cli.plan.figure.{name}" for name, _ in FIGURES]
    expansions += list(ARGPARSE_WORDS.values())
    expansions += [f"command.{name}" for name in PUBLIC] + [
        f"command.{c.name}" for c in COMMANDS if Role.ANYONE not in c.roles
    ]
    expansions += [f"desk.limit.{kind.value}" for kind in DeskLimit]
    expansions += [f"team.{family}.{c.value}" for family in ("button", "yes", "confirm", "done") for c in Change]
    expansions += [f"team.{family}.{group}" for family in ("group", "name") for group in GROUPS]
    expansions += [f"team.volunteer_status.{s}" for s in ("approved", "suspended")] + list(TOLD.values())
    expansions += [f"volunteer.already_{s.value}" for s in VolunteerStatus if s is not VolunteerStatus.REFUSED]
    assert [key for key in expansions if key not in french] == []


def test_portuguese_counts_as_in_portugal_where_none_takes_the_plural() -> None:
    portuguese = Translations("fr").get("pt")
    assert portuguese.plural("plan.pairs", 0) == "0 duplas"
    assert portuguese.plural("plan.pairs", 1) == "1 dupla"
    assert portuguese.plain_plural("plan.pairs", 2) == "2 duplas"
