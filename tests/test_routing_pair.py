"""A pair's walking route in its half-day slot."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.places import Point
from bot.routing.pair_route import (
    MeetingPoint,
    PairRoute,
    PairRouteRequest,
    Reason,
    Visit,
    choose_meeting_point,
    plan_pair_route,
)
from bot.routing.walking import WalkingModel

AGEN = Point(44.2036, 0.6206)
WALK = WalkingModel()
FAST = 0.05  # seconds of search: a handful of visits needs no more


def near(dlat: float, dlon: float) -> Point:
    return Point(AGEN.lat + dlat, AGEN.lon + dlon)


def request(
    visits: list[Visit],
    slot: float = 180,
    max_walk: float = 60,
    matrix: list[list[float]] | None = None,
    return_to_meeting_point: bool = False,
) -> PairRouteRequest:
    return PairRouteRequest(
        AGEN,
        tuple(visits),
        slot,
        max_walk,
        matrix=matrix,
        return_to_meeting_point=return_to_meeting_point,
        time_limit_s=FAST,
    )


def windows_kept(route: PairRoute, visits: list[Visit]) -> bool:
    windows = {visit.id: visit.window for visit in visits}
    return all(
        (window := windows[stop.visit_id]) is None or window[0] - 1e-9 <= stop.arrival_min <= window[1] + 1e-9
        for stop in route.stops
    )


visit_lists = st.lists(
    st.builds(
        lambda i, dlat, dlon, duration, window: (i, dlat, dlon, duration, window),
        st.integers(),
        st.floats(-0.008, 0.008),
        st.floats(-0.008, 0.008),
        st.sampled_from([30.0, 45.0, 60.0]),
        st.one_of(st.none(), st.tuples(st.floats(0, 150), st.floats(5, 60)).map(lambda t: (t[0], t[0] + t[1]))),
    ),
    min_size=1,
    max_size=6,
).map(lambda rows: [Visit(f"v{n}", near(r[1], r[2]), r[3], r[4]) for n, r in enumerate(rows)])


@settings(max_examples=25, deadline=None)
@given(visits=visit_lists, slot=st.sampled_from([120.0, 180.0, 240.0]), max_walk=st.sampled_from([20.0, 45.0]))
def test_a_pairs_route_never_rings_after_the_slot_ends_nor_walks_beyond_its_budget(
    visits: list[Visit], slot: float, max_walk: float
) -> None:
    route = plan_pair_route(request(visits, slot, max_walk))
    assert route.end_min <= slot + 1e-9
    assert all(stop.departure_min <= slot + 1e-9 for stop in route.stops)
    assert route.walk_total_min <= max_walk + 1e-9
    assert windows_kept(route, visits)
    # Every visit is either in the route or explained.
    assert sorted(route.order + tuple(u.visit_id for u in route.unplaced)) == sorted(v.id for v in visits)


def test_visits_are_ordered_to_walk_little_and_times_add_up() -> None:
    # Three doors along one street, given out of order.
    visits = [Visit("far", near(0.006, 0), 30), Visit("near", near(0.002, 0), 30), Visit("mid", near(0.004, 0), 30)]
    route = plan_pair_route(request(visits))
    assert route.order == ("near", "mid", "far")
    assert route.complete
    first, second, _ = route.stops
    assert first.walk_min == WALK.minutes(AGEN, visits[1].point)
    assert second.arrival_min >= first.departure_min + second.walk_min - 1e-9
    assert route.end_min == route.stops[-1].departure_min


def test_a_visit_beyond_the_walking_budget_is_reported_too_far() -> None:
    visits = [Visit("next door", near(0.001, 0)), Visit("other side of town", near(0.03, 0.03))]
    route = plan_pair_route(request(visits, max_walk=30))
    assert route.order == ("next door",)
    assert [(u.visit_id, u.reason) for u in route.unplaced] == [("other side of town", Reason.TOO_FAR)]


def test_a_window_closing_before_the_pair_can_get_there_is_reported() -> None:
    # About 13 minutes away; the person is only in during the first five minutes.
    route = plan_pair_route(request([Visit("early bird", near(0.005, 0), window=(0, 5))]))
    assert route.stops == ()
    assert route.unplaced[0].reason is Reason.TIME_WINDOW


def test_a_visit_longer_than_what_is_left_of_the_slot_is_reported() -> None:
    route = plan_pair_route(request([Visit("long", near(0.001, 0), duration_min=90, window=(100, 170))]))
    assert route.unplaced[0].reason is Reason.SLOT_TOO_SHORT


def test_of_two_visits_that_fit_alone_but_not_together_one_is_reported_no_room() -> None:
    visits = [Visit("a", near(0.001, 0), 60, window=(30, 40)), Visit("b", near(0.001, 0.001), 60, window=(30, 40))]
    route = plan_pair_route(request(visits))
    assert len(route.stops) == 1
    assert [u.reason for u in route.unplaced] == [Reason.NO_ROOM]


def test_a_fixed_appointment_is_kept_and_others_fit_around_it() -> None:
    visits = [
        Visit("appointment", near(0.002, 0.002), 45, window=(120, 125)),
        Visit("a", near(0.001, 0), 45),
        Visit("b", near(0, 0.001), 45),
    ]
    route = plan_pair_route(request(visits))
    assert route.complete
    assert route.order[-1] == "appointment"
    assert 120 <= route.stops[-1].arrival_min <= 125


def test_returning_to_the_meeting_point_counts_the_walk_back_and_ends_the_slot_there() -> None:
    visits = [Visit("a", near(0.004, 0), 30)]
    route = plan_pair_route(request(visits, return_to_meeting_point=True))
    back = WALK.minutes(visits[0].point, AGEN)
    assert route.walk_back_min == back
    assert route.walk_total_min == route.stops[0].walk_min + back
    assert route.end_min >= route.stops[0].departure_min + back - 1e-9


def test_a_precomputed_matrix_replaces_the_estimate() -> None:
    # Street walking makes "b" first although it is farther as the crow flies.
    visits = [Visit("a", near(0.001, 0), 30), Visit("b", near(0.002, 0), 30)]
    matrix = [[0.0, 20.0, 5.0], [20.0, 0.0, 6.0], [5.0, 6.0, 0.0]]
    route = plan_pair_route(request(visits, matrix=matrix))
    assert route.order == ("b", "a")
    assert [stop.walk_min for stop in route.stops] == [5, 6]


def test_the_meeting_point_is_the_hub_when_configured_else_the_home_nearer_to_the_visits() -> None:
    visits = [near(0.004, 0), near(0.005, 0.001)]
    homes = [near(-0.01, 0), near(0.003, 0)]
    assert choose_meeting_point(visits, homes) == MeetingPoint(homes[1], 1)
    assert choose_meeting_point(visits, homes, hub=AGEN) == MeetingPoint(AGEN, None)
