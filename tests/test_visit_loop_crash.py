"""The visit loop under SIGKILL: the bot killed at any moment after Publish, after "Can't go", after an open
call's acceptance or after an erasure, then started again, leaves nobody untold and nothing done twice.

Each step writes its state change and every notice it owes in one transaction, so a kill leaves either
nothing (the press is replayed and does it all) or everything (the replayed press finds it done and says so
as the first did). The kill lands at a precise step by holding the fake Bot API's answer to a call (the
bot's reply to the press: the step is committed, the update not yet marked done), or after a delay from the
press (0 to 200 ms: before, during or after the transaction).

Volunteers' chats are held until the kill, so what reaches them is counted exactly: each message once. Were
a message accepted by Telegram in the instant before the kill, before the outbox marked it sent, it would be
sent again after the restart: the outbox delivers at least once, never zero times.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.storage.database import Database
from tests.bot_process import BotProcess
from tests.catalogue import DEFAULT_LANGUAGE, says, shows
from tests.conftest import COORDINATOR_ID, rows
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually
from tests.test_flood_control import RESIDENTS, TEAM, as_counted, content, delivered, expected
from tests.test_open_calls import (
    ASKED,
    LEA,
    MARC,
    SAMI,
    jeanne_visits,
    launch_for_jeanne,
    people,
    publish_without_jeanne,
    seed_left_out,
)
from tests.test_visits import HUB, WEEK, count
from tests.town import Member, add_members, seed_town

CONFIG = f"""
[telegram]
max_messages_per_second = 10000
per_chat_interval_s = 0.0
[planning]
time_limit_s = 2.0
[visits]
hub_name = "Maison des associations"
hub_lat = {HUB[0]}
hub_lon = {HUB[1]}
"""
# Where the kill lands: after the step's reply to the press is held (the step committed, the update not
# finished), or so many seconds after the press.
MOMENTS: list[str | float] = ["reply held", 0.0, 0.03, 0.06, 0.1, 0.2]
MEMBERS = [m.id for m in TEAM]
# Free in both half-days, so a pair can be formed again when one member cannot go.
SPARE = Member(830, "Gil", ("tue-pm", "thu-pm"), capacity=4)
DRAFT = says("plan.preview_header", week=10, year=2030, status=says("plan.status.draft"))  # the preview of WEEK
PAIRS = "SELECT DISTINCT first_volunteer, second_volunteer FROM visits WHERE status = 'proposed'"


@pytest.fixture
def crashable(process: BotProcess, tmp_path: Path) -> BotProcess:
    """The bot as a process with the visits' settings: a meeting point, a short planning time."""
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    process.args = ("--config", str(config))
    return process


async def kill_at(moment: str | float, process: BotProcess, api: FakeBotApi, replying_to: int, since: int) -> None:
    """Kill the bot at `moment` after a press: once its reply to `replying_to` hangs (a call to that chat made
    after the `since`-th call of the API), or after a delay."""
    if isinstance(moment, str):
        await eventually(
            lambda: any(int(params.get("chat_id", 0)) == replying_to for _, params in api.calls[since:]),
            "the bot replying to the press",
        )
    else:
        await asyncio.sleep(moment)
    process.kill()
    api.release()


async def cut_off(
    moment: str | float,
    process: BotProcess,
    api: FakeBotApi,
    replying_to: int,
    held: list[int],
    press: Callable[[], object],
) -> None:
    """Hold the `held` chats, press, kill the bot at `moment` (see `kill_at`) and start it again."""
    for chat in held:
        api.hold_messages_to(chat)
    since = len(api.calls)
    press()
    await kill_at(moment, process, api, replying_to, since)
    await process.start()


