"""Vehicle routing with time windows on OR-Tools: plain integer inputs, plain outputs.

The model minimises total travel. Time is travel plus the service time of the node left; waiting for a
window to open is free. Vehicles have no fixed cost, so the vehicle count is whatever serves the nodes
with the least travel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from ortools.constraint_solver import pywrapcp

from bot.routing.search import SearchPlan, phases


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """Interval in which service at a node must start (both ends included)."""

    open: int
    close: int


@dataclass(frozen=True, slots=True)
class VrptwProblem:
    """One routing problem. Node indices are positions in `travel`; empty sequences mean "none".

    travel: travel[i][j] >= 0, both the cost and the time of going from i to j.
    service: time spent at each node before leaving it.
    windows: when service may start at each node; the depot's window bounds every route's start and end.
    demands / capacities: per node / per vehicle; no capacity constraint when capacities is empty.
    return_to_depot: False for open routes that end after the last service.
    max_route_duration: bound on a route's end time minus its start time.
    max_route_travel: bound on the travel of one route.
    drop_penalty: cost of leaving a node unserved; None means every node must be served.
    """

    travel: Sequence[Sequence[int]]
    service: Sequence[int] = ()
    windows: Sequence[TimeWindow | None] = ()
    demands: Sequence[int] = ()
    capacities: Sequence[int] = ()
    num_vehicles: int = 1
    depot: int = 0
    return_to_depot: bool = True
    max_route_duration: int | None = None
    max_route_travel: int | None = None
    drop_penalty: int | None = None
    time_limit_s: float = 5.0

    def __post_init__(self) -> None:
        n = len(self.travel)
        if n == 0 or any(len(row) != n for row in self.travel):
            raise ValueError("travel must be a non-empty square matrix")
        if any(value < 0 for row in self.travel for value in row):
            raise ValueError("travel must be non-negative")
        for name in ("service", "windows", "demands"):
            if len(getattr(self, name)) not in (0, n):
                raise ValueError(f"{name} must be empty or have one entry per node")
        if self.num_vehicles < 1:
            raise ValueError("num_vehicles must be at least 1")
        if len(self.capacities) not in (0, self.num_vehicles):
            raise ValueError("capacities must be empty or have one entry per vehicle")
        if not 0 <= self.depot < n:
            raise ValueError("depot must be a node index")
        if self.time_limit_s <= 0:
            raise ValueError("time_limit_s must be positive")

    @property
    def size(self) -> int:
        return len(self.travel)

    @property
    def customers(self) -> tuple[int, ...]:
        return tuple(node for node in range(self.size) if node != self.depot)

    def service_at(self, node: int) -> int:
        return self.service[node] if self.service else 0

    def window_at(self, node: int) -> TimeWindow | None:
        return self.windows[node] if self.windows else None


class Status(StrEnum):
    COMPLETE = "complete"  # every node is served
    PARTIAL = "partial"  # some nodes are in `dropped`: allowed by drop_penalty, or impossible to serve
    NO_SOLUTION = "no_solution"  # the time limit ran out before any solution


@dataclass(frozen=True, slots=True)
class Route:
    vehicle: int
    nodes: tuple[int, ...]  # served nodes in order, depot excluded
    arrivals: tuple[int, ...]  # when service starts at each node, after any wait for its window
    start: int  # departure from the depot
    end: int  # back at the depot, or end of the last service for open routes
    travel: int


@dataclass(frozen=True, slots=True)
class VrptwSolution:
    status: Status
    routes: tuple[Route, ...]  # routes that serve at least one node
    dropped: tuple[int, ...]
    total_travel: int


def solve(problem: VrptwProblem, plan: SearchPlan | None = None) -> VrptwSolution:
    """Best solution found within problem.time_limit_s; bot.routing.search says how it searches."""
    search = phases(plan or SearchPlan(), problem.time_limit_s, problem.travel)
    # Each phase gets a fresh model: OR-Tools fixes the neighbourhood operators when a model is closed,
    # and guided local search needs all of them (the iterated phase keeps only the cheap ones).
    found = _Model(problem).iterate(search.iterated) if search.iterated else None
    polished = _Model(problem).guide(search.guided, found[1] if found else None)
    best = min((result for result in (found, polished) if result), key=lambda result: result[0], default=None)
    if best is None:
        return VrptwSolution(Status.NO_SOLUTION, (), problem.customers, 0)
    return best[1]


def forced_penalty(problem: VrptwProblem) -> int:
    """The cost of leaving out a node that must be served: more than any solution's travel."""
    nodes = problem.size + (0 if problem.return_to_depot else 1)  # an open route's end is one more node
    return (nodes + problem.num_vehicles) * max(max(max(row) for row in problem.travel), 1) + 1


