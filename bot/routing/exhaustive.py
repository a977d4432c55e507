"""The optimal route of one vehicle through a few nodes, by trying every order.

A pair visits two to four persons in a half-day. For so few nodes the local search of vrptw.py spends its
whole time limit (it never knows it has found the optimum) on a problem whose every order can be tried in
well under a millisecond: 6 nodes have 1,957 ordered subsets. Here each is tried, depth first, with the
same model as vrptw.py (time is travel plus the service of the node left, waiting for a window is free,
the depot's window bounds the start and the end, an open route ends with its last service, a route's travel
is bounded, a node left out costs its penalty), so the route returned is optimal, not just good.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.routing.vrptw import Route, Status, VrptwProblem, VrptwSolution, forced_penalty

MAX_NODES = 6
"""Beyond this the orders grow too fast (7 nodes: 13,700; 8: 109,600) and the local search is worth its time."""


def applies(problem: VrptwProblem) -> bool:
    """One vehicle, no load and no bound on the route's duration: what a pair's half-day is."""
    return (
        problem.num_vehicles == 1
        and not problem.capacities
        and problem.max_route_duration is None
        and len(problem.customers) <= MAX_NODES
    )


@dataclass(slots=True)
class _Best:
    cost: int
    nodes: tuple[int, ...]
    arrivals: tuple[int, ...]
    end: int
    travel: int


def solve_exactly(problem: VrptwProblem) -> VrptwSolution:
    """The route of least cost (travel, plus the penalty of each node left out); ties keep the first order
    found, nodes taken in their index order."""
    if not applies(problem):
        raise ValueError("an exhaustive search is for one vehicle through a few nodes, without load or duration")
    customers = problem.customers
    penalty = forced_penalty(problem) if problem.drop_penalty is None else problem.drop_penalty
    window = problem.window_at(problem.depot)
    start = window.open if window is not None else 0
    close = window.close if window is not None else None
    budget = problem.max_route_travel
    best = _Best(penalty * len(customers), (), (), start, 0)

    def closes(last: int, ready: int, travel: int) -> tuple[int, int] | None:
        """The route ended after `last`: its end and its travel, or None when it breaks a bound."""
        back = problem.travel[last][problem.depot] if problem.return_to_depot else 0
        end, total = ready + back, travel + back
        if (close is not None and end > close) or (budget is not None and total > budget):
            return None
        return end, total

    def visit(last: int, ready: int, travel: int, nodes: tuple[int, ...], arrivals: tuple[int, ...]) -> None:
        nonlocal best
        for node in customers:
            if node in nodes:
                continue
            leg = problem.travel[last][node]
            # Every bound below only grows along a route, so a node out of reach now stays out on this branch.
            if budget is not None and travel + leg > budget:
                continue
            node_window = problem.window_at(node)
            arrival = ready + leg if node_window is None else max(ready + leg, node_window.open)
            if node_window is not None and arrival > node_window.close:
                continue
            done = arrival + problem.service_at(node)
            if close is not None and done > close:
                continue
            path, times = (*nodes, node), (*arrivals, arrival)
            ended = closes(node, done, travel + leg)
            if ended is not None:
                end, total = ended
                cost = total + penalty * (len(customers) - len(path))
                if cost < best.cost:
                    best = _Best(cost, path, times, end, total)
            visit(node, done, travel + leg, path, times)

    visit(problem.depot, start, 0, (), ())
    routes = (Route(0, best.nodes, best.arrivals, start, best.end, best.travel),) if best.nodes else ()
    dropped = tuple(node for node in customers if node not in best.nodes)
    return VrptwSolution(Status.PARTIAL if dropped else Status.COMPLETE, routes, dropped, best.travel)
