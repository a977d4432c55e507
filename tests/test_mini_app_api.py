"""The Mini App's API behind Telegram's signed init data: the desk answers a coordinator with the chat's
views and rules, a volunteer sees their own outing as the chat shows it and answers it; forged, expired or
missing init data, another volunteer's outing and a role lacking are refused, and a refusal changes nothing."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx
import pytest

from bot.app import running
from bot.config import ConfigError, Settings
from bot.i18n import translator
from bot.webapp.auth import InitDataChecker, Refusal
from tests.catalogue import says, text_of
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import report_from_pin
from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.mini_app import client, signed_init_data, with_mini_app
from tests.telegram_users import FakeUser, eventually
from tests.test_plan_edits import ABSENT_THURSDAY, RESIDENTS, TEAM, visit_of, visits_now
from tests.test_plan_edits import everything as everything_of_visits
from tests.test_visits import ANNE, LEA, PAUL, PRO, seed, visit_settings
from tests.test_webhook import SECRET, free_port
from tests.town import drafted, seed_town

OTHER_TOKEN = "7000000002:AAAnotherBotsTokenNotOursAtAll_12345"


def everything(db_path: Path) -> list[tuple[object, ...]]:
    return rows(db_path, "SELECT * FROM week_plans") + rows(db_path, "SELECT * FROM visits ORDER BY id")


async def published(coordinator: FakeUser, db_path: Path) -> tuple[int, int, int]:
    """The draft on screen published from the chat: the pair of the week's outing and its first visit."""
    coordinator.press(says("plan.publish_button"))
    await coordinator.expect(says("plan.published", sent=says("plan.visits_sent", count=2)))
    found = rows(db_path, "SELECT first_volunteer, second_volunteer, id FROM visits ORDER BY position LIMIT 1")[0]
    first, second, visit = (int(str(value)) for value in found)
    return first, second, visit


def test_init_data_signed_as_telegram_documents_is_accepted_and_anything_else_refused() -> None:
    checker = InitDataChecker(TOKEN, max_age_s=3600)
    good = signed_init_data(42, "Ana", "en")
    caller = checker.caller(f"tma {good}")
    assert not isinstance(caller, Refusal)
    assert (caller.telegram_id, caller.first_name, caller.language_code) == (42, "Ana", "en")
    assert checker.caller(None) is Refusal.MISSING
    assert checker.caller(good) is Refusal.MISSING  # no "tma " scheme
    assert checker.caller(f"tma {signed_init_data(42, token=OTHER_TOKEN)}") is Refusal.FORGED
    assert checker.caller(f"tma {good.replace('42', '43', 1)}") is Refusal.FORGED  # another user slipped in
    assert checker.caller(f"tma {good}&x=1") is Refusal.FORGED  # a field added after signing
    assert checker.caller(f"tma {signed_init_data(42, age_s=7200)}") is Refusal.EXPIRED
    assert checker.caller("tma hash=&&=") is Refusal.FORGED


@pytest.fixture
async def week_settings(settings: Settings, db_path: Path) -> Settings:
    await seed(db_path, ["tue-pm"], 4)
    return with_mini_app(visit_settings(settings))


