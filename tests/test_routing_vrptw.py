"""The generic VRPTW solver, judged by the independent checker of bot.routing.check."""

from __future__ import annotations

import dataclasses

import pytest

from bench.routing_formats import DATA, load_instance
from bot.routing.check import violations
from bot.routing.search import SearchPlan
from bot.routing.vrptw import Route, Status, TimeWindow, VrptwProblem, VrptwSolution, solve

SECONDS = 1.5


@pytest.mark.parametrize("name", ["C101", "R101", "RC101"])
def test_every_solomon_customer_is_served_once_within_its_window_and_the_capacity(name: str) -> None:
    instance = load_instance(DATA / "solomon" / f"{name}.txt", 25, SECONDS)
    solution = solve(instance.problem)
    assert solution.status is Status.COMPLETE
    assert violations(instance.problem, solution) == []
    served = sorted(node for route in solution.routes for node in route.nodes)
    assert served == list(range(1, 26))


def test_guided_local_search_alone_also_gives_feasible_routes() -> None:
    instance = load_instance(DATA / "solomon" / "RC101.txt", 25, SECONDS)
    solution = solve(instance.problem, SearchPlan(ils_share=0))
    assert solution.status is Status.COMPLETE
    assert violations(instance.problem, solution) == []


def line(n: int, step: int = 10) -> list[list[int]]:
    """Nodes on a line, `step` apart: node 0 is the depot."""
    return [[abs(i - j) * step for j in range(n)] for i in range(n)]


def test_a_customer_nobody_can_reach_in_time_is_reported_instead_of_failing_the_solve() -> None:
    problem = VrptwProblem(
        travel=line(4),
        windows=[TimeWindow(0, 1000), None, None, TimeWindow(0, 5)],  # node 3 is 30 away
        time_limit_s=0.3,
    )
    solution = solve(problem)
    assert solution.status is Status.PARTIAL
    assert solution.dropped == (3,)
    assert [sorted(route.nodes) for route in solution.routes] == [[1, 2]]
    # Dropping was forced, not allowed: the checker says so.
    assert violations(problem, solution) == ["nodes [3] dropped although every node must be served"]


def test_a_drop_penalty_below_the_detour_leaves_the_far_customer_out() -> None:
    travel = line(3)
    travel[0][2] = travel[2][0] = travel[1][2] = travel[2][1] = 500
    problem = VrptwProblem(travel=travel, drop_penalty=100, time_limit_s=0.3)
    solution = solve(problem)
    assert solution.dropped == (2,)
    assert solution.total_travel == 20
    assert violations(problem, solution) == []


def test_capacity_and_route_travel_limits_split_the_customers_among_vehicles() -> None:
    problem = VrptwProblem(
        travel=line(5),
        demands=[0, 1, 1, 1, 1],
        capacities=[2, 2, 2],
        num_vehicles=3,
        max_route_travel=80,
        time_limit_s=0.3,
    )
    solution = solve(problem)
    assert solution.status is Status.COMPLETE
    assert violations(problem, solution) == []
    assert all(len(route.nodes) <= 2 and route.travel <= 80 for route in solution.routes)


def test_an_open_route_ends_with_the_last_service() -> None:
    problem = VrptwProblem(travel=line(4), service=[0, 5, 5, 5], return_to_depot=False, time_limit_s=0.3)
    solution = solve(problem)
    (route,) = solution.routes
    assert route.nodes == (1, 2, 3)
    assert route.travel == 30
    assert route.end == route.arrivals[-1] + 5 == 45
    assert violations(problem, solution) == []


def test_waiting_for_a_window_is_allowed_and_shows_in_the_arrival() -> None:
    problem = VrptwProblem(travel=line(2), windows=[TimeWindow(0, 100), TimeWindow(50, 60)], time_limit_s=0.3)
    (route,) = solve(problem).routes
    assert route.arrivals == (50,)


def test_a_malformed_problem_is_refused() -> None:
    with pytest.raises(ValueError, match="square"):
        VrptwProblem(travel=[[0, 1], [1]])
    with pytest.raises(ValueError, match="capacities"):
        VrptwProblem(travel=line(2), capacities=[1, 2], num_vehicles=1)


class TestTheChecker:
    """It must catch what a wrong model would produce, or its "ok" means nothing."""

    problem = VrptwProblem(
        travel=line(3),
        service=[0, 5, 5],
        windows=[TimeWindow(0, 100), TimeWindow(0, 20), TimeWindow(0, 100)],
        demands=[0, 3, 3],
        capacities=[5, 5],
        num_vehicles=2,
    )
    good = VrptwSolution(
        Status.COMPLETE,
        (Route(0, (1,), (10,), 0, 25, 20), Route(1, (2,), (20,), 0, 45, 40)),
        (),
        60,
    )

    def test_it_accepts_a_feasible_solution(self) -> None:
        assert violations(self.problem, self.good) == []

    def test_it_catches_a_window_missed(self) -> None:
        late = dataclasses.replace(self.good.routes[0], arrivals=(30,), end=45)
        found = violations(self.problem, dataclasses.replace(self.good, routes=(late, self.good.routes[1])))
        assert found == ["vehicle 0: starts node 1 at 30, outside TimeWindow(open=0, close=20)"]

    def test_it_catches_an_overloaded_vehicle_and_a_customer_left_out(self) -> None:
        both = Route(0, (1, 2), (10, 25), 0, 50, 40)
        found = violations(self.problem, dataclasses.replace(self.good, routes=(both,), total_travel=40))
        assert found == ["vehicle 0: load 6 above capacity 5"]
        alone = violations(self.problem, dataclasses.replace(self.good, routes=(self.good.routes[0],)))
        assert "node 2 is served or dropped 0 times" in alone

    def test_it_catches_an_arrival_faster_than_travel_and_a_wrong_distance(self) -> None:
        rushed = dataclasses.replace(self.good.routes[1], arrivals=(5,), travel=30)
        found = violations(self.problem, dataclasses.replace(self.good, routes=(self.good.routes[0], rushed)))
        assert "vehicle 1: starts node 2 at 5, cannot be there before 20" in found
        assert "vehicle 1: travel 30 reported, 40 recomputed" in found
