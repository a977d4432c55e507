"""What a pair's outing is made of, apart from Telegram: the calendar file, the name a pair is told, the
walking link, and visits added to a published route without moving it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.domain.places import Point
from bot.ics import event_file
from bot.matching.week import Slot
from bot.routing.walking import WalkingModel
from bot.services.outings import RouteRules, append_stops, first_name, osm_walk


def test_the_calendar_file_follows_rfc_5545_lines_escapes_and_utc_times() -> None:
    text = event_file(
        "visit-1-2-701@lien",
        datetime(2030, 3, 5, 13, 0, tzinfo=UTC),
        datetime(2030, 3, 5, 14, 46, tzinfo=UTC),
        "Visites avec Paul",
        "Rendez-vous à 14:00; chez Anne, puis\n1. Jeanne, 12 rue Voltaire " + "très long " * 20,
        (44.2045, 0.6175),
        now=datetime(2030, 3, 1, tzinfo=UTC),
    )
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "DTSTART:20300305T130000Z" in lines and "GEO:44.204500;0.617500" in lines
    unfolded = text.replace("\r\n ", "")
    assert "DESCRIPTION:Rendez-vous à 14:00\\; chez Anne\\, puis\\n1. Jeanne\\, 12 rue Voltaire" in unfolded


def test_a_pair_is_told_a_first_name_never_the_full_name() -> None:
    assert first_name("Jeanne Martin") == "Jeanne"
    assert first_name("Mme Durand") == "Mme D."
    assert first_name("M. Jean-Pierre Lopez") == "M. J."
    assert first_name("  ") == "?"


def test_the_walking_link_opens_openstreetmap_on_foot_between_two_points() -> None:
    assert osm_walk(Point(44.2, 0.61), Point(44.21, 0.62)) == (
        "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route=44.200000,0.610000;44.210000,0.620000"
    )


def test_visits_added_to_a_published_route_come_after_it_without_moving_it() -> None:
    slot = Slot("tue-pm", date(2030, 3, 5), time(14), time(17))
    rules = RouteRules(45.0, 30.0, WalkingModel(), None)
    stops = append_stops(slot, (Point(44.2045, 0.6175), time(14, 46)), [(7, Point(44.2030, 0.6160))], rules)
    assert [(s.person_id, s.arrival, s.departure) for s in stops] == [(7, time(14, 50), time(15, 35))]
