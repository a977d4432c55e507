"""A coordinator takes access away with one confirmation (/team): a professional leaves the expert unit, a
volunteer is suspended, reinstated or removed, a caring neighbour is removed from a street. Each change is in
the audit log, the person is told, a volunteer's outings ahead go to others as for a "can't go", and from that
moment their buttons are refused and change nothing (roles are read from the database on every update)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.app import running
from bot.config import Settings
from bot.runtime.inbox import InboxApplication
from tests.catalogue import says
from tests.conftest import COORDINATOR_ID, rows
from tests.desk import open_person
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser
from tests.test_access_table import snapshot
from tests.test_privacy import open_a_file, report_with_note
from tests.test_visits import NAMES, at, fixed_clock, pair_of_week, publish, seed, visit_settings

REFUSED = says("access.refused")


def audited(db_path: Path, action: str) -> list[tuple[object, ...]]:
    return rows(db_path, f"SELECT actor, subject FROM audit_log WHERE action = '{action}'")


async def to_member(coordinator: FakeUser, group: str, count: int, name: str) -> None:
    """/team, the group ("pro", "vol" or "nb") of `count` people, the person's card."""
    coordinator.send("/team")
    await coordinator.expect(says("team.title"))
    coordinator.press(says(f"team.group.{group}", count=count))
    await coordinator.expect(says("team.list", group=says(f"team.name.{group}"), count=count, page=1))
    coordinator.press(name)
    await coordinator.expect(name)