class _Model:
    def __init__(self, problem: VrptwProblem) -> None:
        self.problem = problem
        n = problem.size
        # Open routes end at a dummy node that every node reaches for free.
        end = problem.depot if problem.return_to_depot else n
        nodes = n if problem.return_to_depot else n + 1
        self.manager = pywrapcp.RoutingIndexManager(
            nodes, problem.num_vehicles, [problem.depot] * problem.num_vehicles, [end] * problem.num_vehicles
        )
        self.routing = pywrapcp.RoutingModel(self.manager)
        travel = [[*row, *([0] if nodes > n else [])] for row in problem.travel]
        travel += [[0] * nodes] * (nodes - n)
        arc = self.routing.RegisterTransitMatrix(travel)
        self.routing.SetArcCostEvaluatorOfAllVehicles(arc)
        self._add_time(travel)
        self._add_load()
        if problem.max_route_travel is not None:
            self.routing.AddDimension(arc, 0, problem.max_route_travel, True, "travel")
        self._add_disjunctions()

    def _add_time(self, travel: list[list[int]]) -> None:
        p = self.problem
        time = [[t + (p.service_at(i) if i < p.size else 0) for t in row] for i, row in enumerate(travel)]
        windows = [w for w in p.windows if w is not None]
        horizon = max([sum(max(row) for row in time), *(w.close for w in windows), p.max_route_duration or 0])
        self.routing.AddDimension(self.routing.RegisterTransitMatrix(time), horizon, horizon, False, "time")
        self.time = self.routing.GetDimensionOrDie("time")
        for node in self.problem.customers:
            window = p.window_at(node)
            if window is not None:
                self.time.CumulVar(self.manager.NodeToIndex(node)).SetRange(window.open, window.close)
        depot_window = p.window_at(p.depot)
        for vehicle in range(p.num_vehicles):
            if depot_window is not None:
                self.time.CumulVar(self.routing.Start(vehicle)).SetRange(depot_window.open, depot_window.close)
                self.time.CumulVar(self.routing.End(vehicle)).SetRange(depot_window.open, depot_window.close)
            if p.max_route_duration is not None:
                self.time.SetSpanUpperBoundForVehicle(p.max_route_duration, vehicle)

    def _add_load(self) -> None:
        p = self.problem
        if not p.capacities:
            return
        demands = [p.demands[i] if p.demands else 0 for i in range(p.size)]
        demands += [0] * (self.manager.GetNumberOfNodes() - p.size)
        demand = self.routing.RegisterUnaryTransitVector(demands)
        self.routing.AddDimensionWithVehicleCapacity(demand, 0, list(p.capacities), True, "load")

    def _add_disjunctions(self) -> None:
        # Every node is optional, even when the caller forbids dropping: with a penalty above the cost of
        # any solution, dropping is only ever chosen for a node nobody can serve, and "all routes empty"
        # is a feasible start, so the search always has a first solution (insertion heuristics alone can
        # dead-end on tight windows) and an impossible node is reported instead of failing the whole solve.
        penalty = forced_penalty(self.problem) if self.problem.drop_penalty is None else self.problem.drop_penalty
        for node in self.problem.customers:
            self.routing.AddDisjunction([self.manager.NodeToIndex(node)], penalty)

    def iterate(self, params: pywrapcp.RoutingSearchParameters) -> tuple[int, VrptwSolution] | None:
        return self._result(self.routing.SolveWithIteratedLocalSearch(params))

    def guide(
        self, params: pywrapcp.RoutingSearchParameters, start: VrptwSolution | None
    ) -> tuple[int, VrptwSolution] | None:
        if start is None:
            return self._result(self.routing.SolveWithParameters(params))
        self.routing.CloseModelWithParameters(params)
        routes: list[list[int]] = [[] for _ in range(self.problem.num_vehicles)]
        for route in start.routes:
            routes[route.vehicle] = [self.manager.NodeToIndex(node) for node in route.nodes]
        initial = self.routing.ReadAssignmentFromRoutes(routes, True)
        return self._result(self.routing.SolveFromAssignmentWithParameters(initial, params))

    def _result(self, assignment: pywrapcp.Assignment | None) -> tuple[int, VrptwSolution] | None:
        return None if assignment is None else (assignment.ObjectiveValue(), self._read(assignment))

    def _read(self, assignment: pywrapcp.Assignment) -> VrptwSolution:
        p = self.problem
        routes: list[Route] = []
        for vehicle in range(p.num_vehicles):
            index = assignment.Value(self.routing.NextVar(self.routing.Start(vehicle)))
            nodes: list[int] = []
            arrivals: list[int] = []
            while not self.routing.IsEnd(index):
                nodes.append(self.manager.IndexToNode(index))
                arrivals.append(assignment.Min(self.time.CumulVar(index)))
                index = assignment.Value(self.routing.NextVar(index))
            if nodes:
                path = [p.depot, *nodes, *([p.depot] if p.return_to_depot else [])]
                routes.append(
                    Route(
                        vehicle=vehicle,
                        nodes=tuple(nodes),
                        arrivals=tuple(arrivals),
                        start=assignment.Min(self.time.CumulVar(self.routing.Start(vehicle))),
                        end=assignment.Min(self.time.CumulVar(self.routing.End(vehicle))),
                        travel=sum(p.travel[a][b] for a, b in pairwise(path)),
                    )
                )
        served = {node for route in routes for node in route.nodes}
        dropped = tuple(node for node in self.problem.customers if node not in served)
        return VrptwSolution(
            status=Status.PARTIAL if dropped else Status.COMPLETE,
            routes=tuple(routes),
            dropped=dropped,
            total_travel=sum(route.travel for route in routes),
        )
