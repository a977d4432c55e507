"""`lien-bot plan`: a week's plan and its figures, from the database or on a generated demo town.

The greedy baseline comes first, then every pass of the search as it ends (coverage and walking beside the
baseline's) on stderr, so a large town's minutes of planning are never silent; the plan itself goes to
stdout, as text in the town's language or as JSON for scripts. `--log-search` and `--dump-model` open the
planner for study (CP-SAT's search in the log, each part's model in a folder)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

from bot.cli.database import existing_database, open_settings_database, unlock_configured
from bot.config import Settings
from bot.domain.errors import OperatorError
from bot.domain.weeks import NoSuchWeek, WeekOutOfReach, parse_week
from bot.i18n import Translations, Translator
from bot.matching.greedy import greedy_plan
from bot.matching.plan import Figures, Plan
from bot.matching.planner import Progress, plan_week
from bot.matching.report import demo_week, render_json
from bot.matching.week import Week
from bot.runtime.notifier import OutboxNotifier
from bot.services.container import build_services
from bot.storage.outbox import OutboxRepository

# The figures of the table, with how each is printed; `terms.` rows break the objective down by term.
FIGURES = (
    ("status", "{}"),
    ("visits_planned", "{}"),
    ("visits_due", "{}"),
    ("walking_minutes", "{:.0f}"),
    ("repeated_pairs", "{}"),
    ("continuity", "{}"),
    ("load_spread", "{:.1f}"),
    ("objective", "{:,}"),
    ("terms.uncovered", "{:,}"),
    ("terms.rotation", "{:,}"),
    ("terms.walking", "{:,}"),
    ("terms.continuity", "{:,}"),
    ("terms.language", "{:,}"),
    ("terms.gender", "{:,}"),
    ("terms.preferred_slot", "{:,}"),
    ("terms.fair_load", "{:,}"),
    ("best_bound", "{:,}"),
    ("solve_seconds", "{:.2f}"),
)


def _week_asked(text: str | None, today: date) -> tuple[int, int]:
    try:
        return parse_week(text, today)
    except NoSuchWeek as exc:
        raise OperatorError("cli.plan.no_such_week", year=exc.year, week=exc.week) from None
    except WeekOutOfReach as exc:
        raise OperatorError("cli.plan.week_out_of_reach", first=exc.first, last=exc.last) from None
    except ValueError:
        raise OperatorError("cli.plan.bad_week", week=text) from None


def plan_command(settings: Settings, args: argparse.Namespace, _: Translator) -> int:
    settings = _studied(settings, args.log_search, args.dump_model)
    if args.demo:
        planning = settings.planning
        week = demo_week(args.size, args.seed, planning.log_search, planning.dump_models_to)
    else:
        year, number = _week_asked(args.week, date.today())
        existing_database(settings)
        week = asyncio.run(_stored_week(settings, year, number))
    baseline = greedy_plan(week)
    plan = plan_week(week, _Progress(_, baseline.figures))
    print(render_json(week, plan, baseline) if args.json else "\n".join(render_text(_, week, plan, baseline)))
    return 0


def _studied(settings: Settings, log_search: bool, dump_model: Path | None) -> Settings:
    """The planning settings with what the command line asks for studying the planner."""
    study: dict[str, object] = {"log_search": log_search or settings.planning.log_search}
    if dump_model is not None:
        try:
            dump_model.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OperatorError("cli.plan.dump_model_folder", folder=dump_model, reason=exc.strerror) from None
        study["dump_models_to"] = str(dump_model)
    return settings.model_copy(update={"planning": settings.planning.model_copy(update=study)})


async def _stored_week(settings: Settings, year: int, number: int) -> Week:
    db = await open_settings_database(settings)
    try:
        # Person files hold sealed columns: reading them needs the data key.
        await unlock_configured(db, settings)
        services = build_services(
            settings, db, Translations(settings.i18n.default_language), OutboxNotifier(OutboxRepository(db))
        )
        return await services.planning.week(year, number)
    finally:
        await db.close()


class _Progress:
    """Prints each pass beside the baseline, on stderr."""

    def __init__(self, _: Translator, baseline: Figures) -> None:
        self._ = _
        self._baseline = baseline
        self._say(
            "cli.plan.baseline",
            planned=baseline.visits_planned,
            due=baseline.visits_due,
            share=self._share(baseline.visits_planned, baseline.visits_due),
            minutes=f"{baseline.walking_minutes:.0f}",
        )

    def __call__(self, progress: Progress) -> None:
        self._say(
            "cli.plan.pass",
            passes=progress.passes,
            planned=progress.visits_planned,
            due=progress.visits_due,
            share=self._share(progress.visits_planned, progress.visits_due),
            minutes=f"{progress.walking_minutes:.0f}",
            greedy_planned=self._baseline.visits_planned,
            greedy_minutes=f"{self._baseline.walking_minutes:.0f}",
            seconds=self._.format_tenths(progress.seconds),
        )

    def _share(self, planned: int, due: int) -> str:
        return self._.format_percent(planned / due if due else 1.0)

    def _say(self, key: str, **values: object) -> None:
        print(self._.plain(key, **values), file=sys.stderr, flush=True)


def render_text(_: Translator, week: Week, plan: Plan, baseline: Plan) -> list[str]:
    """The figures beside the baseline's, every slot's pairs and whom they visit, then what is left out."""
    label_width = max(len(_label(_, name)) for name, _form in FIGURES)
    lines = [f"{'':{label_width}} {'CP-SAT':>14} {_.plain('cli.plan.greedy'):>14}"]
    for name, form in FIGURES:
        ours, theirs = _figure(plan.figures, name, form), _figure(baseline.figures, name, form)
        label = _label(_, name)
        lines.append(f"{label:{label_width}} {ours:>14} {theirs:>14}")
    by_slot = defaultdict(list)
    for outing in plan.outings:
        by_slot[outing.slot_id].append(outing)
    for slot in week.slots:
        day = _.format_date(slot.day, "EEE d MMM")
        lines += ["", f"{slot.id}  {day} {slot.start:%H:%M}-{slot.end:%H:%M}"]
        lines += [f"  {' + '.join(o.pair):24} {', '.join(o.person_ids)}" for o in by_slot[slot.id]]
    if plan.unplanned:
        lines += ["", _.plain("cli.plan.left_out")]
        lines += [f"  {u.person_id} ({u.missing}): {_.plain(f'plan.reason.{u.reason.value}')}" for u in plan.unplanned]
    return lines


def _label(_: Translator, name: str) -> str:
    """A term of the objective is indented under it."""
    return ("  " if name.startswith("terms.") else "") + _.plain(f"cli.plan.figure.{name}")


def _figure(figures: Figures, name: str, form: str) -> str:
    """`name` may be a figure's own field: `terms.walking`."""
    value: object = figures
    for field in name.split("."):
        value = getattr(value, field)
    return "-" if value is None else form.format(value)
