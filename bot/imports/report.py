"""The validation report of an import, and its text: every line for the command line, the counts and the
first problems for a chat message."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.i18n import Safe, Translator, plain
from bot.imports.records import Action, LineReport
from bot.imports.table import Reason
from bot.notices import render

# A Telegram message holds 4096 characters; the rest of the report is in the counts.
MAX_MESSAGE_CHARS = 3500
SHOWN_LINES = 15


class ImportKind(StrEnum):
    VOLUNTEERS = "volunteers"
    PERSONS = "persons"


@dataclass(frozen=True, slots=True)
class ImportReport:
    kind: ImportKind
    lines: tuple[LineReport, ...] = ()
    problem: Reason | None = None
    ignored_columns: tuple[str, ...] = ()
    applied: bool = False
    # The invitation codes of the volunteers an applied import created, by full name: shown once.
    links: tuple[tuple[str, str], ...] = ()

    def count(self, action: Action) -> int:
        return sum(1 for line in self.lines if line.action == action)

    @property
    def rejected(self) -> bool:
        return self.problem is not None or self.count(Action.REJECT) > 0

    @property
    def changes(self) -> int:
        return self.count(Action.CREATE) + self.count(Action.UPDATE)


def describe(_: Translator, reason: Reason) -> str:
    return render(_, reason.key, reason.params)


def describe_line(_: Translator, line: LineReport) -> str:
    text = _("import.line", line=line.line, who=line.who, action=_(f"import.action.{line.action.value}"))
    if line.notes:
        text += " — " + "; ".join(describe(_, note) for note in line.notes)
    return text


def summary(_: Translator, report: ImportReport) -> str:
    """The counts, then what happened or will happen to the file as a whole."""
    if report.problem is not None:
        return _("import.summary.unusable", problem=describe(_, report.problem))
    counts = _(
        "import.summary.counts",
        what=_(f"import.kind.{report.kind.value}"),
        read=Safe(_("import.lines_read", count=len(report.lines))),
        created=report.count(Action.CREATE),
        updated=report.count(Action.UPDATE),
        unchanged=Safe(_("import.lines_unchanged", count=report.count(Action.UNCHANGED))),
        rejected=Safe(_("import.lines_rejected", count=report.count(Action.REJECT))),
    )
    if report.rejected:
        outcome = _("import.summary.rejected")
    elif report.changes == 0:
        outcome = _("import.summary.nothing_to_do")
    elif report.applied:
        outcome = _("import.summary.applied")
    else:
        outcome = _("import.summary.ready")
    ignored = ""
    if report.ignored_columns:
        ignored = "\n" + _("import.summary.ignored_columns", columns=", ".join(report.ignored_columns))
    return f"{counts}{ignored}\n{outcome}"


def full_text(_: Translator, report: ImportReport) -> list[str]:
    """Every line of the file with its fate, then the summary: what the command line prints."""
    return [plain(describe_line(_, line)) for line in report.lines] + [plain(summary(_, report))]


def short_text(_: Translator, report: ImportReport) -> str:
    """For a chat: the summary, then the rejected lines first (they are what must be fixed), then the others,
    as many as fit."""
    head = summary(_, report)
    ordered = sorted(report.lines, key=lambda line: (line.action != Action.REJECT, line.line))
    shown: list[str] = []
    length = len(head)
    for line in ordered[:SHOWN_LINES]:
        text = describe_line(_, line)
        if length + len(text) + 1 > MAX_MESSAGE_CHARS:
            break
        shown.append(text)
        length += len(text) + 1
    more = len(report.lines) - len(shown)
    tail = [_("import.more_lines", count=more)] if more > 0 else []
    return "\n".join([head, "", *shown, *tail]) if shown else head
