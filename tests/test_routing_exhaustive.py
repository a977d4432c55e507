"""A pair's few doors routed by trying every order: never worse than the local search, always feasible."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.routing.check import violations
from bot.routing.exhaustive import MAX_NODES, applies, solve_exactly
from bot.routing.vrptw import Status, TimeWindow, VrptwProblem, solve


def cost(problem: VrptwProblem, travel: int, dropped: int) -> int:
    assert problem.drop_penalty is not None
    return travel + problem.drop_penalty * dropped


@st.composite
def pair_problems(draw: st.DrawFn) -> VrptwProblem:
    """A half-day as pair_route.py poses it: points on a plane, visits with a duration, perhaps a window,
    a walking budget, a slot that ends, an open route or one back to the meeting point."""
    n = draw(st.integers(1, MAX_NODES)) + 1
    points = [(draw(st.integers(0, 60)), draw(st.integers(0, 60))) for _ in range(n)]
    travel = [[abs(ax - bx) + abs(ay - by) for bx, by in points] for ax, ay in points]
    windows: list[TimeWindow | None] = [TimeWindow(0, draw(st.integers(60, 400)))]
    for _ in range(n - 1):
        if draw(st.booleans()):
            opens = draw(st.integers(0, 200))
            windows.append(TimeWindow(opens, opens + draw(st.integers(0, 120))))
        else:
            windows.append(None)
    budget = draw(st.integers(20, 200))
    return VrptwProblem(
        travel=travel,
        service=[0, *(draw(st.integers(0, 45)) for _ in range(n - 1))],
        windows=windows,
        return_to_depot=draw(st.booleans()),
        max_route_travel=budget,
        drop_penalty=budget + 1,
        time_limit_s=0.3,
    )


@settings(max_examples=30, deadline=None)
@given(pair_problems())
def test_trying_every_order_is_feasible_and_never_worse_than_the_local_search(problem: VrptwProblem) -> None:
    exact = solve_exactly(problem)
    searched = solve(problem)
    assert violations(problem, exact) == []
    assert cost(problem, exact.total_travel, len(exact.dropped)) <= cost(
        problem, searched.total_travel, len(searched.dropped)
    )


def test_the_shortest_order_is_found_where_the_nearest_door_first_walks_further() -> None:
    # On a line: the meeting point at 0, doors at 2, -3 and 8. Nearest first (2, -3, 8) walks 2 + 5 + 11 = 18;
    # the far side first (-3, 2, 8) walks 3 + 5 + 6 = 14.
    places = [0, 2, -3, 8]
    travel = [[abs(a - b) * 10 for b in places] for a in places]
    problem = VrptwProblem(travel=travel, return_to_depot=False, drop_penalty=1000)
    solution = solve_exactly(problem)
    assert solution.status is Status.COMPLETE
    (route,) = solution.routes
    assert route.nodes == (2, 1, 3)
    assert route.travel == 140
    every_order = min(
        sum(travel[a][b] for a, b in itertools.pairwise((0, *order))) for order in itertools.permutations((1, 2, 3))
    )
    assert route.travel == every_order


def test_a_window_decides_the_order_and_the_wait_shows_in_the_arrival() -> None:
    travel = [[0, 10, 10], [10, 0, 10], [10, 10, 0]]
    problem = VrptwProblem(
        travel=travel,
        service=[0, 5, 5],
        windows=[TimeWindow(0, 200), TimeWindow(100, 120), TimeWindow(0, 30)],
        return_to_depot=False,
        drop_penalty=1000,
    )
    (route,) = solve_exactly(problem).routes
    assert route.nodes == (2, 1)
    assert route.arrivals == (10, 100)
    assert route.end == 105


def test_a_door_beyond_the_walking_budget_is_left_out_and_the_others_served() -> None:
    travel = [[0, 10, 90], [10, 0, 80], [90, 80, 0]]
    problem = VrptwProblem(travel=travel, return_to_depot=False, max_route_travel=50, drop_penalty=51)
    solution = solve_exactly(problem)
    assert solution.dropped == (2,)
    assert solution.routes[0].nodes == (1,)


def test_what_is_not_a_pairs_half_day_goes_to_the_local_search() -> None:
    line = [[abs(i - j) for j in range(MAX_NODES + 2)] for i in range(MAX_NODES + 2)]
    assert not applies(VrptwProblem(travel=line))
    assert not applies(VrptwProblem(travel=[row[:3] for row in line[:3]], num_vehicles=2))
    assert applies(VrptwProblem(travel=[row[: MAX_NODES + 1] for row in line[: MAX_NODES + 1]]))
    with pytest.raises(ValueError, match="one vehicle"):
        solve_exactly(VrptwProblem(travel=line))
