"""A coordinator's edits of a draft week: another volunteer in a pair, a visit moved to another outing or to
a new pair in another slot.

Only what the ledger accepts is offered, so an edited draft keeps every hard rule of planning: both members
free that slot and not absent, nobody in two pairs in one slot, capacity, a service civique member only
beside an experienced partner, nobody visited twice in one slot, and the outing still fitting its slot with
walking. A draft the stored week no longer allows (a volunteer paused, an absence added since) raises
`StaleDraft`: it is to be planned again, not edited.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from bot.matching.context import WeekContext
from bot.matching.ledger import Ledger
from bot.matching.plan import Outing, Pair, pair_of
from bot.matching.week import Week


class StaleDraft(ValueError):
    """The draft breaks a hard rule under the week as stored now."""


class DraftEdits:
    """The edits one draft allows, under the week as stored now."""

    def __init__(self, week: Week, outings: Sequence[Outing]) -> None:
        self.ctx = WeekContext(week)
        self.outings = tuple(outings)
        self._ledger(None)  # the whole draft, checked once: a stale one raises here

    def replacements(self, edited: Outing, leaving: str) -> list[str]:
        """Volunteers who may take `leaving`'s place in `edited`, all its visits kept: nearest to its first
        visit first."""
        base = self._ledger(edited)
        staying = edited.pair[1] if edited.pair[0] == leaving else edited.pair[0]
        first = self.ctx.persons[edited.person_ids[0]].location
        return [
            volunteer
            for _, volunteer in self.ctx.by_distance(first)
            if volunteer not in edited.pair
            and _takes(base.copy(), edited.slot_id, pair_of(staying, volunteer), edited.person_ids)
        ]

    def outings_taking(self, source: Outing, person_id: str) -> list[Outing]:
        """The other outings of the draft that can take the visit to `person_id` out of `source`."""
        ledger = self._without_visit(source, person_id)
        return [
            outing
            for outing in self.outings
            if _key(outing) != _key(source) and ledger.can_join(outing.slot_id, outing.pair, person_id)
        ]

    def new_pairs_taking(self, source: Outing, person_id: str, slot_id: str) -> list[Pair]:
        """Pairs not out in `slot_id` who could make the visit there instead, the nearer first."""
        if slot_id not in self.ctx.slots:
            return []
        return self._new_pairs(self._without_visit(source, person_id), source, person_id, slot_id)

    def slots_for_new_pairs(self, source: Outing, person_id: str) -> list[str]:
        """Slots, in the week's order, where some pair not out yet could make the visit."""
        ledger = self._without_visit(source, person_id)
        return [slot for slot in self.ctx.slot_order if self._new_pairs(ledger, source, person_id, slot)]

    def _new_pairs(self, ledger: Ledger, source: Outing, person_id: str, slot_id: str) -> list[Pair]:
        """The source pair in its own slot is left out: when the visit was its only one, "moving" it there
        would change nothing."""
        location = self.ctx.persons[person_id].location
        free = [v for v in self.ctx.free_at[slot_id] if (v, slot_id) not in ledger.outing_of]
        pairs = [
            pair
            for pair in (pair_of(a, b) for a, b in itertools.combinations(free, 2))
            if (slot_id, pair) != _key(source) and ledger.can_join(slot_id, pair, person_id)
        ]
        return sorted(pairs, key=lambda pair: (self.ctx.approach(pair, location), pair))

    def _without_visit(self, source: Outing, person_id: str) -> Ledger:
        if person_id not in source.person_ids or person_id not in self.ctx.persons:
            raise StaleDraft(f"{person_id} is not visited in that outing, or no longer due a visit")
        return self._ledger(source, [p for p in source.person_ids if p != person_id])

    def _ledger(self, leaving_out: Outing | None, keeping: Sequence[str] = ()) -> Ledger:
        """The draft without `leaving_out`, but for its visits to `keeping`."""
        ledger = Ledger(self.ctx)
        try:
            for outing in self.outings:
                edited = leaving_out is not None and _key(outing) == _key(leaving_out)
                for person_id in outing.person_ids:
                    if not edited or person_id in keeping:
                        ledger.add(outing.slot_id, outing.pair, person_id)
        except (ValueError, KeyError) as exc:
            raise StaleDraft(str(exc)) from exc
        return ledger


def _key(outing: Outing) -> tuple[str, Pair]:
    return outing.slot_id, outing.pair


def _takes(ledger: Ledger, slot_id: str, pair: Pair, person_ids: Sequence[str]) -> bool:
    """Whether the pair can make all these visits in the slot, given the ledger (which it fills)."""
    for person_id in person_ids:
        if not ledger.can_join(slot_id, pair, person_id):
            return False
        ledger.add(slot_id, pair, person_id)
    return True
