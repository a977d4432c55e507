"""The coordinator edits a draft from the /plan preview, end to end through the fake Bot API: a visit moved to
a new pair in its slot, then another visit moved into that pair's outing; only choices that keep the
planning rules are offered, each step has Back, forged presses change nothing, the outings touched are routed
again, and the pairs get the edited week at publication. Another volunteer swapped into a pair meets where
planning would have them meet, not at the home of the one who left."""

from __future__ import annotations

from pathlib import Path

from bot.app import database_of
from bot.config import Settings
from tests.catalogue import says
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi, Sent
from tests.telegram_users import FakeUser
from tests.test_visits import HUB, visit_settings
from tests.town import Member, Resident, drafted, seed_town

TUE, THU = ("tue-pm",), ("thu-pm",)
# Tuesday: two experienced members with room for one visit each, a service civique member and a newcomer
# (who may not go together). Thursday: eight experienced members, and one absent that day.
TEAM = [
    Member(840, "Ada", TUE, capacity=1),
    Member(841, "Bea", TUE, capacity=1),
    Member(842, "Eve", TUE, kind="service_civique", experienced=False),
    Member(843, "Flo", TUE, experienced=False),
    *(Member(850 + i, name, THU) for i, name in enumerate(("Cyr", "Dan", "Hal", "Ivo", "Jon", "Kim", "Lou", "Max"))),
    Member(860, "Gus", THU, absent_on="2030-03-07"),
]
NAMES = {m.id: m.name for m in TEAM}
ABSENT_THURSDAY = 860
RESIDENTS = [
    Resident("Jeanne Martin", "12 rue Voltaire", (44.2045, 0.6175), 8),  # Tuesday and Thursday
    Resident("Marc Petit", "3 place Wilson", (44.2030, 0.6160)),
    Resident("Rose Blanc", "8 rue Molinier", (44.2038, 0.6168)),
]


Visit = tuple[int, int, str, int, int, int, str]
"""An active visit: id, person, slot, first and second member, position in the route, arrival."""


def visits_now(db_path: Path) -> list[Visit]:
    found = rows(
        db_path,
        "SELECT id, person_id, slot_id, first_volunteer, second_volunteer, position, arrival FROM visits "
        "WHERE status = 'proposed' ORDER BY slot_id, first_volunteer, second_volunteer, position",
    )
    return [
        (int(str(a)), int(str(b)), str(c), int(str(d)), int(str(e)), int(str(f)), str(g))
        for a, b, c, d, e, f, g in found
    ]


def visit_of(db_path: Path, person: int, slot: str | None = None) -> Visit:
    return next(v for v in visits_now(db_path) if v[1] == person and slot in (None, v[2]))


def outing_of(db_path: Path, visit: Visit) -> list[Visit]:
    return [v for v in visits_now(db_path) if v[2:5] == visit[2:5]]


def plan_id_of(db_path: Path) -> int:
    return int(str(rows(db_path, "SELECT id FROM week_plans")[0][0]))


def data_of(message: Sent) -> list[str]:
    return [b["callback_data"] for b in message.buttons() if "callback_data" in b]


def choose(user: FakeUser, message: Sent, data: str) -> None:
    """Press a button the bot offered (not a forged one)."""
    assert data in data_of(message), (data, data_of(message))
    user.press_data(data, message.message_id)


def everything(db_path: Path) -> list[tuple[object, ...]]:
    return rows(db_path, "SELECT * FROM visits ORDER BY id")


async def open_move(coordinator: FakeUser, db_path: Path, visit: Visit, name: str) -> Sent:
    """Move a visit: its outing, then the visit; returns where the visit may go."""
    coordinator.press(says("plan.move_button"))
    outings = await coordinator.expect(says("plan.move_which_outing"))
    choose(coordinator, outings, f"mv:vis:{outing_of(db_path, visit)[0][0]}")
    which = await coordinator.expect(says("plan.move_which_visit"))
    choose(coordinator, which, f"mv:pick:{visit[0]}")
    return await coordinator.expect(says("plan.move_where", name=name))


def routed_in_order(outing: list[Visit]) -> bool:
    """Positions 1, 2, ... and the times to ring in that order: the outing was routed as a whole."""
    positions = [v[5] for v in outing]
    return positions == list(range(1, len(outing) + 1)) and [v[6] for v in outing] == sorted(v[6] for v in outing)


