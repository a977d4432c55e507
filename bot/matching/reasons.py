"""Why a due visit is left out, as a fact anyone can check against the week and the plan.

The pairs that could make the visit go through the filters of `Reason` in order (free, may pair, near
enough, room left); the reason is the filter after which none is left. If some pair survives all four, each
one is blocked in its slot, since the planners end with an exhaustive insertion pass.

Whether two volunteers may pair depends only on their kinds, so existence is decided by counting kinds
instead of enumerating pairs (the L week has 70,000 pairs in a slot).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from bot.matching.context import WeekContext
from bot.matching.ledger import Ledger
from bot.matching.plan import Reason
from bot.matching.week import Kind, Volunteer

_SERVICE_CIVIQUE, _EXPERIENCED, _OTHER = "service_civique", "experienced", "other"
_ALLOWED = {
    (_EXPERIENCED, _EXPERIENCED),
    (_EXPERIENCED, _OTHER),
    (_EXPERIENCED, _SERVICE_CIVIQUE),
    (_OTHER, _OTHER),
}


def reason(ctx: WeekContext, ledger: Ledger, person_id: str) -> Reason:
    location = ctx.persons[person_id].location
    limit = ctx.walk_limit

    def near(volunteer: Volunteer) -> bool:
        return volunteer.home is not None and ctx.walk(volunteer.home, location) <= limit

    free = [
        [ctx.volunteers[v] for v in ctx.free_at[s] if not ctx.declined(v, s, person_id)]
        for s in ctx.slot_order
        if s not in ledger.slots_of_person[person_id]
    ]
    if all(len(group) < 2 for group in free):
        return Reason.NO_VOLUNTEER_FREE
    if not any(_some_pair(group, group) for group in free):
        return Reason.NO_EXPERIENCED_PARTNER
    if not any(_some_pair_in_reach(group, near) for group in free):
        return Reason.TOO_FAR
    with_room = [[v for v in group if ledger.room(v.id) > 0] for group in free]
    if not any(_some_pair_in_reach(group, near) for group in with_room):
        return Reason.CAPACITY_EXHAUSTED
    return Reason.VOLUNTEERS_BUSY


def _kind(volunteer: Volunteer) -> str:
    if volunteer.kind is Kind.SERVICE_CIVIQUE:
        return _SERVICE_CIVIQUE
    return _EXPERIENCED if volunteer.experienced else _OTHER


def _some_pair(firsts: Sequence[Volunteer], group: Sequence[Volunteer]) -> bool:
    """Whether some volunteer of `firsts` (a subset of `group`) may pair with another one of `group`."""
    in_group = Counter(_kind(v) for v in group)
    for first in {_kind(v) for v in firsts}:
        for second, count in in_group.items():
            allowed = (first, second) in _ALLOWED or (second, first) in _ALLOWED
            if allowed and count > (first == second):
                return True
    return False


def _some_pair_in_reach(group: Sequence[Volunteer], near: Callable[[Volunteer], bool]) -> bool:
    """A pair is in reach if one member lives near enough, or neither has a known home (they meet there)."""
    homeless = [v for v in group if v.home is None]
    return _some_pair([v for v in group if near(v)], group) or _some_pair(homeless, homeless)
