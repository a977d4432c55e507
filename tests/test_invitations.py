"""Invitation links are proofs: the database keeps only their hashes, so a copy of it lets nobody in; each works
once, for the configured days; a coordinator lists the ones pending, revokes them, and gives an imported
volunteer a new link. Codes an older version kept in clear are hashed, and those older than a week expire."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import pytest

from bot.app import running
from bot.config import Settings
from bot.storage import database
from bot.storage.database import Database, _migrations
from tests.catalogue import says
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi
from tests.stored_data import LOCK_WAIT_S, raw_bytes
from tests.telegram_users import FakeUser
from tests.test_imports import VOLUNTEERS

INVITATION_MIGRATION = 131
LINK = re.compile(r"start=((?:pro|vol)-[\w-]+)")


def hash_code(code: str) -> str:
    """What the database keeps of a code: its SHA-256."""
    return hashlib.sha256(code.encode()).hexdigest()


def links_in(text: str) -> list[str]:
    return LINK.findall(text)


async def invite_professional(coordinator: FakeUser) -> str:
    coordinator.send("/invitepro")
    found = links_in((await coordinator.expect(says("coordinator.professional_invitation_until"))).text)
    assert len(found) == 1
    return found[0]


async def import_volunteers(coordinator: FakeUser) -> dict[str, str]:
    """The example file sent to the bot and imported: each new volunteer's link, shown this once."""
    coordinator.send_document("benevoles.csv", VOLUNTEERS.read_bytes())
    await coordinator.expect(says("import.summary.counts", created=6))
    coordinator.press(says("button.import_apply"))
    shown = await coordinator.expect(says("import.links_once", count=6))
    return {
        line.split(" : ")[0].removeprefix("• "): links_in(line)[0]
        for line in shown.text.splitlines()
        if "start=" in line
    }


def short_lived(settings: Settings, days: int) -> Settings:
    return settings.model_copy(update={"invitations": settings.invitations.model_copy(update={"valid_days": days})})