async def test_a_professional_removed_is_told_audited_and_their_old_buttons_and_link_change_nothing(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    coordinator.send("/invitepro")
    invitation = await coordinator.expect(says("coordinator.professional_invitation_until"))
    link = re.search(r"start=(pro-[\w-]+)", invitation.text)
    assert link is not None
    professional = FakeUser(fake_api, 7101, "Dr Roux", "fr")
    professional.send(f"/start {link.group(1)}")
    await professional.expect(says("professional.welcome"))
    reference = await report_with_note(FakeUser(fake_api, 7102, "Odile", "fr"))
    await open_a_file(coordinator, reference, "Madame Roux")
    await open_person(professional, "Madame Roux")

    await to_member(coordinator, "pro", 1, "Dr Roux")
    coordinator.press(says("team.button.rmpro"))
    await coordinator.expect(says("team.confirm.rmpro", name="Dr Roux"))
    coordinator.press(says("team.yes.rmpro"))
    await coordinator.expect(says("team.done.rmpro", name="Dr Roux"))
    await professional.expect(says("access.professional_removed"))
    assert audited(db_path, "professional.removed") == [(COORDINATOR_ID, "user:7101")]

    before = snapshot(db_path)
    professional.press(says("person.edit.consent"))  # a button of the file still on their screen
    await professional.expect_alert(REFUSED)
    professional.press_data("pe:open:1")
    professional.send("/persons")
    await professional.expect(REFUSED)
    professional.send(f"/start {link.group(1)}")  # the link they joined with
    await professional.expect(says("invitation.invalid"))
    assert snapshot(db_path) == before
    assert rows(db_path, "SELECT COUNT(*) FROM professionals") == [(0,)]


def but_the_language_kept(state: dict[str, list[tuple[object, ...]]]) -> dict[str, list[tuple[object, ...]]]:
    """The state without the Telegram language the bot keeps of whoever writes (their notices are written in
    it), the users' last column: a refused press may tell the bot that, and nothing else."""
    return {**state, "users": [row[:-1] for row in state["users"]]}


async def test_a_volunteer_suspended_hands_their_outing_over_and_their_old_buttons_change_nothing(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await seed(db_path, ["tue-pm"], 4)
    async with running(visit_settings(settings), poll_timeout=1) as bot:
        fixed_clock(bot, at(1, 10))
        await publish(coordinator)
        first, second = pair_of_week(db_path)
        leaving, staying = FakeUser(fake_api, first, NAMES[first]), FakeUser(fake_api, second, NAMES[second])
        await leaving.expect_button(says("visit.confirm_button"))
        replacement = FakeUser(fake_api, ({*NAMES} - {first, second}).pop(), "?")

        await to_member(coordinator, "vol", 3, NAMES[first])
        coordinator.press(says("team.button.suspend"))
        await coordinator.expect(says("team.confirm.suspend", name=NAMES[first]))
        coordinator.press(says("team.yes.suspend"))
        await coordinator.expect(says("team.done.suspend", name=NAMES[first]))
        await leaving.expect(says("access.volunteer_suspended"))
        # As for a "can't go": the coordinator and the partner are told, someone else takes the outing.
        await coordinator.expect(
            says("visit.declined_coordinator", volunteer=NAMES[first]), says("visit.decline_line_taken")
        )
        await staying.expect(says("visit.declined_partner", partner=NAMES[first]))
        await replacement.expect(says("visit.outing"), "Jeanne")
        assert audited(db_path, "volunteer.suspended") == [(COORDINATOR_ID, f"user:{first}")]
        assert all(
            first not in pair
            for pair in rows(db_path, "SELECT first_volunteer, second_volunteer FROM visits WHERE status = 'proposed'")
        )

        before = but_the_language_kept(snapshot(db_path))
        leaving.press(says("visit.confirm_button"))  # the outing's button, still on their screen
        await leaving.expect_alert(REFUSED)
        leaving.send("/availability")
        await leaving.expect(REFUSED)
        assert but_the_language_kept(snapshot(db_path)) == before

        await to_member(coordinator, "vol", 3, NAMES[first])
        coordinator.press(says("team.button.reinstate"))
        await coordinator.expect(says("team.confirm.reinstate", name=NAMES[first]))
        coordinator.press(says("team.yes.reinstate"))
        await leaving.expect(says("access.volunteer_reinstated"))
        assert rows(db_path, f"SELECT status FROM volunteers WHERE telegram_id = {first}") == [("approved",)]

        await to_member(coordinator, "vol", 3, NAMES[first])
        coordinator.press(says("team.button.rmvol"))
        await coordinator.expect(says("team.confirm.rmvol", name=NAMES[first]))
        coordinator.press(says("team.yes.rmvol"))
        await coordinator.expect(says("team.done.rmvol", name=NAMES[first]))
        await leaving.expect(says("access.volunteer_removed"))
        leaving.send("/volunteer")
        await leaving.expect(says("volunteer.already_removed"))
        assert rows(db_path, f"SELECT status FROM volunteers WHERE telegram_id = {first}") == [("removed",)]
        assert [action for (action,) in rows(db_path, "SELECT action FROM audit_log WHERE action LIKE 'volunteer.%'")][
            -3:
        ] == ["volunteer.suspended", "volunteer.reinstated", "volunteer.removed"]


async def test_a_caring_neighbour_removed_from_a_street_is_told_and_their_buttons_change_nothing(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    neighbour = FakeUser(fake_api, 7301, "Colette", "fr")
    neighbour.send("/neighbour")
    await neighbour.expect(says("neighbour.ask_street"))
    neighbour.send("republique")
    await neighbour.expect(says("street.pick"))
    neighbour.press("République")
    await neighbour.expect(says("charter.text"))
    neighbour.press(says("button.accept_charter"))
    await neighbour.expect(says("neighbour.registered_main"))
    neighbour.send("/mystreets")
    await neighbour.expect(says("neighbour.my_streets"))
    [(street_id,)] = rows(db_path, "SELECT street_id FROM street_watchers")

    await to_member(coordinator, "nb", 1, "Colette")
    coordinator.press(says("team.remove_from_street", street="Boulevard de la République"))
    await coordinator.expect(says("team.confirm.street", name="Colette", street="Boulevard de la République"))
    coordinator.press(says("team.yes.street"))
    await coordinator.expect(says("team.done.street", name="Colette", street="Boulevard de la République"))
    await neighbour.expect(says("access.neighbour_removed", street="Boulevard de la République"))
    await coordinator.expect(
        says("coordinator.street_uncovered", street="Boulevard de la République")
    )  # nobody now: told as when one leaves
    assert audited(db_path, f"neighbour.removed:street:{street_id}") == [(COORDINATOR_ID, "user:7301")]

    before = snapshot(db_path)
    neighbour.press(says("button.leave_street"))  # a button of /mystreets, still on their screen
    await neighbour.expect_alert(REFUSED)
    neighbour.send("/mystreets")
    await neighbour.expect(REFUSED)
    assert snapshot(db_path) == before
    assert rows(db_path, "SELECT COUNT(*) FROM street_watchers") == [(0,)]
