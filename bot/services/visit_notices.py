"""What the pairs, their partners, the coordinators and the professionals are told about visits: pure functions
from what is stored to the notices, each value typed (a day, a time of day, catalogue messages).

A volunteer is shown, of a person's file, the first name, the address, the access notes and the time to ring
(`StopRecord` holds nothing else). Every notice has the dedup key of its event, so composing it again (a
replay, a restart) queues nothing twice.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.actions.open_calls import CallForDeclined
from bot.domain.actions.visits import REPORTED_OUTCOMES, AskDeclineVisit, ConfirmVisit, ReportOutcome
from bot.domain.callbacks import Button
from bot.domain.places import Point
from bot.domain.visits import Outcome
from bot.notices import CalendarEvent, Lines, Listing, Message, Notice, Pin, Priority, Value
from bot.services.notifications import Outgoing
from bot.services.outings import first_name, osm_walk
from bot.storage.visits import NewVisit, StopRecord, VisitRecord


@dataclass(frozen=True, slots=True)
class OutingFacts:
    """An outing as its pair is told it: the visits in walking order, the stops, when it starts and ends."""

    visits: Sequence[VisitRecord]
    stops: Sequence[StopRecord]
    start: datetime
    end: datetime
    host_street: str | None = None
    """The street of the member whose home is the meeting point (the only part of a volunteer's address the
    bot knows), when there is one."""


@dataclass(frozen=True, slots=True)
class Handover:
    """What became of the visits of an outing someone left: who took each over, or why nobody could."""

    leaving: int
    visits: Sequence[VisitRecord]
    start: datetime
    taken_by: Mapping[int, NewVisit]  # visit id -> the visit replacing it (another pair, maybe another day)
    reasons: Mapping[int, str]  # visit id -> why nobody could (a catalogue key)


def outing_notices(outing: OutingFacts, names: Mapping[int, str], hub_name: str) -> list[Outgoing]:
    """To each member: the partner, where and when to meet, the stops; a pin per stop with the walk to it;
    the calendar file; Confirm and Can't go."""
    first = outing.visits[0]
    meet = Point(first.meet_lat, first.meet_lon)
    points = [Point(stop.lat, stop.lon) for stop in outing.stops]
    ids = "-".join(str(v.id) for v in outing.visits)
    stops = Lines(tuple(line for stop in outing.stops for line in _stop_lines(stop)))
    sent: list[Outgoing] = []
    for member in first.pair:
        partner = names.get(first.partner_of(member), "?")
        params: dict[str, Value] = {
            "partner": partner,
            "day": first.day,
            "start": outing.start.time(),
            "end": outing.end.time(),
            "stops": stops,
            "meeting": _meeting(first.meet_host, member, partner, hub_name, outing.host_street),
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
        sent.append(Outgoing(member, Notice("visit.outing", params, buttons), f"{key}:text"))
        previous = meet
        for index, (stop, point) in enumerate(zip(outing.stops, points, strict=True)):
            walk = ((Button.link("visit.walk_here_button", osm_walk(previous, point)),),)
            sent.append(Outgoing(member, Notice("", {}, walk, pin=Pin(stop.lat, stop.lon)), f"{key}:pin{index}"))
            previous = point
        calendar = CalendarEvent(
            f"visit-{ids}-{member}@lien",
            outing.start.astimezone(UTC),
            outing.end.astimezone(UTC),
            "visit.calendar_summary",
            "visit.calendar_description",
            meet.lat,
            meet.lon,
        )
        sent.append(Outgoing(member, Notice("visit.calendar_caption", params, calendar=calendar), f"{key}:ics"))
    return sent


def _stop_lines(stop: StopRecord) -> list[Message]:
    shown: dict[str, Value] = {
        "position": stop.position,
        "arrival": stop.arrival,
        "name": first_name(stop.name),
        "address": stop.address,
    }
    lines = [Message("visit.stop_line", shown)]
    if stop.address_as is not None:
        lines.append(Message(f"visit.stop_called.{stop.address_as.value}"))
    if stop.access_notes:
        lines.append(Message("visit.stop_access", {"notes": stop.access_notes}))
    return lines


def _meeting(host: int | None, member: int, partner: str, hub_name: str, host_street: str | None) -> Message:
    if host is None:
        return Message("visit.meet_hub", {"hub": hub_name or "-"})
    if host == member:
        return Message("visit.meet_your_home")
    if host_street:
        return Message("visit.meet_partner_street", {"partner": partner, "street": host_street})
    return Message("visit.meet_partner_home", {"partner": partner})


def handover_notices(
    handover: Handover,
    names: Mapping[int, str],
    persons: Mapping[int, str],
    coordinators: Collection[int],
) -> list[Outgoing]:
    """The coordinators hear who left the outing and what became of each visit (a 📣 button launches an open
    call for one nobody took); the partner hears the volunteer will not come."""
    first = handover.visits[0]
    lines: list[Message] = []
    calls: list[tuple[Button, ...]] = []
    for visit in handover.visits:
        name = persons.get(visit.person_id, "?")
        taken = handover.taken_by.get(visit.id)
        if taken is not None:
            pair = f"{names.get(taken.pair[0], '?')} & {names.get(taken.pair[1], '?')}"
            # The repair may move the visit to another half-day: the coordinator hears when it now is.
            when_now: dict[str, Value] = {"day": taken.day, "arrival": taken.arrival}
            lines.append(Message("visit.decline_line_taken", {"name": name, "pair": pair, **when_now}))
        else:
            reason = handover.reasons.get(visit.id, "plan.reason.volunteers_busy")
            lines.append(Message("visit.decline_line_open", {"name": name, "reason": Message(reason)}))
            # One press asks the volunteers free in that slot (bot/services/open_calls.py).
            calls.append((Button.labelled(f"📣 {name}", CallForDeclined(visit.id)),))
    if calls:
        lines.append(Message("visit.decline_open_call_hint"))
    who = names.get(handover.leaving, "?")
    when: dict[str, Value] = {"day": first.day, "start": handover.start.time()}
    event = f"visit.declined:{first.id}:{handover.leaving}"
    told = [
        Outgoing(
            coordinator,
            Notice(
                "visit.declined_coordinator", {"volunteer": who, **when, "visits": Lines(tuple(lines))}, tuple(calls)
            ),
            f"{event}:{coordinator}",
        )
        for coordinator in sorted(coordinators)
    ]
    partner = first.partner_of(handover.leaving)
    told.append(Outgoing(partner, Notice("visit.declined_partner", {"partner": who, **when}), f"{event}:{partner}"))
    return told


def reminder_notices(kind: str, outing: OutingFacts, names: Mapping[int, str]) -> list[Outgoing]:
    """The day before ("day") or an hour before ("hour"): when, with whom, whom they will see."""
    first = outing.visits[0]
    seeing = ", ".join(first_name(stop.name) for stop in outing.stops)
    key = "visit.remind_day" if kind == "day" else "visit.remind_hour"
    return [
        Outgoing(
            member,
            Notice(
                key,
                {
                    "partner": names.get(first.partner_of(member), "?"),
                    "day": first.day,
                    "start": outing.start.time(),
                    "names": seeing,
                },
            ),
            f"visit.remind:{kind}:{first.day.isoformat()}:{first.slot_id}:{member}",
        )
        for member in first.pair
    ]


def after_visit_notices(visit: VisitRecord, person: str) -> list[Outgoing]:
    """The question after the visit, to both members: the first to answer reports for the pair."""
    params: dict[str, Value] = {"name": person, "day": visit.day, "arrival": visit.arrival}
    buttons = tuple(
        (Button(f"visit.outcome.{outcome.value}", ReportOutcome(visit.id, outcome)),) for outcome in REPORTED_OUTCOMES
    )
    return [
        Outgoing(member, Notice("visit.after_question", params, buttons), f"visit.ask:{visit.id}:{member}")
        for member in visit.pair
    ]


@dataclass(frozen=True, slots=True)
class Worry:
    """A visit a volunteer found worrying, with what the professionals need to act."""

    visit: VisitRecord
    name: str  # the person's full name: the recipients are professionals and coordinators
    address: str
    volunteer: str
    mood: int | None
    needs: Sequence[str]
    note: str | None


def worry_notices(worry: Worry, recipients: Sequence[int]) -> list[Outgoing]:
    needs = tuple(Message(f"sign.need_{need}") for need in worry.needs) or (Message("visit.needs_none"),)
    params: dict[str, Value] = {
        "name": worry.name,
        "address": worry.address,
        "day": worry.visit.day,
        "volunteer": worry.volunteer,
        "mood": Message(f"visit.mood.{worry.mood}" if worry.mood else "visit.mood.unknown"),
        "needs": Listing(needs),
        "note": worry.note or "-",
    }
    return [
        Outgoing(recipient, Notice("visit.worry", params), f"visit.worry:{worry.visit.id}:{recipient}", Priority.URGENT)
        for recipient in dict.fromkeys(recipients)
    ]


def in_a_row_notices(visit: VisitRecord, outcome: Outcome, name: str, coordinators: Collection[int]) -> list[Outgoing]:
    """Two visits in a row with nobody home, or without news: the coordinators check on the person."""
    key = "visit.alert_nobody_home" if outcome is Outcome.NOBODY_HOME else "visit.alert_unanswered"
    params: dict[str, Value] = {"name": name, "day": visit.day}
    return [
        Outgoing(coordinator, Notice(key, params), f"visit.alert:{visit.id}:{coordinator}")
        for coordinator in sorted(coordinators)
    ]
