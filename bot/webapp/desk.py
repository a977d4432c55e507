"""The Mini App's use cases, on the services the chat uses and with its role rules: the one module of the
web side that calls services, so a change of theirs changes only this file.

Every function takes the caller's Telegram id, as proven by the signed init data, checks the caller's role
now (as `requires` does for a handler) and returns plain JSON-ready data. A refusal raises `Refused` and
changes nothing; ids in a request are checked again by the service, like callback data."""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any, TypeVar

from bot.domain.indicators import PERIODS
from bot.domain.persons import Edit, PersonRecord
from bot.domain.reports import NO_ACTION_REASONS, REPORT_FILTERS, Relay
from bot.domain.roles import COORDINATORS, STAFF, VOLUNTEERS, Role
from bot.domain.texts import NoWords, TooLong
from bot.domain.weeks import parse_week
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.desk_views import MapOuting
from bot.services.drafts import Edited, OutdatedDraft

Json = dict[str, Any]
T = TypeVar("T")
# The page's own words, and the families of the domain's words it shows, from the chat's catalogues.
STRING_FAMILIES = (
    "webapp.",
    "visit.status.",
    "plan.status.",
    "plan.reason.",
    "plan.route_reason.",
    "report.status_label.",
    "urgency.",
    "sign.",
    "volunteer.kind.",
    "stats.channel.",
    "stats.period.",
    "reason.",
    "person.status.",
    "report.filter.",
    "need.",
)
# A desk's table, not a chat's page: enough for a town's queue and files.
MAX_ROWS = 500
_TAG = re.compile(r"<[^>]+>")


class Refused(Exception):
    """Answered with this HTTP status and this catalogue key; nothing was changed."""

    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status = status
        self.key = key


