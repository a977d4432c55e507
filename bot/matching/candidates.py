"""What the model may choose from: options, each a pair in a slot making one to three new visits.

Offering every pair of every slot to every person would give the M week 2.4 million variables. Pairs are
formed only among the volunteers living nearest the person in each slot (plus those the person already
knows; a volunteer whose home is unknown is near no one, and is planned by the greedy passes), and each
person keeps the cheapest single visits by the objective's own terms, and may join the pair-slots visiting
their nearest neighbours. Persons living close together may also be visited in one go, by a pair all of
them were offered alone: offering these groups whole lets the model price the walk between them exactly
(`walking_metric`), where a per-visit cost could not. Pruning can cost quality but never coverage: the
planner starts from a full greedy plan that stays on offer, and ends with an exhaustive greedy pass.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import astuple, dataclass

from bot.matching.context import WeekContext
from bot.matching.costs import visit_cost, walking_cost
from bot.matching.ledger import Ledger, OutingKey
from bot.matching.plan import Pair, pair_of
from bot.matching.spatial import NearestIndex

MAX_GROUP = 3
"""Persons offered together; a fourth visit fits a three-hour slot only with no walk at all."""


@dataclass(frozen=True, slots=True)
class Option:
    slot_id: str
    pair: Pair
    person_ids: tuple[str, ...]
    cost: int
    """Change of the visit and walking terms of the objective if taken."""

    @property
    def key(self) -> OutingKey:
        return (self.slot_id, self.pair)


def make_option(ctx: WeekContext, ledger: Ledger, slot_id: str, pair: Pair, person_ids: tuple[str, ...]) -> Option:
    """The option of adding these visits to the pair-slot, new or already planned, with its cost."""
    planned = ledger.visits.get((slot_id, pair), [])
    walking = walking_cost(ctx, pair, [*planned, *person_ids]) - walking_cost(ctx, pair, planned)
    return Option(slot_id, pair, person_ids, walking + sum(visit_cost(ctx, slot_id, pair, p) for p in person_ids))


@dataclass(frozen=True, slots=True)
class Breadth:
    nearest: int
    """Volunteers considered in each slot, nearest homes first."""
    per_slot: int
    """Single visits kept in each slot."""
    total: int
    """Single visits kept for the person."""
    neighbours: int
    """Nearest persons with whom a person may be offered as a group."""
    per_group: int
    """Options kept for a group."""

    def widened(self, other: Breadth) -> Breadth:
        return Breadth(*(max(a, b) for a, b in zip(astuple(self), astuple(other), strict=True)))


def breadth_for(ctx: WeekContext) -> Breadth:
    """Every option for a small week, so that its plans are optimal for the model (the tests check them
    against brute force); `NARROW` beyond."""
    combinations = len(ctx.persons) * sum(len(f) * (len(f) - 1) // 2 for f in ctx.free_at.values())
    if combinations > EVERYTHING_UP_TO:
        return NARROW
    n = max(1, combinations)
    return Breadth(nearest=len(ctx.volunteers), per_slot=n, total=n, neighbours=len(ctx.persons), per_group=n)


EVERYTHING_UP_TO = 5_000
"""(person, slot, pair) combinations."""
NARROW = Breadth(nearest=6, per_slot=2, total=8, neighbours=4, per_group=1)
"""Measured on the M week: smaller models solve faster, and more passes beat more options per pass."""
WIDE = Breadth(nearest=16, per_slot=12, total=60, neighbours=4, per_group=6)


class OptionFinder:
    def __init__(self, ctx: WeekContext) -> None:
        self._ctx = ctx
        self._index: dict[str, NearestIndex] = {}
        for slot_id, free in ctx.free_at.items():
            homes = [(v, ctx.volunteers[v].home) for v in free]
            self._index[slot_id] = NearestIndex(ctx.projection, [(v, h) for v, h in homes if h is not None])
        self._pairs: dict[tuple[str, str, int], list[tuple[int, int, Pair]]] = {}
        self._persons = NearestIndex(ctx.projection, [(p.id, p.location) for p in ctx.week.persons])
        self._close: dict[tuple[str, int], list[str]] = {}

    def prepare(self, person_ids: Sequence[str], breadth: Breadth) -> None:
        """Fill the caches, so that the time of a search pass measures a pass, not this."""
        for person_id in person_ids:
            self.close_to(person_id, 2 * breadth.neighbours)
            for slot_id in self._ctx.slot_order:
                self._pairs_near(person_id, slot_id, breadth.nearest)

    def options(self, ledger: Ledger, person_ids: Sequence[str], breadth: Breadth) -> list[Option]:
        singles = {p: self.singles(ledger, p, breadth) for p in person_ids}
        return [o for found in singles.values() for o in found] + self._groups(ledger, singles, breadth)

    def singles(self, ledger: Ledger, person_id: str, breadth: Breadth) -> list[Option]:
        """The person's cheapest single visits, cheapest first (counting repeats of pairs)."""
        ctx = self._ctx
        ranked: list[tuple[int, int, Pair, Option]] = []
        if ledger.remaining(person_id) <= 0:
            return []
        # Joining a planned pair-slot: those visiting the nearest persons, whose walk it lengthens least.
        joinable: dict[str, set[Pair]] = {}
        for other in self.close_to(person_id, breadth.neighbours):
            for slot_id in ledger.slots_of_person[other]:
                joinable.setdefault(slot_id, set()).add(ledger.visited_by[(other, slot_id)])
        for slot_rank, slot_id in enumerate(ctx.slot_order):
            if slot_id in ledger.slots_of_person[person_id]:
                continue
            pairs = self._pairs_near(person_id, slot_id, breadth.nearest)
            in_slot: list[tuple[int, int, Pair, Option]] = []
            for pair in sorted(joinable.get(slot_id, ())):
                if ledger.can_join(slot_id, pair, person_id):
                    option = make_option(ctx, ledger, slot_id, pair, (person_id,))
                    in_slot.append((option.cost, slot_rank, pair, option))
            busy = ledger.outing_of
            for rank, cost, pair in pairs:
                if len(in_slot) >= 2 * breadth.per_slot:
                    break
                # What `Ledger.can_join` would check that can change since the pairs were listed (they
                # are free, allowed and in reach): both still free in the slot, both with room.
                a, b = pair
                if (a, slot_id) not in busy and (b, slot_id) not in busy and ledger.room(a) > 0 < ledger.room(b):
                    again = ledger.pair_uses[pair] > 0 and pair not in ctx.recent_pairs
                    rank += ctx.weights.repeated_pair if again else 0
                    in_slot.append((rank, slot_rank, pair, Option(slot_id, pair, (person_id,), cost)))
            in_slot.sort()
            ranked.extend(in_slot[: breadth.per_slot])
        ranked.sort()
        return [option for *_, option in ranked[: breadth.total]]

    def close_to(self, person_id: str, k: int) -> list[str]:
        """The k persons living nearest this one, nearest first (cached)."""
        if (person_id, k) not in self._close:
            found = self._persons.nearest(self._ctx.persons[person_id].location, k + 1)
            self._close[(person_id, k)] = [p for p in found if p != person_id][:k]
        return self._close[(person_id, k)]

    def _pairs_near(self, person_id: str, slot_id: str, nearest: int) -> list[tuple[int, int, Pair]]:
        """The pairs the volunteers near the person in that slot could form, cheapest first as (rank, cost,
        pair), the rank counting a repeat of the recent weeks. Cached: unlike the plan, these do not
        change, and the planner asks again at every pass."""
        key = (person_id, slot_id, nearest)
        if key not in self._pairs:
            ctx = self._ctx
            location = ctx.persons[person_id].location
            refused = {v for v, s, p in ctx.week.declined if s == slot_id and p == person_id}
            if nearest >= len(ctx.free_at[slot_id]):
                near = list(ctx.free_at[slot_id])
            else:
                near = self._index[slot_id].nearest(location, nearest + len(refused))
            known = [v for v in sorted(ctx.known[person_id]) if slot_id in ctx.usable[v]]
            group = [v for v in dict.fromkeys(near + known) if v not in refused]
            # A single visit's walk is the walk from the nearer home (`walking_metric`), computed here
            # from the members' distances for speed: this runs for every person, slot and pair.
            minutes = {v: ctx.from_home(v, location) for v in group}
            limit = ctx.walk_limit
            pairs = []
            for a, b in itertools.combinations(group, 2):
                legs = [m for m in (minutes[a], minutes[b]) if m is not None]
                walk = min(legs, default=ctx.parameters.max_walk_minutes / 2)
                if walk <= limit and ctx.may_pair(a, b):
                    pair = pair_of(a, b)
                    cost = visit_cost(ctx, slot_id, pair, person_id) + round(ctx.weights.walking_minute * walk)
                    repeat = ctx.weights.repeated_pair if pair in ctx.recent_pairs else 0
                    pairs.append((cost + repeat, cost, pair))
            self._pairs[key] = sorted(pairs)
        return self._pairs[key]

    def _groups(self, ledger: Ledger, singles: dict[str, list[Option]], breadth: Breadth) -> list[Option]:
        """Two or three persons living close together, with the new pair-slots all of them were offered."""
        ctx = self._ctx
        offered = {p: {o.key: o.cost for o in found if o.key not in ledger.visits} for p, found in singles.items()}
        groups: set[tuple[str, ...]] = set()
        for person_id in singles:
            # The nearest within the part, found among the nearest overall.
            close = [q for q in self.close_to(person_id, 2 * breadth.neighbours) if q in singles]
            close = close[: breadth.neighbours]
            for size in range(1, MAX_GROUP):
                groups.update(tuple(sorted((person_id, *others))) for others in itertools.combinations(close, size))
        found: list[Option] = []
        for group in sorted(groups):
            points = [ctx.persons[p].location for p in group]
            shared = set.intersection(*(set(offered[p]) for p in group))
            # Ranked by the members' single visits: the group's own cost needs its route.
            kept = 0
            for _, (slot_id, pair) in sorted((sum(offered[p][key] for p in group), key) for key in shared):
                if kept == breadth.per_group:
                    break
                if min(ledger.room(m) for m in pair) >= len(group) and ctx.fits(slot_id, points):
                    found.append(make_option(ctx, ledger, slot_id, pair, group))
                    kept += 1
        return found
