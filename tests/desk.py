"""What several end-to-end tests do on the way: report from a pin, open a report on the desk, join the
expert unit, open a person's file from a report."""

from __future__ import annotations

import re

from tests.fake_bot_api import Sent
from tests.telegram_users import FakeUser

IN_AGEN = (44.2036, 0.6206)
BORDEAUX = (44.8378, -0.5792)
REFERENCE = re.compile(r"S-\d{4}-\d{4}")


async def report_from_pin(user: FakeUser, *toggles: str) -> str:
    """/report, a pin, a sign, Send: three taps; `toggles` are pressed on the way. Returns the reference."""
    user.send("/report")
    await user.expect("Où vit la personne")
    user.share_location(*IN_AGEN)
    await user.expect("Qu'avez-vous remarqué")
    for label in ("Volets", *toggles):
        user.press(label)
        await user.expect("Qu'avez-vous remarqué")
    user.press("Envoyer")
    return reference_in(await user.expect("est enregistré"))


def reference_in(message: Sent) -> str:
    """The report reference a message gives (S-2026-0042)."""
    found = REFERENCE.search(message.text)
    assert found is not None, message.text
    return found.group(0)


async def open_report(coordinator: FakeUser, reference: str) -> None:
    coordinator.send("/reports")
    await coordinator.expect("Signalements")
    coordinator.press(reference)
    await coordinator.expect(reference, "📍")


async def join_expert_unit(coordinator: FakeUser, professional: FakeUser) -> None:
    coordinator.send("/invitepro")
    invitation = await coordinator.expect("invitation")
    code = re.search(r"start=(pro-[\w-]+)", invitation.text)
    assert code is not None
    professional.send(f"/start {code.group(1)}")
    await professional.expect("cellule d'experts")


async def file_from_report(coordinator: FakeUser, reporter: FakeUser, name: str, *toggles: str) -> str:
    """A report from a pin turned into a person's file by the coordinator; returns the report's reference."""
    reference = await report_from_pin(reporter, *toggles)
    await open_report(coordinator, reference)
    coordinator.press("Ouvrir une fiche")
    await coordinator.expect("Nom de la personne")
    coordinator.send(name)
    await coordinator.expect("Fiche ouverte pour")
    return reference


async def open_person(user: FakeUser, name: str) -> None:
    """/persons, then the file of `name`."""
    user.send("/persons")
    await user.expect("Personnes suivies")
    user.press(name)
    await user.expect(name, "Consentement")


async def apply_as_volunteer(applicant: FakeUser) -> Sent:
    """Apply as a bénévole from /volunteer through the charter; returns the answer to the application."""
    applicant.send("/volunteer")
    await applicant.expect("Vous êtes")
    applicant.press("Bénévole")
    await applicant.expect("charte")
    applicant.press("J'accepte")
    return await applicant.expect("candidature")