class Desk:
    def __init__(self, svc: Services, week_changed: Callable[[], None]) -> None:
        """`week_changed` wakes the reminders after a publication or a "can't go", as the chat's handlers do."""
        self._svc = svc
        self._week_changed = week_changed
        # The Mini App's own settings, read through the services as the handlers read theirs.
        self.web = svc.settings.webapp

    async def translator(self, caller: int, telegram_language: str | None) -> Translator:
        return await self._svc.people.translator_for(caller, telegram_language)

    async def _require(self, caller: int, allowed: frozenset[Role]) -> frozenset[Role]:
        roles = await self._svc.roles.roles_of(caller)
        if not roles & allowed:
            raise Refused(403, "webapp.error.role")
        return roles

    # --- who is asking ----------------------------------------------------------------------------------
    async def me(self, caller: int, first_name: str, telegram_language: str | None) -> Json:
        _ = await self.translator(caller, telegram_language)
        roles = await self._svc.roles.roles_of(caller)
        settings = self._svc.settings
        strings = {
            key: _TAG.sub("", text) if isinstance(text, str) else {form: _TAG.sub("", t) for form, t in text.items()}
            for key, text in _.family(STRING_FAMILIES).items()
        }
        return {
            "id": caller,
            "first_name": first_name,
            "language": _.language,
            "plural_locale": _.plural_locale,
            "roles": sorted(role.value for role in roles),
            "strings": strings,
            "town": {"name": settings.town.name, "centre": [settings.town.centre_lat, settings.town.centre_lon]},
            "tiles": {"url": settings.webapp.tile_url, "attribution": settings.webapp.tile_attribution},
            "neighbourhoods": [n.name for n in settings.town.neighbourhoods],
            "slots": [
                {"id": s.id, "day": s.day, "start": s.start.strftime("%H:%M"), "end": s.end.strftime("%H:%M")}
                for s in settings.slots
            ],
            "periods": list(PERIODS),
            "no_action_reasons": list(NO_ACTION_REASONS),
        }

    # --- the town -----------------------------------------------------------------------------------------
    async def town(self, caller: int) -> Json:
        await self._require(caller, COORDINATORS)
        town = await self._svc.desk.town()
        return {
            "streets": [asdict(s) for s in town.streets],
            "reports": [r.model_dump() for r in town.reports],
            "persons": [p.model_dump() for p in town.persons],
            "areas": [{**asdict(a), "coverage": a.coverage, "uncovered_alone": a.uncovered_alone} for a in town.areas],
            "census_year": town.census_year,
            "approximate": town.approximate,
        }

    # --- the week -----------------------------------------------------------------------------------------
    def _week_of(self, text: str | None) -> tuple[int, int]:
        """As /plan reads its week: next week when not given; one out of reach is a typing mistake."""
        try:
            return parse_week(text or None, self._svc.calendar.now().date())
        except ValueError:
            raise Refused(400, "webapp.error.bad_week") from None

    async def week(self, caller: int, text: str | None) -> Json:
        await self._require(caller, COORDINATORS)
        year, week = self._week_of(text)
        found = await self._svc.desk.week(year, week)
        if found is None:
            return {"year": year, "week": week, "plan": None, "outings": [], "left_out": []}
        plan = found.plan
        return {
            "year": year,
            "week": week,
            "plan": {"id": plan.id, "status": plan.status.value, "figures": plan.figures},
            "outings": [_outing(o) for o in found.outings],
            "left_out": [{"name": n, "missing": m, "reason": r} for n, m, r in found.left_out],
        }

    async def draft(self, caller: int, text: str | None) -> Json:
        """Plan (or re-run) the week's draft, as /plan and Re-run do."""
        await self._require(caller, COORDINATORS)
        year, week = self._week_of(text)
        plan_id = await self._svc.publication.make_draft(year, week, caller)
        if plan_id is None:
            raise Refused(409, "webapp.error.published")
        return {"plan_id": plan_id}

    async def publish(self, caller: int, plan_id: int) -> Json:
        await self._require(caller, COORDINATORS)
        count = await self._svc.publication.publish(plan_id, caller)
        if count is None:
            raise Refused(409, "webapp.error.not_draft")
        if count == 0:
            raise Refused(409, "webapp.error.empty_week")
        self._week_changed()
        return {"visits": count}

    async def swap_choices(self, caller: int, visit_id: int, leaving: int) -> Json:
        await self._require(caller, COORDINATORS)
        found = await _drafting(self._svc.drafts.swap_choices(visit_id, leaving))
        if found is None:
            raise Refused(409, "webapp.error.not_draft")
        return {"choices": [{"id": v, "name": n} for v, n in found]}

    async def swap(self, caller: int, visit_id: int, leaving: int, coming: int) -> Json:
        await self._require(caller, COORDINATORS)
        return _edited(await _drafting(self._svc.drafts.swap(visit_id, leaving, coming)))

    async def move_choices(self, caller: int, visit_id: int) -> Json:
        await self._require(caller, COORDINATORS)
        found = await _drafting(self._svc.drafts.move_choices(visit_id))
        if found is None:
            raise Refused(409, "webapp.error.not_draft")
        return {
            "outings": [asdict(o) for o in found.outings],
            "slots": [asdict(s) for s in found.slots],
        }

    async def pair_choices(self, caller: int, visit_id: int, slot_index: int) -> Json:
        await self._require(caller, COORDINATORS)
        found = await _drafting(self._svc.drafts.pair_choices(visit_id, slot_index))
        if found is None:
            raise Refused(409, "webapp.error.not_draft")
        return {"pairs": [{"first": a, "second": b, "label": label} for a, b, label in found.pairs]}

    async def move(
        self, caller: int, visit_id: int, target: int | None, slot: int | None, pair: tuple[int, int] | None
    ) -> Json:
        await self._require(caller, COORDINATORS)
        if target is not None:
            return _edited(await _drafting(self._svc.drafts.move_to_outing(visit_id, target)))
        if slot is None or pair is None:
            raise Refused(400, "webapp.error.bad_request")
        return _edited(await _drafting(self._svc.drafts.move_to_new_pair(visit_id, slot, *pair)))

    # --- volunteers -----------------------------------------------------------------------------------------
    async def volunteers(self, caller: int) -> Json:
        await self._require(caller, COORDINATORS)
        profiles = await self._svc.availability.everyone()
        experienced = await self._svc.availability.experienced(profiles)
        load = await self._svc.desk.load_this_month()
        return {
            "volunteers": [
                {
                    "id": p.telegram_id,
                    "name": p.first_name,
                    "kind": p.kind.value,
                    "experienced": p.telegram_id in experienced,
                    "capacity": p.capacity,
                    "slots": sorted(p.slot_ids),
                    "absences": [[a.first_day.isoformat(), a.last_day.isoformat()] for a in p.absences],
                    "paused": p.paused,
                    "load": load.get(p.telegram_id, 0),
                }
                for p in profiles
            ]
        }

    # --- reports and persons ----------------------------------------------------------------------------------
    async def reports(self, caller: int, filter_key: str, neighbourhood: str | None) -> Json:
        await self._require(caller, COORDINATORS)
        statuses = REPORT_FILTERS.get(filter_key)
        if statuses is None:
            raise Refused(400, "webapp.error.bad_request")
        found = (await self._svc.reports.listed(statuses, neighbourhood or None))[:MAX_ROWS]
        return {
            "reports": [
                {
                    "id": r.id,
                    "reference": r.reference,
                    "status": r.status.value,
                    "urgency": r.urgency.value,
                    "neighbourhood": r.neighbourhood,
                    "address": r.address,
                    "signs": list(r.signs),
                    "created_at": r.created_at,
                    "person_id": r.person_id,
                }
                for r in found
            ]
        }

    async def report_action(self, caller: int, report_id: int, action: str, body: Json) -> Json:
        """The chat desk's actions on a report; opening one marks it read, as pressing it in /reports does."""
        await self._require(caller, COORDINATORS)
        reports = self._svc.reports
        done: bool
        if action == "read":
            await reports.triage(report_id, caller)
            view = await reports.view(report_id)
            if view is None:
                raise Refused(404, "webapp.error.not_found")
            report = view.report
            candidates = await reports.attach_candidates(report_id)
            return {
                "report": {
                    **report.model_dump(mode="json", exclude={"reporter_id", "entered_by"}),
                    # Coordinators know who reported, anonymous or not (anonymity hides them from everyone else).
                    "reporter": view.reporter_name,
                    "can_ask": report.reporter_id is not None and report.contact_ok,
                },
                "candidates": [{"id": p.id, "name": p.name, "address": p.address} for p in candidates],
            }
        if action == "close":
            done = await reports.close(report_id, caller)
        elif action == "no_action":
            done = await reports.no_action(report_id, str(body.get("reason", "")), caller)
        elif action == "escalate":
            told = await reports.escalate(report_id, caller)
            if told == 0:
                raise Refused(409, "webapp.error.no_professional")
            done = told is not None
        elif action == "attach":
            done = await reports.attach(report_id, _int(body.get("person")), caller)
        elif action == "ask":
            # The chat's dedup key names the update; here the moment of the press does.
            asked = await reports.ask_reporter(
                report_id, caller, str(body.get("question", "")), time.time_ns() // 1_000_000
            )
            if isinstance(asked, TooLong | NoWords):
                raise Refused(400, "webapp.error.question")
            done = asked == Relay.SENT
        elif action == "open_file":
            opened = await reports.open_file(report_id, caller, str(body.get("name", "")))
            if opened == Edit.BAD_NAME:
                raise Refused(400, "webapp.error.bad_request")
            done = isinstance(opened, PersonRecord)
        else:
            raise Refused(400, "webapp.error.bad_request")
        if not done:
            raise Refused(409, "webapp.error.not_possible")
        return {"done": True}

    async def persons(self, caller: int, text: str) -> Json:
        await self._require(caller, STAFF)
        found = (await self._svc.persons.search(text))[:MAX_ROWS]
        return {
            "persons": [{"id": p.id, "name": p.name, "address": p.address, "status": p.status.value} for p in found]
        }

    async def person(self, caller: int, person_id: int) -> Json:
        """The whole file, for those who see it in the chat; the opening is in the audit log, as there."""
        await self._require(caller, STAFF)
        found = await self._svc.persons.open(person_id, caller)
        if found is None:
            raise Refused(404, "webapp.error.not_found")
        return {
            "person": found.person.model_dump(mode="json"),
            "reports": [{"reference": r.reference, "status": r.status.value} for r in found.reports],
            "next_checkin": found.next_checkin.isoformat() if found.next_checkin else None,
        }

    # --- indicators -----------------------------------------------------------------------------------------
    async def stats(self, caller: int, period_key: str) -> Json:
        await self._require(caller, COORDINATORS)
        if period_key not in PERIODS:
            raise Refused(400, "webapp.error.bad_request")
        found = await self._svc.indicators.compute(self._svc.indicators.period(period_key))
        flow = found.flow
        return {
            "first": found.period.first.isoformat(),
            "last": found.period.last.isoformat(),
            "reports": {c.value: n for c, n in flow.reports.items()},
            "followed": found.followed,
            "newly_followed": flow.newly_followed,
            "left_isolation": flow.left_isolation,
            "visits": asdict(flow.visits),
            "volunteers": found.volunteers,
            "active_volunteers": found.active_volunteers,
            "wellbeing": found.wellbeing.value if found.wellbeing else None,
            "coverage": {"town": asdict(found.town), "areas": [asdict(a) for a in found.areas]},
            "months": [
                {
                    "first": m.period.first.isoformat(),
                    "reports": {c.value: n for c, n in m.reports.items()},
                    "newly_followed": m.newly_followed,
                    "visits_done": m.visits.done,
                }
                for m in found.months
            ],
        }

    # --- the volunteer's outing -----------------------------------------------------------------------------
    async def outing(self, caller: int, visit_id: int) -> Json:
        await self._require(caller, VOLUNTEERS)
        found = await self._svc.desk.outing(visit_id, caller)
        if found is None:
            raise Refused(404, "webapp.error.not_yours")
        return asdict(found)

    async def answer_outing(self, caller: int, visit_id: int, confirm: bool) -> Json:
        """Confirm or Can't go, through the same service as the chat's buttons."""
        await self._require(caller, VOLUNTEERS)
        answers = self._svc.visit_answers
        done = await answers.confirm(visit_id, caller) if confirm else await answers.decline(visit_id, caller)
        if done is None:
            raise Refused(409, "webapp.error.outing_closed")
        if not confirm:
            self._week_changed()
        return await self.outing(caller, visit_id) if confirm else {"declined": True}


def _outing(o: MapOuting) -> Json:
    return {**asdict(o), "pair": [{"id": i, "name": n} for i, n in o.pair], "first_visit_id": o.stops[0].visit_id}


async def _drafting(edit: Awaitable[T]) -> T:
    """A draft the stored week no longer allows is to be re-run, not edited (as the chat says)."""
    try:
        return await edit
    except OutdatedDraft:
        raise Refused(409, "webapp.error.outdated") from None


def _edited(edited: Edited | None) -> Json:
    if edited is None:
        raise Refused(409, "webapp.error.not_draft")
    if not edited.done:
        raise Refused(409, "webapp.error.not_possible")
    return {"plan_id": edited.plan_id}


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise Refused(400, "webapp.error.bad_request") from None
