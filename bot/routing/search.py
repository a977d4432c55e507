"""How the routing solver spends its time: iterated local search, then guided local search.

Measured on Solomon C101/R101/RC101 and TSPLIB berlin52/eil51 (docs/BENCHMARKS.md has the figures):
- Guided local search alone reaches the optimum at 25 customers but stalls with one route too many on the
  tight-window R and RC instances (RC101, 50 customers: 9 routes, +1.4 %; 100: +3.9 %), whatever the first
  solution, lambda or extra LNS operators we tried.
- Iterated local search with SISR ruin-and-recreate (Christiaens & Vanden Berghe 2020) and simulated
  annealing acceptance removes such routes (RC101, 50 customers: the optimum), provided the local search
  after each ruin-and-recreate step keeps to cheap node moves: with every operator a step is four to eight
  times slower and the result no better than guided local search.
- Guided local search, with all its operators, then polishes the best solution for the rest of the time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from google.protobuf.duration_pb2 import Duration
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

# The moves the local search after each ruin-and-recreate step keeps; every other operator is switched off.
# Making a node (in)active is what lets the search drop an optional node whose penalty is below its detour.
_ILS_OPERATORS = frozenset(
    {"use_relocate", "use_exchange", "use_two_opt", "use_or_opt", "use_make_active", "use_make_inactive"}
)
_TRUE, _FALSE = 3, 2  # OptionalBoolean.BOOL_TRUE / BOOL_FALSE


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """ils_share: part of the time limit given to iterated local search, the rest to guided local search
    (0 means guided local search only). temperature: initial simulated-annealing temperature as a multiple
    of the mean arc cost, so that it follows the scale of the matrix; it cools a hundredfold over the run.
    """

    # Insertion heuristics put each node where its window still fits. Heuristics that extend paths arc by
    # arc dead-end on tight windows: without the optional-node safety net of vrptw.py, PATH_CHEAPEST_ARC
    # (what AUTOMATIC picks), CHRISTOFIDES and PARALLEL_SAVINGS found no first solution at all on R101 with
    # 100 customers, while PARALLEL_CHEAPEST_INSERTION served every customer of the nine Solomon instances.
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    ils_share: float = 0.85
    temperature: float = 2.0
    gls_lambda: float = 0.1

    def __post_init__(self) -> None:
        if not 0 <= self.ils_share < 1:
            raise ValueError("ils_share must be in [0, 1)")
        if not hasattr(routing_enums_pb2.FirstSolutionStrategy, self.first_solution):
            raise ValueError(f"unknown first solution strategy {self.first_solution}")


@dataclass(frozen=True, slots=True)
class Phases:
    iterated: pywrapcp.RoutingSearchParameters | None
    guided: pywrapcp.RoutingSearchParameters


def phases(plan: SearchPlan, time_limit_s: float, travel: Sequence[Sequence[int]]) -> Phases:
    iterated = None
    if plan.ils_share > 0:
        iterated = _base(plan, time_limit_s * plan.ils_share)
        iterated.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
        operators = iterated.local_search_operators
        for field in operators.DESCRIPTOR.fields:
            setattr(operators, field.name, _TRUE if field.name in _ILS_OPERATORS else _FALSE)
        ils = iterated.iterated_local_search_parameters
        ils.improve_perturbed_solution = True
        ruin = ils.ruin_recreate_parameters.ruin_strategies.add().sisr
        # The defaults of the SISR paper: strings of at most 10 visits, 10 visits removed on average.
        ruin.max_removed_sequence_size = 10
        ruin.avg_num_removed_visits = 10
        ruin.bypass_factor = 0.01
        annealing = ils.reference_solution_acceptance_strategy.simulated_annealing
        annealing.initial_temperature = plan.temperature * _mean_arc(travel)
        annealing.final_temperature = annealing.initial_temperature / 100
    guided = _base(plan, time_limit_s * (1 - plan.ils_share))
    guided.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    guided.guided_local_search_lambda_coefficient = plan.gls_lambda
    return Phases(iterated, guided)


def _base(plan: SearchPlan, seconds: float) -> pywrapcp.RoutingSearchParameters:
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, plan.first_solution)
    whole = int(seconds)
    params.time_limit.CopyFrom(Duration(seconds=whole, nanos=int((seconds - whole) * 1e9)))
    return params


def _mean_arc(travel: Sequence[Sequence[int]]) -> float:
    n = len(travel)
    # At least 1 so that the temperatures stay valid on a matrix of zeros.
    return max(sum(map(sum, travel)) / (n * (n - 1)), 1.0) if n > 1 else 1.0
