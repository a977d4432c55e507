"""A plan under construction: who is out with whom in each slot, whom they visit, who has room left.

Every planner (CP-SAT, greedy, repair) writes through `add`, which refuses anything the hard rules forbid.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bot.matching.context import WeekContext
from bot.matching.plan import Outing, Pair
from bot.matching.walking_metric import route

OutingKey = tuple[str, Pair]
"""(slot id, pair)"""


class Ledger:
    def __init__(self, ctx: WeekContext) -> None:
        self.ctx = ctx
        self.visits: dict[OutingKey, list[str]] = {}
        self.outing_of: dict[tuple[str, str], Pair] = {}
        """(volunteer id, slot id) -> the pair the volunteer is out with."""
        self.load: Counter[str] = Counter()
        self.slots_of_person: dict[str, set[str]] = {p: set() for p in ctx.persons}
        self.visited_by: dict[tuple[str, str], Pair] = {}
        """(person id, slot id) -> the pair visiting them then."""
        self.pair_uses: Counter[Pair] = Counter()

    def copy(self) -> Ledger:
        twin = Ledger(self.ctx)
        twin.visits = {key: list(persons) for key, persons in self.visits.items()}
        twin.outing_of = dict(self.outing_of)
        twin.load = Counter(self.load)
        twin.slots_of_person = {p: set(slots) for p, slots in self.slots_of_person.items()}
        twin.visited_by = dict(self.visited_by)
        twin.pair_uses = Counter(self.pair_uses)
        return twin

    def remaining(self, person_id: str) -> int:
        return self.ctx.persons[person_id].visits_due - len(self.slots_of_person[person_id])

    def room(self, volunteer_id: str) -> int:
        return self.ctx.volunteers[volunteer_id].capacity - self.load[volunteer_id]

    def can_join(self, slot_id: str, pair: Pair, person_id: str) -> bool:
        """Whether the pair may visit the person in that slot, given everything already planned."""
        ctx = self.ctx
        if self.remaining(person_id) <= 0 or slot_id in self.slots_of_person[person_id]:
            return False
        for member in pair:
            if ctx.declined(member, slot_id, person_id) or slot_id not in ctx.usable[member] or self.room(member) <= 0:
                return False
        location = ctx.persons[person_id].location
        current = self.visits.get((slot_id, pair))
        if current is None:
            return (
                ctx.may_pair(*pair)
                and all((m, slot_id) not in self.outing_of for m in pair)
                and ctx.reachable(pair, location)
            )
        points = [ctx.persons[p].location for p in current] + [location]
        return ctx.reachable(pair, location) and ctx.fits(slot_id, points)

    def add(self, slot_id: str, pair: Pair, person_id: str) -> None:
        if not self.can_join(slot_id, pair, person_id):
            raise ValueError(f"{pair} cannot visit {person_id} in slot {slot_id}")
        key = (slot_id, pair)
        if key not in self.visits:
            self.visits[key] = []
            self.pair_uses[pair] += 1
            for member in pair:
                self.outing_of[(member, slot_id)] = pair
        self.visits[key].append(person_id)
        self.load.update(pair)
        self.slots_of_person[person_id].add(slot_id)
        self.visited_by[(person_id, slot_id)] = pair

    def release(self, person_ids: Iterable[str]) -> list[tuple[OutingKey, tuple[str, ...]]]:
        """Take these persons' visits out of the plan; returns, per pair-slot, whom it visited among them."""
        wanted = set(person_ids)
        released = []
        for key, visited in list(self.visits.items()):
            taken = tuple(p for p in visited if p in wanted)
            if not taken:
                continue
            slot_id, pair = key
            for person_id in taken:
                self.slots_of_person[person_id].discard(slot_id)
                del self.visited_by[(person_id, slot_id)]
            for member in pair:
                self.load[member] -= len(taken)
            kept = [p for p in visited if p not in wanted]
            if kept:
                self.visits[key] = kept
            else:
                del self.visits[key]
                self.pair_uses[pair] -= 1
                for member in pair:
                    del self.outing_of[(member, slot_id)]
            released.append((key, taken))
        return released

    def outings(self) -> tuple[Outing, ...]:
        rank = {s: i for i, s in enumerate(self.ctx.slot_order)}
        result = []
        for (slot_id, pair), person_ids in sorted(self.visits.items(), key=lambda kv: (rank[kv[0][0]], kv[0][1])):
            points = [self.ctx.persons[p].location for p in person_ids]
            _, order = route(self.ctx, pair, points)
            result.append(Outing(slot_id, pair, tuple(person_ids[i] for i in order)))
        return tuple(result)
