"""Independent feasibility check of a routing solution, recomputed from the problem's raw data.

It shares nothing with the solver but the data types, so a modelling mistake in the solver shows up here
instead of in a volunteer's afternoon.
"""

from __future__ import annotations

from itertools import pairwise

from bot.routing.vrptw import Route, VrptwProblem, VrptwSolution


def violations(problem: VrptwProblem, solution: VrptwSolution) -> list[str]:
    """Every broken rule, in words; an empty list means the solution is feasible."""
    found = _coverage(problem, solution)
    for route in solution.routes:
        found += _route(problem, route)
    total = sum(route.travel for route in solution.routes)
    if total != solution.total_travel:
        found.append(f"total travel {solution.total_travel} but routes add up to {total}")
    return found


def _coverage(problem: VrptwProblem, solution: VrptwSolution) -> list[str]:
    found: list[str] = []
    seen: dict[int, int] = {}
    for node in [n for route in solution.routes for n in route.nodes] + list(solution.dropped):
        seen[node] = seen.get(node, 0) + 1
    for node in range(problem.size):
        count = seen.pop(node, 0)
        if node == problem.depot and count:
            found.append("the depot appears as a customer")
        elif node != problem.depot and count != 1:
            found.append(f"node {node} is served or dropped {count} times")
    found += [f"unknown node {node}" for node in seen]
    if problem.drop_penalty is None and solution.dropped:
        found.append(f"nodes {list(solution.dropped)} dropped although every node must be served")
    vehicles = [route.vehicle for route in solution.routes]
    if len(set(vehicles)) != len(vehicles) or not all(0 <= v < problem.num_vehicles for v in vehicles):
        found.append(f"vehicles {vehicles} are not distinct vehicles of the fleet")
    return found


def _route(problem: VrptwProblem, route: Route) -> list[str]:
    where = f"vehicle {route.vehicle}"
    if not 0 < len(route.nodes) == len(route.arrivals) or not all(0 <= n < problem.size for n in route.nodes):
        return [f"{where}: malformed route"]
    found: list[str] = []
    path = [problem.depot, *route.nodes, *([problem.depot] if problem.return_to_depot else [])]
    travel = sum(problem.travel[a][b] for a, b in pairwise(path))
    if travel != route.travel:
        found.append(f"{where}: travel {route.travel} reported, {travel} recomputed")
    if problem.max_route_travel is not None and travel > problem.max_route_travel:
        found.append(f"{where}: travel {travel} above the limit {problem.max_route_travel}")
    if problem.capacities:
        load = sum(problem.demands[n] for n in route.nodes) if problem.demands else 0
        if load > problem.capacities[route.vehicle]:
            found.append(f"{where}: load {load} above capacity {problem.capacities[route.vehicle]}")
    found += _schedule(problem, route, where)
    return found


def _schedule(problem: VrptwProblem, route: Route, where: str) -> list[str]:
    found: list[str] = []
    depot_window = problem.window_at(problem.depot)
    if depot_window is not None and not depot_window.open <= route.start <= depot_window.close:
        found.append(f"{where}: leaves the depot at {route.start}, outside {depot_window}")
    previous, ready = problem.depot, route.start
    for node, arrival in zip(route.nodes, route.arrivals, strict=True):
        earliest = ready + problem.travel[previous][node]
        window = problem.window_at(node)
        if arrival < earliest:
            found.append(f"{where}: starts node {node} at {arrival}, cannot be there before {earliest}")
        if window is not None and not window.open <= arrival <= window.close:
            found.append(f"{where}: starts node {node} at {arrival}, outside {window}")
        previous, ready = node, arrival + problem.service_at(node)
    back = ready + (problem.travel[previous][problem.depot] if problem.return_to_depot else 0)
    if route.end < back:
        found.append(f"{where}: ends at {route.end}, cannot be done before {back}")
    if depot_window is not None and route.end > depot_window.close:
        found.append(f"{where}: ends at {route.end}, after the depot closes at {depot_window.close}")
    if problem.max_route_duration is not None and route.end - route.start > problem.max_route_duration:
        found.append(f"{where}: lasts {route.end - route.start}, above {problem.max_route_duration}")
    return found
