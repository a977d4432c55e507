"""Sentences agree with the people they speak to or of: a person's file says "suivie" of Madame, "suivi" of
Monsieur, and words that need no agreement of someone called by first name; a volunteer who said she is a
woman reads her notices in the feminine, one who said nothing reads words that need no agreement."""

from __future__ import annotations

from pathlib import Path

from bot.app import running
from bot.config import Settings
from bot.runtime.inbox import InboxApplication
from tests.catalogue import says, text_of
from tests.command_line import command
from tests.conftest import rows
from tests.desk import file_from_report, open_person
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser
from tests.test_removing_access import to_member
from tests.test_visits import NAMES, at, fixed_clock, publish, seed, visit_settings


async def address_as(coordinator: FakeUser, name: str, form: str) -> None:
    """On the file of `name`: Civilité, then Madame, Monsieur or by first name."""
    coordinator.press(says("person.edit.called"))
    await coordinator.expect(says("person.screen.called", name=name))
    coordinator.press(says(f"person.called.{form}"))
    await coordinator.expect(says("person.file", name=name, called=says(f"person.called.{form}")))


async def test_the_file_of_madame_or_monsieur_agrees_and_by_first_name_needs_no_agreement(
    clocked_bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await file_from_report(coordinator, FakeUser(fake_api, 3001, "Jeanne", "fr"), "Germaine Delmas")
    await open_person(coordinator, "Germaine Delmas")
    shown = await coordinator.expect(says("person.file", called=says("person.called_unknown")))
    assert coordinator.shown(shown.text, says("person.file", status=says("person.status.active")))

    await address_as(coordinator, "Germaine Delmas", "madame")
    feminine = says("person.status.active", about="feminine")
    await coordinator.expect(says("person.file", status=feminine))
    coordinator.press(says("person.edit.visitors"))
    screen = await coordinator.expect(says("person.screen.gender", name="Germaine Delmas", about="feminine"))
    assert "préfère-t-elle être visitée" in screen.text
    satisfied = text_of("fr", "person.satisfaction.4", about="feminine")
    coordinator.press(says("button.back"))
    await coordinator.expect(says("person.file"))
    coordinator.press(says("person.edit.satisfaction"))
    asked = await coordinator.expect(says("person.screen.satisf", about="feminine"))
    assert satisfied in [button["text"] for button in asked.buttons()]
    coordinator.press(satisfied)
    await coordinator.expect(says("person.file", satisfaction=says("person.satisfaction_asked", level=satisfied)))

    await address_as(coordinator, "Germaine Delmas", "monsieur")
    await coordinator.expect(says("person.file", status=says("person.status.active", about="masculine")))
    coordinator.press(says("person.edit.consent"))
    await coordinator.expect(says("person.screen.consent", name="Germaine Delmas", about="masculine"))
    coordinator.press(says("button.back"))
    await coordinator.expect(says("person.file", status=says("person.status.active", about="masculine")))

    await address_as(coordinator, "Germaine Delmas", "first_name")
    neutral = await coordinator.expect(says("person.file", status=says("person.status.active")))
    assert not coordinator.shown(neutral.text, feminine) and "suivi en cours" in neutral.text
    coordinator.press(says("person.edit.visitors"))
    await coordinator.expect(says("person.screen.gender", name="Germaine Delmas"))

    assert rows(db_path, "SELECT address_as FROM persons") == [("first_name",)]
    changes = rows(db_path, "SELECT action FROM audit_log WHERE action = 'person.changed:address_as'")
    assert len(changes) == 3


def test_a_persons_file_names_how_each_one_is_addressed(db_path: Path, tmp_path: Path) -> None:
    persons = tmp_path / "personnes.csv"
    persons.write_text(
        "nom;prénom;adresse;civilité\n"
        "Delmas;Germaine;14 rue Paganel;Mme\n"
        "Roussel;Marcel;3 place du Pin;Monsieur\n"
        "Vidal;Lucie;5 rue Paganel;prénom\n"
        "Blanc;Jean;7 rue Paganel;\n",
        encoding="utf-8",
    )
    done = command(db_path, "import-persons", str(persons), "--apply")
    assert done.returncode == 0, done.stdout + done.stderr
    assert rows(db_path, "SELECT name, address_as FROM persons ORDER BY id") == [
        ("Germaine Delmas", "madame"),
        ("Marcel Roussel", "monsieur"),
        ("Lucie Vidal", "first_name"),
        ("Jean Blanc", None),
    ]
    persons.write_text("nom;prénom;adresse;civilité\nDelmas;Germaine;14 rue Paganel;Duchesse\n", encoding="utf-8")
    refused = command(db_path, "import-persons", str(persons))
    assert refused.returncode == 1
    assert text_of("fr", "import.reason.bad_address_as", value="Duchesse") in refused.stdout


async def test_a_volunteer_who_said_she_is_a_woman_is_welcomed_back_in_the_feminine(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await seed(db_path, ["tue-pm"], 4)
    anne, paul = sorted(NAMES)[:2]
    async with running(visit_settings(settings), poll_timeout=1) as bot:
        fixed_clock(bot, at(1, 10))
        await publish(coordinator)
        her = FakeUser(fake_api, anne, NAMES[anne])
        her.send("/profile")
        await her.expect(says("profile.menu"))
        her.press(says("button.profile_gender"))
        await her.expect(says("profile.gender"))
        her.press(says("profile.gender.f"))
        await her.expect(says("profile.menu", gender=says("profile.gender.f")))

        for volunteer in (anne, paul):
            name = NAMES[volunteer]
            await to_member(coordinator, "vol", 3, name)
            coordinator.press(says("team.button.suspend"))
            await coordinator.expect(says("team.confirm.suspend", name=name))
            coordinator.press(says("team.yes.suspend"))
            await coordinator.expect(says("team.done.suspend", name=name))
            await to_member(coordinator, "vol", 3, name)
            coordinator.press(says("team.button.reinstate"))
            await coordinator.expect(says("team.confirm.reinstate", name=name))
            coordinator.press(says("team.yes.reinstate"))
            await coordinator.expect(says("team.done.reinstate", name=name))

        await her.expect(says("access.volunteer_reinstated", about="feminine"))
        assert "la bienvenue" in text_of("fr", "access.volunteer_reinstated", about="feminine")
        him = FakeUser(fake_api, paul, NAMES[paul])
        welcomed = await him.expect(says("access.volunteer_reinstated"))
        assert "bienvenu" not in welcomed.text  # he said nothing: words that need no agreement