async def test_a_coordinator_reads_the_week_s_routes_and_publishes_and_the_pairs_get_their_notices_with_a_map(
    week_settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    async with drafted(week_settings, coordinator):
        # The coordinator's chat has the desk as its menu button, and /plan's preview an "Open the desk" row.
        menu = [p for m, p in fake_api.calls if m == "setChatMenuButton"]
        assert [str(p["chat_id"]) for p in menu] == [str(COORDINATOR_ID)]
        button = json.loads(str(menu[0]["menu_button"]))
        assert "127.0.0.1" in button["web_app"]["url"] and button["text"] == text_of("fr", "webapp.menu_button")
        preview = await coordinator.expect(says("plan.preview_header", week=10, year=2030))
        assert any("web_app" in b for b in preview.buttons())

        desk = client(week_settings, COORDINATOR_ID)
        week = (await desk.get("week", week="2030-W10")).json()
        assert week["plan"]["status"] == "draft"
        [outing] = week["outings"]
        assert {m["id"] for m in outing["pair"]} <= {ANNE, PAUL, LEA}
        assert [s["name"] for s in outing["stops"]] and all(s["lat"] and s["lon"] for s in outing["stops"])
        assert outing["meet"] == [44.2040, 0.6170]  # the hub

        published = await desk.post(f"plans/{week['plan']['id']}/publish")
        assert published.status_code == 200 and published.json() == {"visits": 2}
        queued = rows(db_path, "SELECT COUNT(*) FROM outbox")
        # Posted again (a reply lost on the way): the week is published, once, as the chat's replayed press says.
        again = await desk.post(f"plans/{week['plan']['id']}/publish")
        assert again.status_code == 200 and again.json() == {"visits": 2}
        assert rows(db_path, "SELECT COUNT(*) FROM outbox") == queued

        for member in (m["id"] for m in outing["pair"]):
            told = await FakeUser(fake_api, member).expect(says("visit.outing"))
            [map_button] = [b for b in told.buttons() if "web_app" in b]
            visit = outing["stops"][0]["visit_id"]
            assert map_button["web_app"]["url"] == f"{week_settings.webapp.public_url}/outing?visit={visit}"
            assert map_button["text"] == text_of("fr", "visit.map_button")


async def test_a_volunteer_sees_only_what_the_chat_shows_of_a_person_and_confirms_their_own_outing_only(
    week_settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    async with drafted(week_settings, coordinator):
        first, second, visit = await published(coordinator, db_path)
        outsider = ({ANNE, PAUL, LEA} - {first, second}).pop()

        shown = await client(week_settings, first, "Anne").get(f"outings/{visit}")
        assert shown.status_code == 200
        outing = shown.json()
        assert [s["first_name"] for s in outing["stops"]] == ["Jeanne", "Mme D."]
        assert set(outing["stops"][0]) == {"position", "arrival", "first_name", "address", "access_notes", "lat", "lon"}
        assert "Martin" not in shown.text and "Durand" not in shown.text and "meals" not in shown.text

        # Another volunteer's outing: nothing shown, nothing answered.
        before = everything(db_path)
        stranger = client(week_settings, outsider, "Léa")
        assert (await stranger.get(f"outings/{visit}")).status_code == 404
        refused = await stranger.post(f"outings/{visit}/confirm")
        assert refused.status_code == 409 and refused.json()["error"] == "webapp.error.outing_closed"
        assert (await stranger.post(f"outings/{visit}/decline")).status_code == 409
        assert everything(db_path) == before

        confirmed = await client(week_settings, first, "Anne").post(f"outings/{visit}/confirm")
        assert confirmed.status_code == 200 and confirmed.json()["answer"] == "confirmed"
        column = "first_answer"
        assert rows(db_path, f"SELECT DISTINCT {column} FROM visits WHERE status = 'proposed'") == [("confirmed",)]


async def test_forged_expired_and_missing_init_data_and_a_role_lacking_are_refused_and_change_nothing(
    week_settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    async with drafted(week_settings, coordinator):
        plan_id = rows(db_path, "SELECT id FROM week_plans")[0][0]
        before = everything(db_path)
        attempts = {
            "forged": client(week_settings, COORDINATOR_ID, token=OTHER_TOKEN),
            "expired": client(week_settings, COORDINATOR_ID, age_s=2 * 86400),
        }
        for reason, attempt in attempts.items():
            answer = await attempt.post(f"plans/{plan_id}/publish")
            assert answer.status_code == 401 and answer.json()["error"] == f"webapp.error.{reason}"
            assert answer.json()["message"] == text_of("fr", f"webapp.error.{reason}")
            assert (await attempt.get("week", week="2030-W10")).status_code == 401
        async with httpx.AsyncClient() as bare:
            missing = await bare.post(f"{week_settings.webapp.public_url}/api/plans/{plan_id}/publish")
        assert missing.status_code == 401 and missing.json()["error"] == "webapp.error.missing"

        # A volunteer, a professional and someone unknown hold no coordinator's role.
        for user_id in (ANNE, PRO, 123456):
            somebody = client(week_settings, user_id, "X")
            for answer in (
                await somebody.post(f"plans/{plan_id}/publish"),
                await somebody.post("week/draft", {"week": "2030-W10"}),
                await somebody.get("week", week="2030-W10"),
                await somebody.get("town"),
                await somebody.get("volunteers"),
                await somebody.get("reports"),
                await somebody.post("reports/1/close"),
                await somebody.get("stats"),
            ):
                assert answer.status_code == 403, answer.text
                assert answer.json()["error"] == "webapp.error.role"
        # Persons are for the coordinators and the expert unit, as /persons.
        assert (await client(week_settings, ANNE, "Anne").get("persons/1")).status_code == 403
        coordinator_desk = client(week_settings, COORDINATOR_ID)
        for week in ("2030-W54", "1990-W10", "2030-10", "next"):
            refused = await coordinator_desk.post("week/draft", {"week": week})
            assert refused.status_code == 400 and refused.json()["error"] == "webapp.error.bad_week", week
        assert everything(db_path) == before
        assert rows(db_path, "SELECT COUNT(*) FROM audit_log") == [(0,)]
        assert "publish" not in str([m for m, _ in fake_api.calls if m == "sendMessage"])


async def test_opening_a_person_s_file_on_the_desk_is_audited_like_in_the_chat(
    week_settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    async with drafted(week_settings, coordinator):
        found = (await client(week_settings, PRO, "Dr Roux").get("persons", q="jeanne")).json()
        assert [p["name"] for p in found["persons"]] == ["Jeanne Martin"]
        assert rows(db_path, "SELECT COUNT(*) FROM audit_log") == [(0,)]  # a list is not a file
        opened = await client(week_settings, PRO, "Dr Roux").get(f"persons/{found['persons'][0]['id']}")
        assert opened.status_code == 200 and opened.json()["person"]["needs"] == ["meals", "digital"]
        await eventually(
            lambda: rows(db_path, "SELECT actor, action FROM audit_log") == [(PRO, "person.opened")], "the audit"
        )


async def test_the_desk_s_pages_and_assets_come_from_the_bot_under_a_strict_content_security_policy(
    week_settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser
) -> None:
    async with drafted(week_settings, coordinator), httpx.AsyncClient() as browser:
        base = week_settings.webapp.public_url
        for path in ("/", "/outing", "/static/desk.js", "/static/vendor/leaflet.js", "/static/vendor/leaflet.css"):
            answer = await browser.get(f"{base}{path}")
            assert answer.status_code == 200, path
            policy = answer.headers["Content-Security-Policy"]
            assert "script-src 'self';" in policy and "default-src 'none'" in policy and "unsafe" not in policy
        page = (await browser.get(f"{base}/")).text
        assert "http" not in page.replace("http-equiv", "")  # nothing from elsewhere
        me = (await client(week_settings, COORDINATOR_ID).get("me")).json()
        assert me["strings"]["webapp.tab.week"] == text_of("fr", "webapp.tab.week")
        assert me["roles"] == ["anyone", "coordinator"]
        english = (await client(week_settings, COORDINATOR_ID, language="en").get("me")).json()
        assert english["strings"]["webapp.tab.week"] == text_of("en", "webapp.tab.week")


async def test_the_town_map_shows_streets_by_coverage_and_each_neighbourhood_s_risk_from_aggregates_only(
    week_settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    async with drafted(week_settings, coordinator):
        street_id = int(str(rows(db_path, "SELECT id FROM streets WHERE name LIKE '%République%'")[0][0]))
        with_numbers = rows(db_path, f"SELECT COUNT(*) FROM house_numbers WHERE street_id = {street_id}")[0][0]
        town = (await client(week_settings, COORDINATOR_ID).get("town")).json()
        streets = {s["id"]: s for s in town["streets"]}
        assert len(streets) == rows(db_path, "SELECT COUNT(*) FROM streets")[0][0]
        assert {s["cover"] for s in streets.values()} == {"nobody"}
        assert len(streets[street_id]["points"]) == with_numbers  # drawn along its house numbers
        assert town["approximate"] is True and town["census_year"] == "2020"
        centre = next(a for a in town["areas"] if a["neighbourhood"] == "Centre-ville")
        assert centre["old_alone"] == 285 and centre["coverage"] == 0 and centre["uncovered_alone"] == 285
        assert set(centre) == {
            "neighbourhood",
            "point",
            "old_alone",
            "old_alone_share",
            "streets",
            "covered",
            "open_reports",
            "coverage",
            "uncovered_alone",
        }
        assert [p["name"] for p in town["persons"]] == ["Jeanne Martin", "Mme Durand"]


async def test_the_desk_triages_a_report_with_the_chat_desk_s_actions_and_a_bad_one_changes_nothing(
    week_settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    async with drafted(week_settings, coordinator):
        desk = client(week_settings, COORDINATOR_ID)
        listed = (await desk.get("reports", filter="followed")).json()["reports"]
        assert [r["reference"] for r in listed] == ["S-2030-0001"]
        assert (await desk.get("reports", filter="todo")).json()["reports"] == []
        opened = (await desk.post("reports/1/read")).json()
        assert opened["report"]["reference"] == "S-2030-0001" and "reporter_id" not in opened["report"]
        before = rows(db_path, "SELECT status, no_action_reason FROM reports")
        refused = await desk.post("reports/1/no_action", {"reason": "because"})
        assert refused.status_code == 409 and refused.json()["error"] == "webapp.error.not_possible"
        assert (await desk.post("reports/1/fly")).status_code == 400
        assert (await desk.post("reports/999/close")).status_code == 409
        assert rows(db_path, "SELECT status, no_action_reason FROM reports") == before
        assert (await desk.post("reports/1/close")).json() == {"done": True}
        assert rows(db_path, "SELECT status FROM reports") == [("closed",)]


async def test_a_volunteer_who_cannot_go_says_so_on_the_map_and_the_week_is_repaired_as_from_the_chat(
    week_settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    async with drafted(week_settings, coordinator):
        first, second, visit = await published(coordinator, db_path)
        spare = ({ANNE, PAUL, LEA} - {first, second}).pop()
        answer = await client(week_settings, first, "Anne").post(f"outings/{visit}/decline")
        assert answer.status_code == 200 and answer.json() == {"declined": True}
        await coordinator.expect(says("visit.declined_coordinator"))
        await FakeUser(fake_api, spare).expect(says("visit.outing"), "Jeanne")
        # Posted again (a reply lost on the way): answered as the first time, and nobody is told twice.
        again = await client(week_settings, first, "Anne").post(f"outings/{visit}/decline")
        assert again.status_code == 200 and again.json() == {"declined": True}
        assert (
            sum(
                1 for m in fake_api.sent_to(COORDINATOR_ID) if says("visit.declined_coordinator").found_in(m.text, "fr")
            )
            == 1
        )


async def test_what_a_coordinator_searches_for_stays_out_of_the_logs(
    week_settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, caplog: pytest.LogCaptureFixture
) -> None:
    async with drafted(week_settings, coordinator):
        caplog.set_level("DEBUG")
        answer = await client(week_settings, COORDINATOR_ID).get("persons", q="Jeanne Martin")
        assert answer.status_code == 200
        # The bot's and its web server's lines (the test's own HTTP client logs its requests too).
        served = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(("bot", "tornado")))
        assert "/api/persons" in served and "Jeanne" not in served


async def test_a_visit_moved_on_the_desk_is_offered_and_checked_by_the_same_rules_as_in_the_chat(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    jeanne, marc, _rose = await seed_town(db_path, TEAM, RESIDENTS)
    mini = with_mini_app(visit_settings(settings))
    slot_index = {slot.id: i for i, slot in enumerate(mini.slots)}
    async with drafted(mini, coordinator):
        desk = client(mini, COORDINATOR_ID)
        marc_visit = visit_of(db_path, marc)
        choices = (await desk.get("drafts/move-choices", visit=marc_visit[0])).json()
        assert slot_index["thu-pm"] in [s["index"] for s in choices["slots"]]
        pairs = (await desk.get("drafts/pair-choices", visit=marc_visit[0], slot=slot_index["thu-pm"])).json()
        offered = [(p["first"], p["second"]) for p in pairs["pairs"]]
        assert offered and all(ABSENT_THURSDAY not in pair for pair in offered)

        before = everything_of_visits(db_path)
        free = next(m for m in range(850, 858) if all(m not in v[3:5] for v in visits_now(db_path)))
        for forged in (
            {"visit": marc_visit[0], "slot": slot_index["thu-pm"], "pair": [free, ABSENT_THURSDAY]},
            {"visit": marc_visit[0], "slot": slot_index["tue-pm"], "pair": [842, 843]},
            {"visit": visit_of(db_path, jeanne, "tue-pm")[0], "target": visit_of(db_path, jeanne, "thu-pm")[0]},
        ):
            refused = await desk.post("drafts/move", forged)
            assert refused.status_code == 409 and refused.json()["error"] == "webapp.error.not_possible", forged
        assert (await desk.post("drafts/move", {"visit": marc_visit[0]})).status_code == 400
        assert everything_of_visits(db_path) == before

        moved = await desk.post(
            "drafts/move", {"visit": marc_visit[0], "slot": slot_index["thu-pm"], "pair": offered[0]}
        )
        assert moved.status_code == 200
        assert visit_of(db_path, marc)[2:5] == ("thu-pm", *sorted(offered[0]))


async def test_the_mini_app_is_served_in_webhook_mode_too_on_its_own_port(
    fake_api: FakeBotApi, db_path: Path, settings: Settings
) -> None:
    port = free_port()
    webhook = settings.telegram.webhook.model_copy(
        update={"url": f"http://127.0.0.1:{port}/telegram", "port": port, "secret_token": SECRET}
    )
    telegram = settings.telegram.model_copy(update={"mode": "webhook", "webhook": webhook})
    mini = with_mini_app(settings.model_copy(update={"telegram": telegram}))
    assert mini.webapp.port != mini.telegram.webhook.port
    async with running(mini), httpx.AsyncClient() as browser:
        page = await browser.get(f"{mini.webapp.public_url}/outing")
        assert page.status_code == 200 and "outing.js" in page.text
        assert (await client(mini, COORDINATOR_ID).get("me")).status_code == 200


async def test_a_question_relayed_from_the_desk_reaches_the_reporter_without_who_asks(
    settings: Settings, fake_api: FakeBotApi, db_path: Path
) -> None:
    mini = with_mini_app(settings)
    async with running(mini):
        reporter = FakeUser(fake_api, 6100, "Nadia")
        reference = await report_from_pin(reporter, says("button.contact_ok"))
        desk = client(mini, COORDINATOR_ID)
        [listed] = (await desk.get("reports")).json()["reports"]
        opened = (await desk.post(f"reports/{listed['id']}/read")).json()["report"]
        assert opened["reference"] == reference and opened["can_ask"] is True and opened["reporter"] == "Nadia"
        for empty in ("", "   ", "?" * 3, "x" * 1001):
            refused = await desk.post(f"reports/{listed['id']}/ask", {"question": empty})
            assert refused.status_code == 400 and refused.json()["error"] == "webapp.error.question"
        asked = await desk.post(f"reports/{listed['id']}/ask", {"question": "Depuis quand les volets sont fermés ?"})
        assert asked.status_code == 200
        told = await reporter.expect(
            says("report.question_to_reporter", question="Depuis quand les volets sont fermés ?")
        )
        assert "Claire" not in told.text and str(COORDINATOR_ID) not in told.text


async def test_a_port_already_taken_stops_the_bot_with_one_line_naming_the_setting(
    fake_api: FakeBotApi, settings: Settings
) -> None:
    mini = with_mini_app(settings)
    with socket.socket() as taken:
        taken.bind((mini.webapp.listen, mini.webapp.port))
        taken.listen()
        with pytest.raises(ConfigError) as refused:
            async with running(mini):
                pass
    assert says("webapp.cannot_listen", port=mini.webapp.port).found_in(refused.value.render(translator("en")), "en")