async def test_a_visit_is_moved_to_a_new_pair_and_another_into_its_outing_with_only_valid_choices_offered(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    jeanne, marc, rose = await seed_town(db_path, TEAM, RESIDENTS)
    slot_index = {slot.id: i for i, slot in enumerate(settings.slots)}
    async with drafted(visit_settings(settings), coordinator):
        plan_id = plan_id_of(db_path)

        # Move a visit: which outing (Back goes to the preview), which visit (Back to the outings).
        coordinator.press(says("plan.move_button"))
        outings = await coordinator.expect(says("plan.move_which_outing"))
        choose(coordinator, outings, f"pl:show:{plan_id}")
        await coordinator.expect(says("plan.preview_header", week=10, year=2030))
        coordinator.press(says("plan.move_button"))
        outings = await coordinator.expect(says("plan.move_which_outing"))
        marc_visit = visit_of(db_path, marc)  # Tuesday or Thursday, as the planner chose
        first_of_marcs = outing_of(db_path, marc_visit)[0][0]
        choose(coordinator, outings, f"mv:vis:{first_of_marcs}")
        which = await coordinator.expect(says("plan.move_which_visit"))
        assert "Marc Petit" in str(which.buttons())
        choose(coordinator, which, f"mv:out:{plan_id}")
        outings = await coordinator.expect(says("plan.move_which_outing"))
        choose(coordinator, outings, f"mv:vis:{first_of_marcs}")
        which = await coordinator.expect(says("plan.move_which_visit"))
        choose(coordinator, which, f"mv:pick:{marc_visit[0]}")
        where = await coordinator.expect(says("plan.move_where", name="Marc Petit"))

        # Thursday has members free for a new pair; Back leads to the visits of the outing.
        thursday = f"mv:sl:{marc_visit[0]}:{slot_index['thu-pm']}"
        assert thursday in data_of(where) and f"mv:vis:{marc_visit[0]}" in data_of(where)
        choose(coordinator, where, thursday)
        pairs = await coordinator.expect(says("plan.move_which_pair", name="Marc Petit"))
        alone = len(outing_of(db_path, marc_visit)) == 1
        out_thursday = {
            m for v in visits_now(db_path) if v[2] == "thu-pm" and not (alone and v[0] == marc_visit[0]) for m in v[3:5]
        }
        offered_pairs = [tuple(int(x) for x in d.split(":")[4:]) for d in data_of(pairs) if d.startswith("mv:np:")]
        assert offered_pairs, "two Thursday members at least are free"
        for pair in offered_pairs:
            assert ABSENT_THURSDAY not in pair and not set(pair) & out_thursday, pair
            assert ("thu-pm", *sorted(pair)) != marc_visit[2:5]
        choose(coordinator, pairs, f"mv:pick:{marc_visit[0]}")  # Back to where the visit may go
        where = await coordinator.expect(says("plan.move_where", name="Marc Petit"))
        choose(coordinator, where, thursday)
        pairs = await coordinator.expect(says("plan.move_which_pair", name="Marc Petit"))

        # Forged presses: an absent member, two who may not go together, Jeanne visited twice on Thursday,
        # a visit "moved" into its own outing. Each is refused and changes nothing.
        before = everything(db_path)
        free_thursday = next(m for m in range(850, 858) if m not in out_thursday)
        jeanne_tue, jeanne_thu = visit_of(db_path, jeanne, "tue-pm"), visit_of(db_path, jeanne, "thu-pm")
        for forged in (
            f"mv:np:{marc_visit[0]}:{slot_index['thu-pm']}:{free_thursday}:{ABSENT_THURSDAY}",
            f"mv:np:{marc_visit[0]}:{slot_index['tue-pm']}:842:843",
            f"mv:to:{jeanne_tue[0]}:{jeanne_thu[0]}",
            f"mv:to:{marc_visit[0]}:{marc_visit[0]}",
        ):
            coordinator.press_data(forged)
            await coordinator.expect(says("plan.move_refused"))
        assert everything(db_path) == before

        # The first pair offered takes Marc's visit; both outings are routed again from the hub.
        coming = offered_pairs[0]
        choose(coordinator, pairs, f"mv:np:{marc_visit[0]}:{slot_index['thu-pm']}:{coming[0]}:{coming[1]}")
        await coordinator.expect(says("plan.preview_header", week=10, year=2030), NAMES[coming[0]], "Marc Petit")
        moved = visit_of(db_path, marc)
        assert moved[2:5] == ("thu-pm", *sorted(coming)) and moved[5] == 1
        assert routed_in_order([v for v in visits_now(db_path) if v[2:5] == marc_visit[2:5]])
        assert rows(db_path, f"SELECT status FROM visits WHERE id = {marc_visit[0]}") == [("replaced",)]

        # Rose's visit into the new outing: it is offered, and taken.
        rose_visit = visit_of(db_path, rose)
        where = await open_move(coordinator, db_path, rose_visit, "Rose Blanc")
        choose(coordinator, where, f"mv:to:{rose_visit[0]}:{moved[0]}")
        await coordinator.expect(says("plan.preview_header", week=10, year=2030), "Rose Blanc")
        together = outing_of(db_path, visit_of(db_path, marc))
        assert sorted(v[1] for v in together) == sorted([marc, rose]) and routed_in_order(together)
        meeting = f"SELECT DISTINCT meet_lat, meet_lon, meet_host FROM visits WHERE person_id IN ({marc}, {rose})"
        assert rows(db_path, f"{meeting} AND status = 'proposed'") == [(*HUB, None)]
        assert len(visits_now(db_path)) == 4  # Jeanne twice, Marc, Rose: nothing lost, nothing doubled

        # Published, the edited week reaches the pair that now makes both visits.
        coordinator.press(says("plan.publish_button"))
        await coordinator.expect(says("plan.published", sent=says("plan.visits_sent", count=4)))
        member = FakeUser(fake_api, coming[0], NAMES[coming[0]])
        told = await member.expect(says("visit.outing", partner=NAMES[coming[1]]), "Marc", "Rose")
        assert "place Wilson" in told.text and "rue Molinier" in told.text


async def test_a_volunteer_swapped_in_meets_where_planning_would_have_them_meet(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    # No hub: a pair meets at the home of the member with less walking. Bea lives by the doors, Ada a few
    # streets away, Cyr further still.
    team = [
        Member(870, "Ada", TUE, home=(44.2075, 0.6200)),
        Member(871, "Bea", TUE, home=(44.2036, 0.6166)),
        Member(872, "Cyr", TUE, home=(44.1965, 0.6105)),
    ]
    homes, names = {m.id: m.home for m in team}, {m.id: m.name for m in team}
    await seed_town(db_path, team, RESIDENTS[1:])
    async with drafted(settings, coordinator):
        outing = visits_now(db_path)
        pair = {outing[0][3], outing[0][4]}
        host = rows(db_path, "SELECT DISTINCT meet_host FROM visits")[0][0]
        assert host in pair
        leaving = int(str(host))
        staying, spare = (pair - {leaving}).pop(), ({870, 871, 872} - pair).pop()

        coordinator.press(says("plan.swap_button"))
        outings = await coordinator.expect(says("plan.swap_which_outing"))
        choose(coordinator, outings, f"pl:sw1:{outing[0][0]}")
        who = await coordinator.expect(says("plan.swap_who_leaves"))
        choose(coordinator, who, f"pl:sw2:{outing[0][0]}:{leaving}")
        comes = await coordinator.expect(says("plan.swap_who_comes"))
        assert [d for d in data_of(comes) if d.startswith("pl:sw3:")] == [f"pl:sw3:{outing[0][0]}:{leaving}:{spare}"]
        before = everything(db_path)
        coordinator.press_data(f"pl:sw3:{outing[0][0]}:{leaving}:{leaving}")  # forged: no one new
        await coordinator.expect(says("plan.swap_refused"))
        assert everything(db_path) == before
        choose(coordinator, comes, f"pl:sw3:{outing[0][0]}:{leaving}:{spare}")
        await coordinator.expect(says("plan.preview_header", week=10, year=2030), names[spare])

        meeting = rows(db_path, "SELECT DISTINCT meet_lat, meet_lon, meet_host FROM visits WHERE status = 'proposed'")
        assert len(meeting) == 1
        lat, lon, new_host = meeting[0]
        assert new_host in {staying, spare} and new_host != leaving
        assert (lat, lon) == homes[int(str(new_host))]
        # Bea's home is nearer the doors than Ada's and Cyr's: she hosts whenever she is in the pair.
        assert new_host == (871 if 871 in {staying, spare} else 870)
        assert routed_in_order(visits_now(db_path))

        coordinator.press(says("plan.publish_button"))
        await coordinator.expect(says("plan.published", sent=says("plan.visits_sent", count=2)))
        guest = ({staying, spare} - {int(str(new_host))}).pop()
        await FakeUser(fake_api, guest).expect(
            says("visit.outing", meeting=says("visit.meet_partner_street", partner=names[int(str(new_host))]))
        )
        await FakeUser(fake_api, int(str(new_host))).expect(says("visit.outing", meeting=says("visit.meet_your_home")))


async def test_a_draft_the_week_no_longer_allows_is_to_be_re_run_not_edited(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await seed_town(db_path, TEAM, RESIDENTS)
    async with drafted(visit_settings(settings), coordinator) as bot:
        visit = visits_now(db_path)[0]
        # A member of the first outing pauses since, written through the bot's connection: another one would
        # wait on the bot's transactions with the event loop blocked.
        async with database_of(bot).transaction() as tx:
            await tx.execute("UPDATE volunteer_profiles SET paused = 1 WHERE telegram_id = ?", (visit[3],))
        before = everything(db_path)
        coordinator.press(says("plan.move_button"))
        outings = await coordinator.expect(says("plan.move_which_outing"))
        choose(coordinator, outings, f"mv:vis:{visit[0]}")
        which = await coordinator.expect(says("plan.move_which_visit"))
        choose(coordinator, which, f"mv:pick:{visit[0]}")  # checked against the week as stored now
        told = await coordinator.expect(says("plan.outdated"))
        assert everything(db_path) == before
        choose(coordinator, told, f"pl:rerun:{plan_id_of(db_path)}")
        await coordinator.expect(says("plan.preview_header", week=10, year=2030, status=says("plan.status.draft")))
        assert all(visit[3] not in v[3:5] for v in visits_now(db_path))
