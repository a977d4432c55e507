"""The choice among options as a 0-1 linear program, in one place for its two readers: CP-SAT solves it
(`cpsat_part`), GLOP solves its linear relaxation for a bound on the week (`bound`).

One variable per option (a pair in a slot making new visits). A volunteer takes part in at most one new
pair-slot per slot, and a pair-slot already in the ledger takes at most one option: this is what links the
two members, and it makes each pair-slot's walk that of the one option taken, priced exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.matching.candidates import Option
from bot.matching.context import WeekContext
from bot.matching.ledger import Ledger
from bot.matching.plan import Pair

Terms = list[tuple[int, int]]
"""(coefficient, option index)"""


@dataclass(frozen=True)
class OptionProgram:
    coefficients: list[int]
    """Change of `costs.objective` if the option is taken, apart from the two terms below."""
    at_most_one: list[list[int]]
    at_most: list[tuple[Terms, int]]
    first_outings: list[list[int]]
    """Options of new pair-slots of one pair that is not out yet this week nor recently: taking more than
    one repeats the pair (`costs.repeats`)."""
    loads: dict[str, Terms]
    """Visits each volunteer would make, for the fair-load term (`costs.overload`)."""


def option_program(ctx: WeekContext, ledger: Ledger, options: Sequence[Option]) -> OptionProgram:
    w = ctx.weights
    coefficients = []
    by_person: dict[str, list[int]] = defaultdict(list)
    by_person_slot: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_place: dict[tuple[str, str] | tuple[str, Pair], list[int]] = defaultdict(list)
    """(volunteer, slot) for new pair-slots, (slot, pair) for planned ones."""
    first_by_pair: dict[Pair, list[int]] = defaultdict(list)
    loads: dict[str, Terms] = defaultdict(list)
    for i, option in enumerate(options):
        coefficient = option.cost - w.uncovered_visit * len(option.person_ids)
        for person_id in option.person_ids:
            by_person[person_id].append(i)
            by_person_slot[(person_id, option.slot_id)].append(i)
        for member in option.pair:
            loads[member].append((len(option.person_ids), i))
        if option.key in ledger.visits:
            by_place[option.key].append(i)
        else:
            for member in option.pair:
                by_place[(member, option.slot_id)].append(i)
            if option.pair in ctx.recent_pairs or ledger.pair_uses[option.pair] > 0:
                coefficient += w.repeated_pair
            else:
                first_by_pair[option.pair].append(i)
        coefficients.append(coefficient)
    at_most = [
        ([(1, i) for i in offered], ledger.remaining(p))
        for p, offered in by_person.items()
        if len(offered) > ledger.remaining(p)
    ] + [(terms, ledger.room(v)) for v, terms in loads.items() if sum(n for n, _ in terms) > ledger.room(v)]
    # A person due one more visit at most has it in one slot anyway: their own row says so already.
    per_slot = [g for (p, _), g in by_person_slot.items() if ledger.remaining(p) > 1]
    groups = [g for g in (*per_slot, *by_place.values()) if len(g) > 1]
    return OptionProgram(coefficients, groups, at_most, [g for g in first_by_pair.values() if len(g) > 1], dict(loads))
