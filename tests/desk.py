"""What several end-to-end tests do on the way: report from a pin, open a report on the desk, join the
expert unit, open a person's file from a report."""

from __future__ import annotations

import re

from tests.catalogue import Fragment, says
from tests.fake_bot_api import Sent
from tests.telegram_users import FakeUser

IN_AGEN = (44.2036, 0.6206)
BORDEAUX = (44.8378, -0.5792)
REFERENCE = re.compile(r"S-\d{4}-\d{4}")


async def report_from_pin(user: FakeUser, *toggles: Fragment) -> str:
    """/report, a pin, a sign, Send: three taps; `toggles` are pressed on the way (the details opened for
    those among them). Returns the reference."""
    await draft_from_pin(user, *toggles)
    user.press(says("button.send_report"))
    return reference_in(await user.expect(says("report.sent")))


async def draft_from_pin(user: FakeUser, *toggles: Fragment) -> None:
    """A report from a pin, ready to send: /report, a pin, a sign and the `toggles`."""
    user.send("/report")
    await user.expect(says("report.ask_where"))
    user.share_location(*IN_AGEN)
    await user.expect(says("report.ask_signs"))
    for label in (says("sign.shutters"), *toggles):
        await tick(user, label)


async def tick(user: FakeUser, label: Fragment) -> None:
    """Press a sign or a detail of the report on the screen shown, opening the details when it is there."""
    if not any(user.shown(button["text"], label) for button in user.screen().buttons()):
        user.press(says("button.more_details"))
        await user.expect(says("report.details"))
    user.press(label)
    await user.expect_button(label)


def reference_in(message: Sent) -> str:
    """The report reference a message gives (S-2026-0042)."""
    found = REFERENCE.search(message.text)
    assert found is not None, message.text
    return found.group(0)


async def open_report(coordinator: FakeUser, reference: str) -> None:
    coordinator.send("/reports")
    await coordinator.expect(says("triage.list_header"))
    coordinator.press(reference)
    await coordinator.expect(says("triage.card"), reference)


async def join_expert_unit(coordinator: FakeUser, professional: FakeUser) -> None:
    coordinator.send("/invitepro")
    invitation = await coordinator.expect(says("coordinator.professional_invitation_until"))
    code = re.search(r"start=(pro-[\w-]+)", invitation.text)
    assert code is not None
    professional.send(f"/start {code.group(1)}")
    await professional.expect(says("professional.welcome"))


async def file_from_report(coordinator: FakeUser, reporter: FakeUser, name: str, *toggles: Fragment) -> str:
    """A report from a pin turned into a person's file by the coordinator; returns the report's reference."""
    reference = await report_from_pin(reporter, *toggles)
    await open_report(coordinator, reference)
    coordinator.press(says("button.open_file"))
    await coordinator.expect(says("triage.ask_name"))
    coordinator.send(name)
    await coordinator.expect(says("triage.file_opened", name=name))
    return reference


async def open_person(user: FakeUser, name: str) -> None:
    """/persons, then the file of `name`."""
    user.send("/persons")
    await user.expect(says("persons.list_header"))
    user.press(name)
    await user.expect(says("person.file", name=name))


async def apply_as_volunteer(applicant: FakeUser, answer: str = "volunteer.applied") -> Sent:
    """Apply as a bénévole from /volunteer through the charter; returns the answer to the application (the
    catalogue's `answer`)."""
    applicant.send("/volunteer")
    await applicant.expect(says("volunteer.ask_kind"))
    applicant.press(says("volunteer.kind.benevole"))
    await applicant.expect(says("charter.text"))
    applicant.press(says("button.accept_charter"))
    return await applicant.expect(says(answer))