async def test_a_copy_of_the_database_holds_no_invitation_code(
    bot: object, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    professional = await invite_professional(coordinator)
    volunteers = await import_volunteers(coordinator)
    stored = raw_bytes(db_path)
    for link in [professional, *volunteers.values()]:
        code = link.split("-", 1)[1]
        assert code.encode() not in stored, link
    assert rows(db_path, "SELECT code_hash FROM invitations") == [(hash_code(professional.removeprefix("pro-")),)]


async def test_links_expire_after_the_configured_days(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    async with running(short_lived(settings, 3), poll_timeout=1):
        professional = await invite_professional(coordinator)
        volunteers = await import_volunteers(coordinator)
        lifetimes = rows(
            db_path,
            "SELECT julianday(expires_at) - julianday(created_at) FROM invitations UNION ALL "
            "SELECT julianday(expires_at) - julianday(imported_at) FROM volunteer_invitations",
        )
        assert all(abs(float(str(days)) - 3) < 0.01 for (days,) in lifetimes), lifetimes
        # Four days later.
        with sqlite3.connect(db_path, timeout=LOCK_WAIT_S) as conn:
            for table in ("invitations", "volunteer_invitations"):
                conn.execute(f"UPDATE {table} SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day')")
        late = FakeUser(fake_api, 6101, "Tardif", "fr")
        late.send(f"/start {professional}")
        await late.expect(says("invitation.invalid"))
        late.send(f"/start {volunteers['Sami Benali']}")
        await late.expect(says("invitation.invalid"))
        late.press_data(f"vi:ok:{volunteers['Sami Benali'].removeprefix('vol-')}")
        await late.expect(says("invitation.invalid"))
    assert rows(db_path, "SELECT COUNT(*) FROM professionals") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM volunteers") == [(0,)]


async def test_a_professional_link_works_once(
    bot: object, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    link = await invite_professional(coordinator)
    first, second = FakeUser(fake_api, 6201, "Dr Roux", "fr"), FakeUser(fake_api, 6202, "Dr Vidal", "fr")
    first.send(f"/start {link}")
    await first.expect(says("professional.welcome"))
    second.send(f"/start {link}")
    await second.expect(says("invitation.invalid"))
    assert rows(db_path, "SELECT telegram_id FROM professionals") == [(6201,)]


async def test_a_coordinator_lists_pending_invitations_revokes_them_and_gives_a_new_link(
    bot: object, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    professional = await invite_professional(coordinator)
    volunteers = await import_volunteers(coordinator)
    coordinator.send("/invitations")
    listed = await coordinator.expect(says("invitations.title", count=7))
    assert coordinator.shown(listed.text, says("invitations.professional_line", by="Claire"))
    benevole = says("volunteer.kind.benevole")
    assert coordinator.shown(listed.text, says("invitations.volunteer_line", name="Sami Benali", kind=benevole))

    coordinator.press(says("invitations.revoke_professional_button"))
    await coordinator.expect(says("invitations.revoked"), says("invitations.title", count=6))
    stranger = FakeUser(fake_api, 6301, "Hugo", "fr")
    stranger.send(f"/start {professional}")
    await stranger.expect(says("invitation.invalid"))

    coordinator.press("🔗 Sami Benali")
    renewed = await coordinator.expect(says("invitations.new_link", name="Sami Benali"))
    (new,) = links_in(renewed.text)
    assert new != volunteers["Sami Benali"]
    sami = FakeUser(fake_api, 6302, "Sami", "fr")
    sami.send(f"/start {volunteers['Sami Benali']}")
    await sami.expect(says("invitation.invalid"))
    sami.send(f"/start {new}")
    await sami.expect(says("invitation.charter", name="Sami"), says("charter.text"))

    coordinator.send("/invitations")
    await coordinator.expect(says("invitations.title", count=6))
    coordinator.press(says("invitations.revoke_button"))
    await coordinator.expect(says("invitations.revoked"))
    revoked = [name for name in volunteers if name != "Sami Benali"]
    assert rows(db_path, "SELECT COUNT(*) FROM volunteer_invitations WHERE code_hash IS NULL") == [(1,)]
    listed = await coordinator.expect(says("invitations.no_link"))
    assert any(f"{name} (" in listed.text for name in revoked)
    # The new link, opened before, still takes Sami in.
    sami.press(says("button.accept_charter"))
    await sami.expect(says("invitation.joined"))
    assert rows(db_path, "SELECT telegram_id, status FROM volunteers") == [(6302, "approved")]


async def test_codes_kept_in_clear_by_an_older_version_are_hashed_and_old_ones_expire(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "older.sqlite3"
    with monkeypatch.context() as patched:
        before = [(v, s) for v, s in _migrations() if v < INVITATION_MIGRATION]
        patched.setattr(database, "_migrations", lambda: before)
        db = Database(path)
        await db.open()
        await db.close()
    with sqlite3.connect(path, timeout=LOCK_WAIT_S) as conn:
        conn.execute(
            "INSERT INTO invitations (code, role, created_by, created_at) VALUES "
            "('fresh-code-1234', 'professional', 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days')), "
            "('stale-code-1234', 'professional', 1, '2026-01-05T10:00:00.000Z')"
        )
        conn.execute(
            "INSERT INTO volunteer_invitations (import_key, code, first_name, kind, imported_by) "
            "VALUES ('name:sami', 'volunteer-code-1234', 'Sami', 'benevole', 0)"
        )
    db = Database(path)
    await db.open()
    await db.close()
    stored = raw_bytes(path)
    assert b"fresh-code-1234" not in stored and b"volunteer-code-1234" not in stored
    usable = dict(
        rows(
            path,
            "SELECT code_hash, expires_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM invitations UNION ALL "
            "SELECT code_hash, expires_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM volunteer_invitations",
        )
    )
    assert usable == {
        hash_code("fresh-code-1234"): 1,
        hash_code("stale-code-1234"): 0,
        hash_code("volunteer-code-1234"): 1,
    }
