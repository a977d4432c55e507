"""Every message the code uses exists in French and in English, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.cli.commands import COMMANDS as CLI_COMMANDS
from bot.cli.language import ARGPARSE_WORDS
from bot.cli.plan import FIGURES
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
from bot.i18n import LOCALES_DIR, SUPPORTED
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
PLACEHOLDER = re.compile(r"\{(\w+)\}")
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
# The command line: its commands' summaries, the plan's figures, argparse's own words.
DYNAMIC_PREFIXES += ("cli.command.", "cli.plan.figure.", "cli.argparse.")
# What one account sends the desk, counted against its limits.
DYNAMIC_PREFIXES += ("desk.limit.",)
# /team: its groups and the changes of access, and what the person is told.
DYNAMIC_PREFIXES += ("team.group.", "team.name.", "team.volunteer_status.", "team.button.", "team.yes.")
DYNAMIC_PREFIXES += ("team.confirm.", "team.done.", "access.")
# Answered by an alert of their own, not by these messages.
ALERTED = {Acceptance.NOT_INVITED, Acceptance.CLOSED}


def catalogue(language: str) -> dict[str, str]:
    """Each message by key; a message with plural forms gives them one a line, or nothing when one is
    missing (so it counts as untranslated)."""
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        po = read_po(handle)
    messages = {}
    for m in po:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, tuple):
            forms = [str(form) for form in m.string or ()]
            complete = len(forms) == po.num_plurals and all(form.strip() for form in forms)
            messages[str(m.id[0])] = "\n".join(forms) if complete else ""
        else:
            messages[str(m.id)] = str(m.string)
    return messages


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
    missing = sorted(key for key in keys_in_code() if not messages.get(key))
    assert missing == []


def test_both_languages_have_the_same_messages_and_placeholders() -> None:
    french, english = catalogue("fr"), catalogue("en")
    assert set(french) == set(english)
    for key in french:
        assert set(PLACEHOLDER.findall(french[key])) == set(PLACEHOLDER.findall(english[key])), key
        assert french[key].strip() and english[key].strip(), key


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
