"""VROOM (pyvroom) as a baseline: the same VrptwProblem, the same integer matrix, our solution type back.

Returning a VrptwSolution lets one independent checker judge both solvers. Only what the benchmark
instances use is mapped: closed routes from the depot, service, windows, one capacity dimension.
"""

from __future__ import annotations

from typing import Any

import vroom

from bot.routing.vrptw import Route, Status, VrptwProblem, VrptwSolution


def solve_with_vroom(problem: VrptwProblem, exploration_level: int = 5, threads: int = 1) -> VrptwSolution:
    if not problem.return_to_depot or problem.max_route_travel is not None or problem.drop_penalty:
        raise ValueError("the VROOM baseline maps closed routes without travel limits or drop penalties")
    model = vroom.Input()
    model.set_durations_matrix(profile="car", matrix_input=[list(row) for row in problem.travel])
    depot_window = problem.window_at(problem.depot)
    for vehicle in range(problem.num_vehicles):
        options: dict[str, Any] = {}
        if problem.capacities:
            options["capacity"] = [problem.capacities[vehicle]]
        if depot_window is not None:
            options["time_window"] = vroom.TimeWindow(depot_window.open, depot_window.close)
        if problem.max_route_duration is not None:
            options["max_travel_time"] = problem.max_route_duration
        model.add_vehicle(vroom.Vehicle(vehicle, start=problem.depot, end=problem.depot, **options))
    for node in range(problem.size):
        if node == problem.depot:
            continue
        window = problem.window_at(node)
        model.add_job(
            vroom.Job(
                node,
                location=node,
                default_service=problem.service_at(node),
                delivery=[problem.demands[node] if problem.demands else 0] if problem.capacities else [],
                time_windows=[vroom.TimeWindow(window.open, window.close)] if window else [],
            )
        )
    return _read(model.solve(exploration_level=exploration_level, nb_threads=threads).to_dict())


def _read(result: dict[str, Any]) -> VrptwSolution:
    routes = []
    for route in result["routes"]:
        steps = route["steps"]
        jobs = [step for step in steps if step["type"] == "job"]
        routes.append(
            Route(
                vehicle=route["vehicle"],
                nodes=tuple(step["location_index"] for step in jobs),
                arrivals=tuple(step["arrival"] + step["waiting_time"] for step in jobs),
                start=steps[0]["arrival"],
                end=steps[-1]["arrival"],
                travel=route["cost"],
            )
        )
    dropped = tuple(job["location_index"] for job in result["unassigned"])
    return VrptwSolution(
        status=Status.PARTIAL if dropped else Status.COMPLETE,
        routes=tuple(routes),
        dropped=dropped,
        total_travel=sum(route.travel for route in routes),
    )
