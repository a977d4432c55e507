"""Readers of the Solomon and TSPLIB benchmark files, and the distance conventions of the published optima."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.routing_formats import (
    DATA,
    load_instance,
    published_optimum,
    read_reference,
    read_solomon,
    read_tsplib,
    solomon_problem,
)
from bot.routing.vrptw import TimeWindow


def test_a_solomon_file_gives_its_fleet_and_every_customer_row() -> None:
    instance = read_solomon(DATA / "solomon" / "C101.txt")
    assert (instance.name, instance.vehicles, instance.capacity) == ("C101", 25, 200)
    assert len(instance.nodes) == 101
    depot, first = instance.nodes[0], instance.nodes[1]
    assert (depot.number, depot.x, depot.y, depot.due) == (0, 40, 50, 1236)
    assert (first.number, first.x, first.y, first.demand, first.ready, first.due, first.service) == (
        1,
        45,
        68,
        10,
        912,
        967,
        90,
    )


def test_solomon_distances_are_truncated_to_one_decimal_and_kept_in_tenths() -> None:
    problem = solomon_problem(read_solomon(DATA / "solomon" / "C101.txt"), 25, 1.0)
    # Depot (40, 50) to customer 1 (45, 68): sqrt(349) = 18.681 -> 18.6, not 18.7 -> 186 tenths.
    assert problem.travel[0][1] == problem.travel[1][0] == 186
    # Customers 1 (45, 68) and 2 (45, 70): exactly 2.
    assert problem.travel[1][2] == 20
    assert problem.size == 26
    assert problem.windows[1] == TimeWindow(9120, 9670)
    assert problem.service[1] == 900
    assert problem.capacities == [200] * 25


def test_a_tsplib_file_gives_its_cities_with_nint_distances() -> None:
    instance = load_instance(DATA / "tsplib" / "berlin52.tsp", None, 1.0)
    assert (instance.name, instance.customers, instance.scale) == ("berlin52", 51, 1)
    assert instance.labels[:3] == (1, 2, 3)
    # City 1 (565, 575) to city 2 (25, 185): 666.11 -> 666.
    assert instance.problem.travel[0][1] == 666
    assert read_tsplib(DATA / "tsplib" / "eil51.tsp").coords[0] == (37.0, 52.0)


def test_the_published_optimum_is_found_for_the_size_solved_only() -> None:
    reference = read_reference()
    assert published_optimum(reference, load_instance(DATA / "solomon" / "RC101.txt", 50, 1.0)) == 944.0
    assert published_optimum(reference, load_instance(DATA / "solomon" / "RC101.txt", 30, 1.0)) is None
    assert published_optimum(reference, load_instance(DATA / "tsplib" / "eil51.tsp", None, 1.0)) == 426
    assert published_optimum(reference, load_instance(DATA / "tsplib" / "eil51.tsp", 20, 1.0)) is None


def test_a_tsplib_file_with_another_distance_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "geo.tsp"
    path.write_text(
        "NAME: geo\nTYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: GEO\nNODE_COORD_SECTION\n1 1 1\n2 2 2\nEOF\n"
    )
    with pytest.raises(ValueError, match="EUC_2D"):
        read_tsplib(path)


def test_a_file_without_customer_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("X\n\nVEHICLE\nNUMBER CAPACITY\n 2 10\n\nCUSTOMER\n")
    with pytest.raises(ValueError, match="depot"):
        read_solomon(path)
