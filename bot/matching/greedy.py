"""The baseline: what a coordinator does by hand, one person at a time, nearest volunteers first.

For each person in turn: the volunteers by distance from their home; for the nearest one, their free slots
(the person's preferred ones first); in that slot, join the pair they are already out with if the visit
fits, else bring the nearest partner who is free then and may go with them. It obeys every hard rule, so
its plans are valid and comparable with ours; what it lacks is foresight: no rotation, no continuity, no
thought for the persons after this one.

`insert_nearest_first` is also the planner's last pass, because it is exhaustive: if any pair can still
make the visit, it finds one. A pair in reach has a member living within the walking limit or no member with
a known home; the loop stops only at the first volunteer with a home beyond the limit, and every pair with
a nearer member was tried from that member.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from bot.matching.candidates import Option, make_option
from bot.matching.context import WeekContext
from bot.matching.ledger import Ledger
from bot.matching.outcome import make_plan
from bot.matching.plan import Pair, Plan, pair_of
from bot.matching.week import Kind, Week


def greedy_plan(week: Week) -> Plan:
    started = time.perf_counter()
    ctx = WeekContext(week)
    ledger = Ledger(ctx)
    fill(ctx, ledger, [p.id for p in week.persons])
    return make_plan(ctx, ledger, "GREEDY", None, started)


def fill(ctx: WeekContext, ledger: Ledger, person_ids: Sequence[str]) -> None:
    """Each person in turn, nearest first, until no pair can make any more of these visits."""
    for person_id in person_ids:
        while ledger.remaining(person_id) > 0 and insert_nearest_first(ctx, ledger, person_id):
            pass


def greedy_options(ctx: WeekContext, ledger: Ledger, person_ids: Sequence[str]) -> list[Option]:
    """What the greedy pass would add for these persons, as options that can all be taken together."""
    draft = ledger.copy()
    fill(ctx, draft, person_ids)
    options = []
    for (slot_id, pair), person_ids_now in draft.visits.items():
        added = tuple(person_ids_now[len(ledger.visits.get((slot_id, pair), [])) :])
        if added:
            options.append(make_option(ctx, ledger, slot_id, pair, added))
    return options


def insert_nearest_first(
    ctx: WeekContext, ledger: Ledger, person_id: str, new_pair_allowed: Callable[[Pair], bool] | None = None
) -> bool:
    """Give the person one more visit if any pair can make it; tells whether it did. With
    `new_pair_allowed`, only the pairs it allows may be formed (and the search is no longer exhaustive)."""
    person = ctx.persons[person_id]
    limit = ctx.walk_limit
    ranked = ctx.by_distance(person.location)
    preferred = person.preferred_slot_ids
    slots = [s for s in ctx.slot_order if s in preferred] + [s for s in ctx.slot_order if s not in preferred]
    slots = [s for s in slots if s not in ledger.slots_of_person[person_id]]
    partners: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for minutes, first in ranked:
        if minutes > limit and ctx.volunteers[first].home is not None:
            return False
        if ledger.room(first) <= 0:
            continue
        for slot_id in slots:
            if slot_id not in ctx.usable[first] or ctx.declined(first, slot_id, person_id):
                continue
            current = ledger.outing_of.get((first, slot_id))
            if current is not None:
                if ledger.can_join(slot_id, current, person_id):
                    ledger.add(slot_id, current, person_id)
                    return True
                continue
            need = _partner_need(ctx, first)
            if (slot_id, need) not in partners:
                partners[(slot_id, need)] = [
                    (m, v)
                    for m, v in ranked
                    if slot_id in ctx.usable[v]
                    and ledger.room(v) > 0
                    and not ctx.declined(v, slot_id, person_id)
                    and (v, slot_id) not in ledger.outing_of
                    and _meets(ctx, v, need)
                ]
            for partner_minutes, second in partners[(slot_id, need)]:
                if partner_minutes > limit and ctx.volunteers[first].home is None:
                    break  # with no home to meet at, the partner's home is the meeting point
                pair = pair_of(first, second)
                if new_pair_allowed is not None and not new_pair_allowed(pair):
                    continue
                if second != first and ledger.can_join(slot_id, pair, person_id):
                    ledger.add(slot_id, pair, person_id)
                    return True
    return False


def _partner_need(ctx: WeekContext, volunteer_id: str) -> str:
    volunteer = ctx.volunteers[volunteer_id]
    if volunteer.kind is Kind.SERVICE_CIVIQUE:
        return "experienced"
    return "any" if volunteer.experienced else "not service civique"


def _meets(ctx: WeekContext, volunteer_id: str, need: str) -> bool:
    volunteer = ctx.volunteers[volunteer_id]
    if need == "experienced":
        return volunteer.experienced and volunteer.kind is not Kind.SERVICE_CIVIQUE
    return need == "any" or volunteer.kind is not Kind.SERVICE_CIVIQUE