async def every_notice_delivered(db_path: Path) -> None:
    await eventually(
        lambda: rows(db_path, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_reason IS NULL") == [(0,)],
        "every notice delivered",
        wait_s=90,  # a liveness bound: each chat gets one message a second
    )


def queued(db_path: Path, member: int) -> int:
    return int(str(rows(db_path, f"SELECT COUNT(*) FROM outbox WHERE recipient = {member}")[0][0]))


def outings_queued(db_path: Path, member: int) -> list[set[int]]:
    """The visits of each outing text queued for the member (`visit.pub:<ids>:<member>:text`)."""
    keys = rows(
        db_path, f"SELECT dedup_key FROM outbox WHERE recipient = {member} AND dedup_key LIKE 'visit.pub:%:text'"
    )
    return [{int(i) for i in str(key).split(":")[1].split("-")} for (key,) in keys]


async def published(process: BotProcess, coordinator: FakeUser, db_path: Path) -> None:
    """The town with a spare volunteer, its week planned and published, every outing delivered: the loop's
    next steps start from here."""
    await seed_town(db_path, [*TEAM, SPARE], RESIDENTS)
    await process.start()
    coordinator.send(f"/plan {WEEK}")
    await coordinator.expect(DRAFT)
    coordinator.press(says("plan.publish_button"))
    await coordinator.expect(says("plan.published"))
    await every_notice_delivered(db_path)


@pytest.mark.slow
@pytest.mark.parametrize("moment", MOMENTS)
async def test_a_publication_cut_off_by_sigkill_reaches_every_pair_once_and_the_replayed_press_reports_it(
    moment: str | float, crashable: BotProcess, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await seed_town(db_path, TEAM, RESIDENTS)
    await crashable.start()
    coordinator.send(f"/plan {WEEK}")
    await coordinator.expect(DRAFT)

    await cut_off(
        moment,
        crashable,
        fake_api,
        COORDINATOR_ID,
        [*MEMBERS, *([COORDINATOR_ID] if moment == "reply held" else [])],
        lambda: coordinator.press(says("plan.publish_button")),
    )

    # The press is replayed when it was not finished: the coordinator reads that the week is published,
    # never that it is gone.
    await coordinator.expect(says("plan.published"))
    assert count(fake_api, COORDINATOR_ID, says("plan.gone")) == 0
    assert rows(db_path, "SELECT status FROM week_plans") == [("published",)]
    await every_notice_delivered(db_path)
    for member in MEMBERS:
        assert as_counted(delivered(fake_api, member)) == expected(db_path, member), member


@pytest.mark.slow
@pytest.mark.parametrize("moment", MOMENTS)
async def test_a_cant_go_cut_off_by_sigkill_is_repaired_and_told_once_to_the_partner_and_the_coordinator(
    moment: str | float, crashable: BotProcess, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await published(crashable, coordinator, db_path)
    visit, slot, first, second = rows(
        db_path, "SELECT id, slot_id, first_volunteer, second_volunteer FROM visits ORDER BY day, id LIMIT 1"
    )[0]
    leaving, partner = FakeUser(fake_api, int(str(second))), int(str(first))
    told_before = count(fake_api, COORDINATOR_ID, says("visit.declined_coordinator"))

    await cut_off(
        moment,
        crashable,
        fake_api,
        leaving.id,
        [*MEMBERS, SPARE.id, COORDINATOR_ID],
        lambda: leaving.press_data(f"vis:nok:{visit}"),
    )

    # The volunteer's press is answered as the first time, never "no longer open".
    await leaving.expect(says("visit.declined"))
    assert count(fake_api, leaving.id, says("visit.not_open")) == 0
    await every_notice_delivered(db_path)
    # The partner and the coordinator hear of it once; the one who left has no visit left in that half-day.
    assert count(fake_api, partner, says("visit.declined_partner")) == 1
    assert count(fake_api, COORDINATOR_ID, says("visit.declined_coordinator")) == told_before + 1
    theirs = f"slot_id = '{slot}' AND {leaving.id} IN (first_volunteer, second_volunteer)"
    assert (
        rows(db_path, f"SELECT DISTINCT status FROM visits WHERE {theirs} AND status IN ('proposed', 'confirmed')")
        == []
    )
    # The repair happened: the visits lost were given to another pair, who got the outing; nobody missed or
    # got twice a message queued for them.
    taken = rows(db_path, "SELECT id, first_volunteer, second_volunteer FROM visits WHERE replaces IS NOT NULL")
    assert taken, "nobody took the visits over"
    for visit_id, *pair in taken:
        for member in pair:
            assert any(int(str(visit_id)) in outing for outing in outings_queued(db_path, int(str(member)))), member
    for member in [*MEMBERS, SPARE.id]:
        if member != leaving.id:
            assert len(delivered(fake_api, member)) == queued(db_path, member), member


async def jeanne_left_out(process: BotProcess, coordinator: FakeUser, db_path: Path) -> None:
    """A week published without Jeanne, then three volunteers free on Thursday who could go to her."""
    await seed_left_out(db_path)
    await process.start()
    await publish_without_jeanne(coordinator, db_path)
    db = Database(db_path)
    await db.open()
    await add_members(db, ASKED)
    await db.close()


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["reply held", 0.02])
async def test_an_open_call_launched_as_the_bot_is_killed_asks_each_volunteer_once_and_is_launched_once(
    moment: str | float, crashable: BotProcess, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await jeanne_left_out(crashable, coordinator, db_path)
    coordinator.press(says("opencall.board_button"))
    await coordinator.expect(says("opencall.uncovered", name="Jeanne Martin", count=1))

    await cut_off(
        moment,
        crashable,
        fake_api,
        COORDINATOR_ID,
        [*(m.id for m in ASKED), COORDINATOR_ID],
        lambda: coordinator.press(says("opencall.call_button", name="Jeanne Martin")),
    )

    # The replayed press finds the call out (or, killed before it, launches it).
    launched, under_way = says("opencall.launched", count=3), says("opencall.refused.not_needed")
    await eventually(
        lambda: any(
            coordinator.shown(s.text, launched) or coordinator.shown(s.text, under_way)
            for s in coordinator.new_messages()
        ),
        "the call launched, or found under way",
    )
    await every_notice_delivered(db_path)
    assert rows(db_path, "SELECT COUNT(*) FROM open_calls") == [(1,)]
    for volunteer in ASKED:
        assert count(fake_api, volunteer.id, says("opencall.ask")) == 1, volunteer.name


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["reply held", 0.05])
async def test_an_open_call_taken_as_the_bot_is_killed_gives_the_pair_their_outing_once_and_tells_the_others(
    moment: str | float, crashable: BotProcess, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await jeanne_left_out(crashable, coordinator, db_path)
    await launch_for_jeanne(coordinator, db_path)
    asked = people(fake_api, ASKED)
    await every_notice_delivered(db_path)
    asked[SAMI].press(says("opencall.yes_button"))
    await asked[SAMI].expect(says("opencall.answer.held"))

    # Léa's yes completes the pair (Sami, a service civique member, waits for an experienced partner).
    await cut_off(
        moment,
        crashable,
        fake_api,
        LEA,
        [*asked, COORDINATOR_ID],
        lambda: asked[LEA].press(says("opencall.yes_button")),
    )

    await asked[LEA].expect(says("opencall.answer.filled"))
    await every_notice_delivered(db_path)
    assert jeanne_visits(db_path) == [("thu-pm", LEA, SAMI)]
    asking = says("opencall.ask")
    for member in (LEA, SAMI):
        outing = Counter(
            (m.method, content(m)) for m in delivered(fake_api, member) if not shows(m.text, asking, DEFAULT_LANGUAGE)
        )
        assert outing == expected(db_path, member), member
    assert count(fake_api, MARC, says("opencall.taken")) == 1
    assert count(fake_api, COORDINATOR_ID, says("opencall.filled_coordinator")) == 1


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["reply held", 0.05])
async def test_a_volunteer_erased_as_the_bot_is_killed_leaves_their_outings_to_others_and_every_trace_goes(
    moment: str | float, crashable: BotProcess, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await published(crashable, coordinator, db_path)
    leaving = FakeUser(fake_api, TEAM[0].id, TEAM[0].name)
    partners = {int(str(a if b == leaving.id else b)) for a, b in rows(db_path, PAIRS) if leaving.id in (a, b)}
    assert partners
    leaving.send("/forget")
    await leaving.expect(says("privacy.forget_confirm"))

    await cut_off(
        moment,
        crashable,
        fake_api,
        leaving.id,
        [*MEMBERS, SPARE.id, COORDINATOR_ID],
        lambda: leaving.press(says("button.forget_me")),
    )

    await eventually(
        lambda: rows(db_path, f"SELECT COUNT(*) FROM users WHERE telegram_id = {leaving.id}") == [(0,)], "the erasure"
    )
    await every_notice_delivered(db_path)
    # Every partner hears once that they will be alone; the one erased is in no outing left, nor planned again.
    for partner in partners:
        assert count(fake_api, partner, says("visit.declined_partner")) >= 1, partner
    assert rows(db_path, f"SELECT COUNT(*) FROM visits WHERE {leaving.id} IN (first_volunteer, second_volunteer)") == [
        (0,)
    ]
    assert rows(
        db_path, "SELECT COUNT(*) FROM visits WHERE status IN ('proposed', 'confirmed') AND first_volunteer < 0"
    ) == [(0,)]
    for member in [*MEMBERS, SPARE.id]:
        if member != leaving.id:
            assert len(delivered(fake_api, member)) == queued(db_path, member), member
