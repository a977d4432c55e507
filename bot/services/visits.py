"""The life of a visit: a week's draft, its publication to the pairs, confirmations, a "can't go" repaired
without touching the rest of the week, reminders, and what the pair says after the visit.

Privacy: a volunteer is shown, of a person's file, the first name, the address, the access notes and the
time to ring, read through `VisitRepository.stops` which selects nothing else. Professionals and
coordinators hear of a worrying visit with what they need to act.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config import PlanningSettings, VisitSettings
from bot.domain.actions.open_calls import CallForDeclined
from bot.domain.actions.visits import REPORTED_OUTCOMES, AskDeclineVisit, ConfirmVisit, ReportOutcome
from bot.domain.callbacks import Button
from bot.domain.places import Point
from bot.domain.reports import NEEDS
from bot.domain.slots import Slot
from bot.domain.visits import MOODS, Answer, Outcome, PlanStatus, VisitStatus
from bot.matching.plan import Figures, Outing, Plan, pair_of
from bot.matching.repair import Unavailable, repair
from bot.matching.week import Volunteer, Week
from bot.notices import CalendarEvent, Notice, Pin
from bot.services.notifications import Notifier
from bot.services.outings import RoutedOuting, append_stops, first_name, osm_walk, route_outing, route_rules
from bot.services.planning import PlanningService
from bot.services.roles import RoleService
from bot.storage.profiles import ProfileRepository
from bot.storage.users import UserRepository
from bot.storage.visits import NewVisit, PlanRecord, VisitRecord, VisitRepository

log = logging.getLogger(__name__)

MAX_NOTE_CHARS = 1000
# Two of these in a row for the same person and the coordinators hear of it.
ALERTING = (Outcome.NOBODY_HOME, Outcome.UNANSWERED)
# The repaired plan's figures are not shown; a published plan stands in with this status.
_PUBLISHED = Figures("PUBLISHED", 0, None, 0.0, 0, 0, 0.0, 0, 0, 0, 0.0)


@dataclass(frozen=True, slots=True)
class PreviewOuting:
    slot_id: str
    day: str
    start: str
    pair: tuple[str, str]
    stops: tuple[tuple[str, str], ...]  # person's name (the coordinator's view), arrival
    walk_min: float
    first_visit_id: int


@dataclass(frozen=True, slots=True)
class Preview:
    plan: PlanRecord
    outings: tuple[PreviewOuting, ...]
    left_out: tuple[tuple[str, int, str], ...]  # person's name, visits missing, reason key


@dataclass(frozen=True, slots=True)
class DeclineResult:
    declined: int  # visits the volunteer was taken off
    replaced: int  # of which another pair takes over


@dataclass(frozen=True)
class VisitReport:
    outcome: Outcome
    mood: int | None = None
    needs: tuple[str, ...] = ()
    worry: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class WeekRow:
    visit: VisitRecord
    person: str
    pair: tuple[str, str]


@dataclass
class _Due:
    """What `send_due` found to do; the figures a test or a log line reads."""

    reminders: int = 0
    prompts: int = 0
    unanswered: int = 0
    next_at: list[datetime] = field(default_factory=list)


class VisitService:
    def __init__(
        self,
        visits: VisitRepository,
        planning: PlanningService,
        users: UserRepository,
        profiles: ProfileRepository,
        roles: RoleService,
        notifier: Notifier,
        slots: Sequence[Slot],
        planning_settings: PlanningSettings,
        settings: VisitSettings,
        timezone: str,
    ) -> None:
        self._visits = visits
        self._planning = planning
        self._users = users
        self._profiles = profiles
        self._roles = roles
        self._notifier = notifier
        self._slots = {slot.id: slot for slot in slots}
        self._settings = settings
        self._zone = ZoneInfo(timezone)
        self._rules = route_rules(planning_settings, settings)
        self.clock: Callable[[], datetime] = lambda: datetime.now(self._zone)

    # --- the coordinator's week -----------------------------------------------------------------------------
    def next_week(self) -> tuple[int, int]:
        year, week, _ = (self.clock().date() + timedelta(days=7)).isocalendar()
        return year, week

    async def make_draft(self, year: int, iso_week: int, actor: int) -> int | None:
        """Plan the week and route every pair's outing; None when the week is already published."""
        existing = await self._visits.plan_of_week(year, iso_week)
        if existing is not None and existing.status is PlanStatus.PUBLISHED:
            return None
        planned = await self._planning.plan(year, iso_week)
        routed = await asyncio.to_thread(self._route_plan, planned.week, planned.plan.outings)
        rows = [row for outing in routed for row in visit_rows(outing)]
        unplanned = [(int(u.person_id), u.missing, f"plan.reason.{u.reason.value}") for u in planned.plan.unplanned]
        unplanned += [
            (person, 1, f"plan.route_reason.{reason}") for outing in routed for person, reason in outing.unplaced
        ]
        figures = {
            "due": float(planned.plan.figures.visits_due),
            "planned": float(len(rows)),
            "walking": round(sum(stop.walk_min for outing in routed for stop in outing.stops), 1),
            "seconds": round(planned.plan.figures.solve_seconds, 1),
        }
        return await self._visits.save_draft(year, iso_week, actor, rows, unplanned, figures)

    def _route_plan(self, week: Week, outings: Iterable[Outing]) -> list[RoutedOuting]:
        slots = {slot.id: slot for slot in week.slots}
        persons = {p.id: p.location for p in week.persons}
        homes = {int(v.id): v.home for v in week.volunteers if v.home is not None}
        return [
            route_outing(
                slots[o.slot_id],
                (int(o.pair[0]), int(o.pair[1])),
                [(int(p), persons[p]) for p in o.person_ids],
                homes,
                self._rules,
            )
            for o in outings
        ]

    async def preview(self, plan_id: int) -> Preview | None:
        plan = await self._visits.plan(plan_id)
        if plan is None:
            return None
        visits = await self._visits.visits(plan_id, active_only=True)
        names = await self._visits.person_names([v.person_id for v in visits] + [u[0] for u in plan.unplanned])
        outings = []
        for group in _outings(visits):
            first = group[0]
            slot = self._slots.get(first.slot_id)
            outings.append(
                PreviewOuting(
                    first.slot_id,
                    first.day,
                    slot.start.strftime("%H:%M") if slot else "",
                    (await self._first_name(first.first_volunteer), await self._first_name(first.second_volunteer)),
                    tuple((names.get(v.person_id, "?"), v.arrival) for v in group),
                    sum(v.walk_min for v in group),
                    first.id,
                )
            )
        left_out = tuple((names.get(person, "?"), missing, reason) for person, missing, reason in plan.unplanned)
        return Preview(plan, tuple(outings), left_out)

    async def publish(self, plan_id: int, actor: int) -> int | None:
        """Publish a draft and tell every pair; None when it is not a draft. A replayed press re-queues
        nothing: every notice has its dedup key."""
        if not await self._visits.publish(plan_id, actor):
            return None
        visits = await self._visits.visits(plan_id, active_only=True)
        for group in _outings(visits):
            await self._tell_outing(group)
        return len(visits)

    # --- the pair's answers -------------------------------------------------------------------------------
    async def confirm(self, visit_id: int, volunteer: int) -> list[VisitRecord] | None:
        """The volunteer confirms their outing; None when it is not theirs or no longer going ahead."""
        group = await self._member_outing(visit_id, volunteer)
        if group is None:
            return None
        await self._visits.answer([v.id for v in group], volunteer, Answer.CONFIRMED)
        return group

    async def decline(self, visit_id: int, volunteer: int) -> DeclineResult | None:
        """The volunteer cannot make their outing: the week is repaired for them only, the coordinators and
        the partner are told, and whoever takes over gets the outing as at publication."""
        group = await self._member_outing(visit_id, volunteer)
        if group is None:
            return None
        if not await self._visits.answer([v.id for v in group], volunteer, Answer.DECLINED):
            return DeclineResult(0, 0)  # a replayed press: the repair was already made
        plan = await self._visits.plan(group[0].plan_id)
        assert plan is not None
        added, unplanned = await self._repair(plan, volunteer, group[0].slot_id)
        taken = {row.replaces for row in added}
        dropped = {v.id: VisitStatus.REPLACED if v.id in taken else VisitStatus.DECLINED for v in group}
        await self._visits.replace(plan.id, dropped, added)
        await self._tell_decline(volunteer, group, added, unplanned)
        active = await self._visits.visits(plan.id, active_only=True)
        new_ids = set(self._ids_of(active, added))
        for outing in _outings(active):
            if any(v.id in new_ids for v in outing):
                await self._tell_outing(outing)
        return DeclineResult(len(group), len(taken))

    async def withdraw(self, volunteer: int) -> int:
        """A volunteer leaves (erases themselves): every outing of theirs not yet begun is declined as by
        "Can't go", so the partner and the coordinators hear of it and the repair looks for someone else.
        Returns how many outings they were taken off."""
        now = self.clock()
        ahead = [
            group
            for group in _outings(await self._visits.published_from(now.date().isoformat()))
            if volunteer in group[0].pair and self._start(group[0]) > now
        ]
        for group in ahead:
            await self.decline(group[0].id, volunteer)
        return len(ahead)

    async def _member_outing(self, visit_id: int, volunteer: int) -> list[VisitRecord] | None:
        group = await self._visits.outing(visit_id)
        if not group or volunteer not in group[0].pair or group[0].answer_of(volunteer) is Answer.DECLINED:
            return None
        plan = await self._visits.plan(group[0].plan_id)
        if plan is None or plan.status is not PlanStatus.PUBLISHED:
            return None
        if self._start(group[0]) <= self.clock():
            return None
        return group

    async def _repair(self, plan: PlanRecord, volunteer: int, slot_id: str) -> tuple[list[NewVisit], dict[int, str]]:
        """The repair's new visits (each replacing the lost visit of its person, when there is one) and the
        reasons of those it could not place."""
        week = await self._planning.week(plan.year, plan.iso_week)
        visits = await self._visits.visits(plan.id)
        kept = [v for v in visits if v.status not in (VisitStatus.DECLINED, VisitStatus.REPLACED)]
        lost = {v.person_id: v.id for v in kept if v.slot_id == slot_id and volunteer in v.pair}
        published = Plan(
            tuple(
                Outing(
                    g[0].slot_id,
                    pair_of(str(g[0].first_volunteer), str(g[0].second_volunteer)),
                    tuple(str(v.person_id) for v in g),
                )
                for g in _outings(kept)
            ),
            (),
            _PUBLISHED,
        )
        earlier = {(str(v), s) for v, s in await self._visits.declines(plan.id) if (v, s) != (volunteer, slot_id)}
        week = _without(week, earlier)
        try:
            repaired = await asyncio.to_thread(repair, week, published, Unavailable(str(volunteer), slot_id))
        except (ValueError, KeyError) as exc:
            # Someone of the published week is no longer in the stored one (paused, file ended): the visits
            # stay unplaced and the coordinator sees them in the notice.
            log.warning("visits.repair_failed plan=%s reason=%s", plan.id, exc)
            return [], {person: "plan.reason.no_volunteer_free" for person in lost}
        before = {(o.slot_id, o.pair, p) for o in published.outings for p in o.person_ids}
        new: dict[tuple[str, tuple[str, str]], list[str]] = defaultdict(list)
        for changed in repaired.plan.outings:
            for person in changed.person_ids:
                if (changed.slot_id, changed.pair, person) not in before:
                    new[(changed.slot_id, changed.pair)].append(person)
        slots = {s.id: s for s in repaired.week.slots}
        points = {p.id: p.location for p in repaired.week.persons}
        homes = {int(v.id): v.home for v in repaired.week.volunteers if v.home is not None}
        added: list[NewVisit] = []
        for (slot, pair_ids), persons in new.items():
            pair = (int(pair_ids[0]), int(pair_ids[1]))
            stops = [(int(p), points[p]) for p in persons]
            existing = [
                v for v in kept if v.slot_id == slot and v.pair == tuple(sorted(pair)) and v.id not in lost.values()
            ]
            if existing:
                last = existing[-1]
                routed = append_stops(slots[slot], (points[str(last.person_id)], last.departure), stops, self._rules)
                outing = RoutedOuting(
                    slot, last.day, pair, Point(last.meet_lat, last.meet_lon), last.meet_host, routed, ()
                )
                added += visit_rows(outing, first_position=last.position + 1, replaces=lost)
            else:
                outing = await asyncio.to_thread(route_outing, slots[slot], pair, stops, homes, self._rules)
                added += visit_rows(outing, replaces=lost)
        placed = {row.person_id for row in added}
        unplanned = {int(u.person_id): f"plan.reason.{u.reason.value}" for u in repaired.plan.unplanned}
        return added, {p: unplanned.get(p, "plan.reason.volunteers_busy") for p in lost if p not in placed}

    @staticmethod
    def _ids_of(active: Sequence[VisitRecord], added: Sequence[NewVisit]) -> list[int]:
        wanted = {(a.person_id, a.slot_id, tuple(sorted(a.pair))) for a in added}
        return [v.id for v in active if (v.person_id, v.slot_id, v.pair) in wanted]

    async def _tell_decline(
        self, volunteer: int, group: Sequence[VisitRecord], added: Sequence[NewVisit], unplanned: dict[int, str]
    ) -> None:
        first = group[0]
        who = await self._first_name(volunteer)
        names = await self._visits.person_names([v.person_id for v in group])
        by_person = {a.person_id: a for a in added}
        lines = []
        calls: list[tuple[Button, ...]] = []
        for visit in group:
            if visit.person_id in by_person:
                taken = by_person[visit.person_id]
                a, b = taken.pair
                pair = f"{await self._first_name(a)} & {await self._first_name(b)}"
                # The repair may move the visit to another half-day: the coordinator hears when it now is.
                when_now = {"day_date": taken.day, "arrival": taken.arrival}
                lines.append(
                    {
                        "key": "visit.decline_line_taken",
                        "params": {"name": names.get(visit.person_id, "?"), "pair": pair, **when_now},
                    }
                )
            else:
                reason = unplanned.get(visit.person_id, "plan.reason.volunteers_busy")
                lines.append(
                    {
                        "key": "visit.decline_line_open",
                        "params": {"name": names.get(visit.person_id, "?"), "reason_key": reason},
                    }
                )
                # One press asks the volunteers free in that slot (bot/services/open_calls.py).
                calls.append((Button.labelled(f"📣 {names.get(visit.person_id, '?')}", CallForDeclined(visit.id)),))
        if calls:
            lines.append({"key": "visit.decline_open_call_hint", "params": {}})
        when = {"day_date": first.day, "start": self._slot_start(first)}
        event = f"{first.id}:{volunteer}"
        for coordinator in sorted(self._roles.coordinators):
            await self._notifier.tell(
                coordinator,
                Notice("visit.declined_coordinator", {"volunteer": who, **when, "visits_lines": lines}, tuple(calls)),
                f"visit.declined:{event}:{coordinator}",
            )
        partner = first.partner_of(volunteer)
        await self._notifier.tell(
            partner, Notice("visit.declined_partner", {"partner": who, **when}), f"visit.declined:{event}:{partner}"
        )

    # --- an outing added to a published week (an open call filled) -------------------------------------------
    async def new_outing(
        self, plan_id: int, slot_id: str, pair: tuple[int, int], person: tuple[int, Point], replaces: int | None
    ) -> list[NewVisit]:
        """One visit for a pair not yet out in that slot, routed as at planning. The caller chose a pair whose
        meeting point is within walking reach of the door; should a home have moved since, the pair meets at
        the door rather than lose a visit both said yes to (with a hub, homes play no part)."""
        plan = await self._visits.plan(plan_id)
        assert plan is not None
        week = await self._planning.week(plan.year, plan.iso_week)
        slot = next(s for s in week.slots if s.id == slot_id)
        homes = {int(v.id): v.home for v in week.volunteers if v.home is not None}
        routed = await asyncio.to_thread(route_outing, slot, pair, [person], homes, self._rules)
        if not routed.stops:
            routed = await asyncio.to_thread(route_outing, slot, pair, [person], {}, self._rules)
        return visit_rows(routed, replaces={person[0]: replaces} if replaces is not None else None)

    async def tell_outing(self, visit_id: int) -> None:
        """Send the pair of this visit their outing, as at publication (each notice once)."""
        group = await self._visits.outing(visit_id)
        if group:
            await self._tell_outing(group)

    # --- what each volunteer is sent ----------------------------------------------------------------------
    async def _tell_outing(self, group: Sequence[VisitRecord]) -> None:
        first = group[0]
        stops = await self._visits.stops([v.id for v in group])
        meet = Point(first.meet_lat, first.meet_lon)
        points = [Point(s.lat, s.lon) for s in stops]
        ids = "-".join(str(v.id) for v in group)
        day = date.fromisoformat(first.day)
        start = datetime.combine(day, self._slot_start_time(first), self._zone)
        end = datetime.combine(day, time.fromisoformat(group[-1].departure), self._zone)
        lines: list[dict[str, object]] = []
        for stop in stops:
            shown = {
                "position": stop.position,
                "arrival": stop.arrival,
                "name": first_name(stop.name),
                "address": stop.address,
            }
            lines.append({"key": "visit.stop_line", "params": shown})
            if stop.access_notes:
                lines.append({"key": "visit.stop_access", "params": {"notes": stop.access_notes}})
        for member in first.pair:
            partner = first.partner_of(member)
            params: dict[str, object] = {
                "partner": await self._first_name(partner),
                "day_date": first.day,
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
                "stops_lines": lines,
                **await self._meeting(first.meet_host, member, await self._first_name(partner)),
            }
            buttons = (
                (Button.link("visit.route_button", osm_walk(meet, points[0])),),
                (Button.mini_app("visit.map_button", f"outing?visit={first.id}"),),
                (
                    Button("visit.confirm_button", ConfirmVisit(first.id)),
                    Button("visit.decline_button", AskDeclineVisit(first.id)),
                ),
            )
            key = f"visit.pub:{ids}:{member}"
            await self._notifier.tell(member, Notice("visit.outing", params, buttons), f"{key}:text")
            previous = meet
            for index, (stop, point) in enumerate(zip(stops, points, strict=True)):
                walk = ((Button.link("visit.walk_here_button", osm_walk(previous, point)),),)
                await self._notifier.tell(
                    member, Notice("", {}, walk, pin=Pin(stop.lat, stop.lon)), f"{key}:pin{index}"
                )
                previous = point
            calendar = CalendarEvent(
                f"visit-{ids}-{member}@lien",
                start.astimezone(UTC).isoformat(),
                end.astimezone(UTC).isoformat(),
                "visit.calendar_summary",
                "visit.calendar_description",
                meet.lat,
                meet.lon,
            )
            await self._notifier.tell(member, Notice("visit.calendar_caption", params, calendar=calendar), f"{key}:ics")

    async def _meeting(self, host: int | None, member: int, partner: str) -> dict[str, object]:
        """Where the pair meets, as each member is told: the partner's home comes with its street, the only
        part of a volunteer's address the bot knows."""
        line: dict[str, object]
        if host is None:
            line = {"key": "visit.meet_hub", "params": {"hub": self._settings.hub_name or "-"}}
        elif host == member:
            line = {"key": "visit.meet_your_home", "params": {}}
        else:
            profile = await self._profiles.get(host)
            street = profile.home_street_name if profile is not None else None
            if street:
                line = {"key": "visit.meet_partner_street", "params": {"partner": partner, "street": street}}
            else:
                line = {"key": "visit.meet_partner_home", "params": {"partner": partner}}
        return {"meeting_lines": [line]}

    async def plan_of(self, plan_id: int) -> PlanRecord | None:
        return await self._visits.plan(plan_id)

    async def volunteer_name(self, telegram_id: int) -> str:
        return await self._first_name(telegram_id)

    async def _first_name(self, telegram_id: int) -> str:
        user = await self._users.get(telegram_id)
        return user.first_name if user else "?"

    # --- reminders, prompts after the visit, unanswered visits ---------------------------------------------
    async def send_due(self, now: datetime | None = None) -> _Due:
        """Everything due at `now` (default: the clock): the day-before and hour-before reminders, the
        question after each visit, and visits left without news. Each notice has its dedup key, so running
        this twice, or again after a restart, sends nothing twice; what came due while the bot was stopped
        is sent now, unless its moment has passed (a reminder after the meeting)."""
        now = now or self.clock()
        since = (now.date() - timedelta(days=self._settings.unanswered_after_hours // 24 + 2)).isoformat()
        due = _Due()
        for group in _outings(await self._visits.published_from(since)):
            await self._outing_due(group, now, due)
        return due

    async def next_due_at(self, now: datetime | None = None) -> datetime | None:
        now = now or self.clock()
        moments = []
        for group in _outings(await self._visits.published_from(now.date().isoformat())):
            moments += [at for at in self._moments(group) if at > now]
        return min(moments, default=None)

    def _moments(self, group: Sequence[VisitRecord]) -> list[datetime]:
        start = self._start(group[0])
        day_before = datetime.combine(start.date() - timedelta(days=1), self._settings.reminder_day_before, self._zone)
        hour_before = start - timedelta(minutes=self._settings.reminder_before_minutes)
        after = [self._end(v) for v in group]
        silent = [end + timedelta(hours=self._settings.unanswered_after_hours) for end in after]
        return [day_before, hour_before, *after, *silent]

    async def _outing_due(self, group: Sequence[VisitRecord], now: datetime, due: _Due) -> None:
        first = group[0]
        start = self._start(first)
        day_before = datetime.combine(start.date() - timedelta(days=1), self._settings.reminder_day_before, self._zone)
        hour_before = start - timedelta(minutes=self._settings.reminder_before_minutes)
        kind = "hour" if hour_before <= now < start else "day" if day_before <= now < hour_before else None
        if kind is not None:
            names = await self._visits.stops([v.id for v in group])
            for member in first.pair:
                params = {
                    "partner": await self._first_name(first.partner_of(member)),
                    "day_date": first.day,
                    "start": start.strftime("%H:%M"),
                    "names": ", ".join(first_name(s.name) for s in names),
                }
                key = "visit.remind_day" if kind == "day" else "visit.remind_hour"
                await self._notifier.tell(
                    member, Notice(key, params), f"visit.remind:{kind}:{first.day}:{first.slot_id}:{member}"
                )
                due.reminders += 1
        for visit in group:
            end = self._end(visit)
            if now >= end + timedelta(hours=self._settings.unanswered_after_hours):
                if await self._visits.mark_unanswered(visit.id):
                    due.unanswered += 1
                    await self._check_in_a_row(visit)
            elif now >= end:
                await self._ask_after(visit)
                due.prompts += 1

    async def _ask_after(self, visit: VisitRecord) -> None:
        stops = await self._visits.stops([visit.id])
        params = {"name": first_name(stops[0].name) if stops else "?", "day_date": visit.day, "arrival": visit.arrival}
        buttons = (
            *(
                (Button(f"visit.outcome.{outcome.value}", ReportOutcome(visit.id, outcome)),)
                for outcome in REPORTED_OUTCOMES
            ),
        )
        for member in visit.pair:
            await self._notifier.tell(
                member, Notice("visit.after_question", params, buttons), f"visit.ask:{visit.id}:{member}"
            )

    # --- after the visit -----------------------------------------------------------------------------------
    async def reportable(self, visit_id: int, volunteer: int) -> VisitRecord | None:
        """The visit, when this volunteer may report it now: one of its pair, its time come, no report yet."""
        visit = await self._visits.get(visit_id)
        if visit is None or volunteer not in visit.pair or visit.outcome is not None:
            return None
        if visit.status not in (VisitStatus.PROPOSED, VisitStatus.CONFIRMED) or self.clock() < self._start(visit):
            return None
        return visit

    async def visit_name(self, visit_id: int) -> str:
        stops = await self._visits.stops([visit_id])
        return first_name(stops[0].name) if stops else "?"

    async def report(self, visit_id: int, volunteer: int, report: VisitReport) -> bool:
        """Keep the first report of a visit; a worry reaches the professionals and the coordinators, and two
        visits in a row with nobody home alert the coordinators."""
        visit = await self.reportable(visit_id, volunteer)
        if visit is None:
            return False
        needs = tuple(n for n in NEEDS if n in report.needs)
        mood = report.mood if report.mood in MOODS else None
        note = (report.note or "").strip()[:MAX_NOTE_CHARS] or None
        if not await self._visits.record_outcome(visit_id, volunteer, report.outcome, mood, needs, report.worry, note):
            return False
        if report.worry:
            await self._tell_worry(visit, volunteer, mood, needs, note)
        await self._check_in_a_row(visit)
        return True

    async def _tell_worry(
        self, visit: VisitRecord, volunteer: int, mood: int | None, needs: Sequence[str], note: str | None
    ) -> None:
        person = await self._visits.stops([visit.id])
        params = {
            "name": person[0].name if person else "?",
            "address": person[0].address if person else "?",
            "day_date": visit.day,
            "volunteer": await self._first_name(volunteer),
            "mood_key": f"visit.mood.{mood}" if mood else "visit.mood.unknown",
            "needs_keys": [f"sign.need_{need}" for need in needs] or ["visit.needs_none"],
            "note": note or "-",
        }
        professionals = await self._users.professionals()
        for recipient in dict.fromkeys([*professionals, *sorted(self._roles.coordinators)]):
            await self._notifier.tell(recipient, Notice("visit.worry", params), f"visit.worry:{visit.id}:{recipient}")

    async def _check_in_a_row(self, visit: VisitRecord) -> None:
        last = await self._visits.last_outcomes(visit.person_id, 2)
        if len(last) < 2 or last[0] != last[1] or last[0] not in ALERTING:
            return
        names = await self._visits.person_names([visit.person_id])
        params = {"name": names.get(visit.person_id, "?"), "day_date": visit.day}
        key = "visit.alert_nobody_home" if last[0] is Outcome.NOBODY_HOME else "visit.alert_unanswered"
        for coordinator in sorted(self._roles.coordinators):
            await self._notifier.tell(coordinator, Notice(key, params), f"visit.alert:{visit.id}:{coordinator}")

    # --- /week ---------------------------------------------------------------------------------------------
    async def week_rows(self, year: int, iso_week: int) -> tuple[PlanRecord | None, list[WeekRow]]:
        plan = await self._visits.plan_of_week(year, iso_week)
        if plan is None:
            return None, []
        visits = await self._visits.visits(plan.id)
        names = await self._visits.person_names([v.person_id for v in visits])
        rows = []
        for v in visits:
            pair = (await self._first_name(v.first_volunteer), await self._first_name(v.second_volunteer))
            rows.append(WeekRow(v, names.get(v.person_id, "?"), pair))
        return plan, rows

    # --- times ---------------------------------------------------------------------------------------------
    def _slot_start_time(self, visit: VisitRecord) -> time:
        slot = self._slots.get(visit.slot_id)
        return slot.start if slot else time.fromisoformat(visit.arrival)

    def _slot_start(self, visit: VisitRecord) -> str:
        return self._slot_start_time(visit).strftime("%H:%M")

    def _start(self, visit: VisitRecord) -> datetime:
        return datetime.combine(date.fromisoformat(visit.day), self._slot_start_time(visit), self._zone)

    def _end(self, visit: VisitRecord) -> datetime:
        return datetime.combine(date.fromisoformat(visit.day), time.fromisoformat(visit.departure), self._zone)


def _without(week: Week, declined: set[tuple[str, str]]) -> Week:
    """The week as earlier "can't go" answers left it: those volunteers are no longer free in those slots."""

    def amended(volunteer: Volunteer) -> Volunteer:
        gone = {slot for who, slot in declined if who == volunteer.id}
        return dataclasses.replace(volunteer, slot_ids=volunteer.slot_ids - gone) if gone else volunteer

    return dataclasses.replace(week, volunteers=tuple(amended(v) for v in week.volunteers))


def _outings(visits: Iterable[VisitRecord]) -> list[list[VisitRecord]]:
    """Visits grouped by pair and slot, in walking order (the repository returns them sorted)."""
    groups: dict[tuple[int, str, int, int], list[VisitRecord]] = {}
    for visit in visits:
        groups.setdefault(visit.outing_key, []).append(visit)
    return list(groups.values())


def visit_rows(outing: RoutedOuting, first_position: int = 1, replaces: dict[int, int] | None = None) -> list[NewVisit]:
    return [
        NewVisit(
            stop.person_id,
            outing.slot_id,
            outing.day,
            outing.pair,
            first_position + index,
            stop.arrival,
            stop.departure,
            stop.walk_min,
            (outing.meet.lat, outing.meet.lon),
            outing.meet_host,
            (replaces or {}).get(stop.person_id),
        )
        for index, stop in enumerate(outing.stops)
    ]
