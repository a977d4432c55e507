"""Concern reports, from the street to the coordinator's desk and back to the reporter.

Privacy: the reporter's identity reaches coordinators only. Professionals get what they need to act (where,
signs, urgency, who, the note) and the reporter's first name only when the reporter did not ask to stay
anonymous; the reporter is told of each step with the reference alone, never another person's details.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.config import LimitSettings
from bot.domain.actions.desk_limits import LiftLimits
from bot.domain.actions.persons import OpenPerson
from bot.domain.actions.report import AnswerQuestion
from bot.domain.actions.triage import ListReports, OpenReport
from bot.domain.callbacks import Button
from bot.domain.persons import Edit, PersonRecord
from bot.domain.reports import (
    NO_ACTION_REASONS,
    OPEN_STATUSES,
    UNDECIDED,
    Ceiling,
    Channel,
    DeskLimit,
    Place,
    Relay,
    ReportContent,
    ReportRecord,
    ReportStatus,
    Urgency,
)
from bot.domain.texts import NoWords, TextOutcome, TooLong, Written, written
from bot.notices import Listing, Message, Notice, Priority, Value
from bot.services.notifications import Notifier
from bot.services.persons import valid_name
from bot.services.roles import RoleService
from bot.storage.persons import NewPerson, PersonRepository
from bot.storage.reports import ReportRepository
from bot.storage.users import UserRepository

# Free text kept per field: enough for a few sentences, short enough to read on a phone.
MAX_WHO_CHARS = 100
MAX_NOTE_CHARS = 1000
MAX_QUESTION_CHARS = 1000
ESCALABLE = (*UNDECIDED, ReportStatus.FOLLOWED)


@dataclass(frozen=True, slots=True)
class LimitReached:
    """The account sent the desk as much as one may within the period: it is kindly asked to wait."""

    kind: DeskLimit
    most: int
    hours: int


@dataclass(frozen=True, slots=True)
class CoordinatorView:
    report: ReportRecord
    reporter_name: str | None


def sign_keys(report: ReportRecord) -> list[str]:
    return [f"sign.{sign}" for sign in report.signs]


def _signs(report: ReportRecord) -> Listing:
    return Listing(tuple(Message(key) for key in sign_keys(report)))


def _open_button(report: ReportRecord) -> tuple[tuple[Button, ...], ...]:
    return ((Button("button.open_report", OpenReport(report.id)),),)


class ReportService:
    def __init__(
        self,
        reports: ReportRepository,
        persons: PersonRepository,
        users: UserRepository,
        roles: RoleService,
        notifier: Notifier,
        limits: LimitSettings,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._reports = reports
        self._persons = persons
        self._users = users
        self._roles = roles
        self._notifier = notifier
        self._limits = limits
        self._most = {
            DeskLimit.REPORTS: limits.reports,
            DeskLimit.DANGERS: limits.dangers,
            DeskLimit.CONTACT_REQUESTS: limits.contact_requests,
        }
        self._today = today

    # --- the reporter ---------------------------------------------------------------------------------
    @staticmethod
    def read_who(text: str) -> TextOutcome:
        """Who the person is, as the reporter puts it ("the lady at number 12"): one line."""
        return written(text, MAX_WHO_CHARS, one_line=True)

    @staticmethod
    def read_note(text: str) -> TextOutcome:
        return written(text, MAX_NOTE_CHARS)

    async def raise_danger(
        self,
        content: ReportContent,
        *,
        update_id: int,
        channel: Channel,
        reporter_id: int | None,
        entered_by: int | None,
    ) -> ReportRecord | LimitReached:
        """Store a danger at once and alert every coordinator ahead of anything queued, before anything else
        is asked; unless the account already raised as many dangers as one may in the period."""
        created = await self._create(content, update_id, channel, reporter_id, entered_by, DeskLimit.DANGERS)
        if isinstance(created, LimitReached):
            return created
        await self._alert_coordinators("report.danger_alert", created, "danger", Priority.URGENT)
        return created

    async def submit(
        self,
        content: ReportContent,
        *,
        update_id: int,
        channel: Channel,
        reporter_id: int | None,
        entered_by: int | None,
        danger_report_id: int | None,
    ) -> ReportRecord | LimitReached:
        """Store the report (or complete the danger raised earlier in the same conversation); a new report
        waits when the account already sent as many as one may in the period."""
        if danger_report_id is not None:
            earlier = await self._reports.get(danger_report_id)
            if earlier is not None and (earlier.reporter_id, earlier.entered_by) == (reporter_id, entered_by):
                completed = await self._reports.complete(earlier.id, content)
                assert completed is not None
                await self._alert_coordinators("report.danger_details", completed, "details", Priority.URGENT)
                return completed
        kind = DeskLimit.DANGERS if content.urgency is Urgency.DANGER else DeskLimit.REPORTS
        return await self._create(content, update_id, channel, reporter_id, entered_by, kind)

    async def ask_to_be_contacted(self, person_id: int, *, update_id: int) -> ReportRecord | LimitReached:
        """After the self-test, the person asks the team to get in touch: a report about themselves that holds
        none of their answers, and every coordinator is told; unless they already asked as often as one may."""
        content = ReportContent(Place(), ("lonely",), Urgency.SOON, None, None, anonymous=False, contact_ok=True)
        created = await self._create(content, update_id, Channel.SELF_TEST, person_id, None, DeskLimit.CONTACT_REQUESTS)
        if isinstance(created, LimitReached):
            return created
        await self._alert_coordinators("report.self_test_alert", created, "self_test")
        return created

    async def _create(
        self,
        content: ReportContent,
        update_id: int,
        channel: Channel,
        reporter_id: int | None,
        entered_by: int | None,
        kind: DeskLimit,
    ) -> ReportRecord | LimitReached:
        """A report sent by its reporter counts against the desk's limits; one a coordinator enters does not.
        A refusal tells the coordinators (once a day per account and limit), with a button that lifts it."""
        ceiling = Ceiling(kind, self._most[kind], self._limits.period_hours)
        created = await self._reports.create(
            content,
            year=self._today().year,
            channel=channel,
            reporter_id=reporter_id,
            entered_by=entered_by,
            source_update_id=update_id,
            ceiling=ceiling if reporter_id is not None and entered_by is None else None,
        )
        if created is not None:
            return created[0]
        assert reporter_id is not None
        reporter = await self._users.get(reporter_id)
        params: dict[str, Value] = {
            "name": reporter.first_name if reporter else "?",
            "what": Message(f"desk.limit.{kind.value}"),
            "most": ceiling.most,
            "hours": ceiling.hours,
        }
        lift = ((Button("desk.lift_button", LiftLimits(reporter_id)),),)
        notice = Notice("desk.limit_reached", params, lift)
        event = f"desk.limit:{kind.value}:{reporter_id}:{self._today().isoformat()}"
        for coordinator in sorted(self._roles.coordinators):
            await self._notifier.tell(coordinator, notice, f"{event}:{coordinator}")
        return LimitReached(kind, ceiling.most, ceiling.hours)

    async def lift_limits(self, telegram_id: int, actor: int) -> str | None:
        """A coordinator lets the account write to the desk again; the account's first name, None if unknown."""
        account = await self._users.get(telegram_id)
        if account is None:
            return None
        await self._reports.lift_limits(telegram_id, actor)
        return account.first_name

    async def mine(self, reporter_id: int) -> list[ReportRecord]:
        return await self._reports.of_reporter(reporter_id)

    async def answer_from_reporter(
        self, report_id: int, reporter_id: int, text: str, event_id: int
    ) -> Relay | TooLong | NoWords:
        """Relay the reporter's answer to the coordinators, if this is the reporter's report."""
        answer = written(text, MAX_NOTE_CHARS)
        if not isinstance(answer, Written):
            return answer
        report = await self._reports.get(report_id)
        if report is None or report.reporter_id != reporter_id:
            return Relay.NOT_POSSIBLE
        await self._reports.record_event(report_id, reporter_id, "reporter.answered", answer.text)
        notice = Notice(
            "report.reporter_answer", {"reference": report.reference, "text": answer.text}, _open_button(report)
        )
        for coordinator in sorted(self._roles.coordinators):
            await self._notifier.tell(coordinator, notice, f"report.answer:{report.id}:{event_id}:{coordinator}")
        return Relay.SENT

    # --- the coordinator's desk -------------------------------------------------------------------------
    async def listed(self, statuses: Sequence[ReportStatus], neighbourhood: str | None) -> list[ReportRecord]:
        """Every report in these statuses (and neighbourhood), newest first: the coordinator's list pages them."""
        reports, _total = await self._reports.page(statuses, neighbourhood)
        return reports

    async def view(self, report_id: int) -> CoordinatorView | None:
        report = await self._reports.get(report_id)
        if report is None:
            return None
        reporter = await self._users.get(report.reporter_id) if report.reporter_id else None
        return CoordinatorView(report, reporter.first_name if reporter else None)

    async def triage(self, report_id: int, actor: int) -> bool:
        """A coordinator read a new report: it is triaged, and the reporter learns it was read."""
        report = await self._reports.get(report_id)
        if report is None:
            return False
        return await self._move(report, (ReportStatus.NEW,), ReportStatus.TRIAGED, actor, "report.status.triaged")

    async def open_file(self, report_id: int, actor: int, name: str) -> PersonRecord | Edit:
        """A person's file prefilled from the report, linked to it; the reporter is told it is taken in charge.
        BAD_NAME for a name nobody could be greeted by, NOT_POSSIBLE when the report is gone or closed."""
        greeted = valid_name(name)
        if greeted is None:
            return Edit.BAD_NAME
        report = await self._reports.get(report_id)
        if report is None or report.status not in OPEN_STATUSES:
            return Edit.NOT_POSSIBLE
        needs = [sign.removeprefix("need_") for sign in report.signs if sign.startswith("need_")]
        person = await self._persons.create(
            NewPerson(greeted, report.address or "", report.street_id, report.lat, report.lon, needs), actor, report_id
        )
        await self._follow(report, person.id, actor)
        return person

    async def attach_candidates(self, report_id: int) -> list[PersonRecord]:
        """Persons followed on the report's street, the same address first."""
        report = await self._reports.get(report_id)
        if report is None or report.street_id is None:
            return []
        persons = await self._persons.on_street(report.street_id)
        return sorted(persons, key=lambda p: p.address != report.address)

    async def attach(self, report_id: int, person_id: int, actor: int) -> bool:
        report = await self._reports.get(report_id)
        person = await self._persons.get(person_id)
        if report is None or person is None or report.status not in OPEN_STATUSES:
            return False
        return await self._follow(report, person.id, actor)

    async def _follow(self, report: ReportRecord, person_id: int, actor: int) -> bool:
        allowed = (*UNDECIDED, ReportStatus.ESCALATED)
        return await self._move(
            report, allowed, ReportStatus.FOLLOWED, actor, "report.status.taken", person_id=person_id
        )

    async def no_action(self, report_id: int, reason: str, actor: int) -> bool:
        if reason not in NO_ACTION_REASONS:
            return False
        report = await self._reports.get(report_id)
        if report is None:
            return False
        allowed = (*UNDECIDED, ReportStatus.ESCALATED)
        return await self._move(
            report, allowed, ReportStatus.NO_ACTION, actor, "report.status.no_action", reason=reason
        )

    async def close(self, report_id: int, actor: int) -> bool:
        report = await self._reports.get(report_id)
        if report is None:
            return False
        return await self._move(report, OPEN_STATUSES, ReportStatus.CLOSED, actor, "report.status.closed")

    async def escalate(self, report_id: int, actor: int) -> int | None:
        """Tell every professional what they need; how many were told, None if the report cannot be escalated."""
        report = await self._reports.get(report_id)
        if report is None or report.status not in ESCALABLE:
            return None
        professionals = await self._users.professionals()
        if not professionals:
            return 0
        if not await self._reports.move(report_id, ESCALABLE, ReportStatus.ESCALATED, actor):
            return None
        params: dict[str, Value] = {
            "reference": report.reference,
            "urgency": Message(f"urgency.{report.urgency.value}"),
            "signs": _signs(report),
            "who": report.who or "-",
            "note": report.note or "-",
            **self._where(report),
        }
        reporter = await self._users.get(report.reporter_id) if report.reporter_id else None
        if report.anonymous or reporter is None:
            params["reporter"] = Message("report.reporter_hidden")
        else:
            params["reporter"] = reporter.first_name
        # The whole file is theirs to read when there is one (each opening is audited).
        file = ((Button("button.see_file", OpenPerson(report.person_id)),),) if report.person_id else ()
        for professional in professionals:
            await self._notifier.tell(
                professional,
                Notice("report.escalated_to_pro", params, file),
                f"report.escalated:{report.id}:{professional}",
            )
        await self._tell_reporter(report, "report.status.escalated", ReportStatus.ESCALATED)
        return len(professionals)

    async def ask_reporter(self, report_id: int, actor: int, question: str, event_id: int) -> Relay | TooLong | NoWords:
        """Relay a question through the bot; the reporter answers with a button, their identity stays hidden."""
        asked = written(question, MAX_QUESTION_CHARS)
        if not isinstance(asked, Written):
            return asked
        report = await self._reports.get(report_id)
        if report is None or report.reporter_id is None or not report.contact_ok:
            return Relay.NOT_POSSIBLE
        await self._reports.record_event(report_id, actor, "question.asked", asked.text)
        notice = Notice(
            "report.question_to_reporter",
            {"reference": report.reference, "question": asked.text},
            ((Button("button.answer", AnswerQuestion(report.id)),),),
        )
        await self._notifier.tell(report.reporter_id, notice, f"report.question:{report.id}:{event_id}")
        return Relay.SENT

    async def visit_planned(self, person_id: int) -> None:
        """For the weekly planner: the reporters of this person's reports learn a visit is planned."""
        for report in await self._reports.of_person(person_id):
            if report.status in OPEN_STATUSES:
                await self._tell_reporter(report, "report.status.visit_planned", f"visit:{self._today().isoformat()}")

    async def send_digest(self) -> int:
        """The day's list of reports still waiting for a decision, to every coordinator; how many are waiting."""
        waiting = await self._reports.page(UNDECIDED, None, 0, 50)
        reports, total = waiting
        if total == 0:
            return 0
        lines = "\n".join(f"• {r.reference} · {r.neighbourhood or '?'}" for r in reports)
        notice = Notice(
            "report.digest",
            {"count": total, "lines": lines},
            ((Button("button.see_reports", ListReports("todo", None, 0)),),),
        )
        day = self._today().isoformat()
        for coordinator in sorted(self._roles.coordinators):
            await self._notifier.tell(coordinator, notice, f"report.digest:{day}:{coordinator}")
        return total

    # --- helpers --------------------------------------------------------------------------------------
    @staticmethod
    def _where(report: ReportRecord) -> dict[str, Value]:
        return {"where": report.address if report.address else Message("report.where_unknown")}

    async def _alert_coordinators(
        self, key: str, report: ReportRecord, event: str, priority: Priority = Priority.ROUTINE
    ) -> None:
        reporter = await self._users.get(report.reporter_id) if report.reporter_id else None
        params: dict[str, Value] = {
            "reference": report.reference,
            "reporter": reporter.first_name if reporter else "-",
            "signs": _signs(report),
            **self._where(report),
        }
        notice = Notice(key, params, _open_button(report))
        for coordinator in sorted(self._roles.coordinators):
            await self._notifier.tell(coordinator, notice, f"report.{event}:{report.id}:{coordinator}", priority)

    async def _move(
        self,
        report: ReportRecord,
        allowed: Sequence[ReportStatus],
        to: ReportStatus,
        actor: int,
        key: str,
        *,
        person_id: int | None = None,
        reason: str | None = None,
    ) -> bool:
        """Change the status and tell the reporter. A replay of the same step after a crash finds the report
        already there and tells again: the notice's dedup key keeps it to one message."""
        moved = await self._reports.move(report.id, allowed, to, actor, person_id=person_id, reason=reason)
        if moved or report.status == to:
            await self._tell_reporter(report, key, to)
        return moved

    async def _tell_reporter(self, report: ReportRecord, key: str, event: str) -> None:
        if report.reporter_id is None:
            return
        await self._notifier.tell(
            report.reporter_id, Notice(key, {"reference": report.reference}), f"report.status:{report.id}:{event}"
        )
