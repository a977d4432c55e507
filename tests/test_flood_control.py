"""Publishing a week while Telegram answers "429 Too Many Requests": every volunteer still gets each of their
messages exactly once, and no private chat gets two messages less than a second apart."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

from bot.config import Settings
from tests.catalogue import says
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi, Fault, Sent
from tests.telegram_users import FakeUser, eventually
from tests.test_visits import HUB, visit_settings
from tests.town import Member, Resident, drafted, seed_town

NAMES = ("Ada", "Bea", "Cyr", "Dan", "Eve", "Flo")
TEAM = [Member(810 + i, name, ("tue-pm", "thu-pm"), capacity=4) for i, name in enumerate(NAMES)]
STREETS = ("rue Voltaire", "place Wilson", "rue Molinier", "cours Gambetta", "rue Jasmin", "rue Montesquieu")
RESIDENTS = [
    Resident(f"Personne{i} Nom{i}", f"{i + 1} {street}", (HUB[0] + 0.0006 * (i - 3), HUB[1] + 0.0004 * (i % 3)), 8)
    for i, street in enumerate(STREETS)
]
SENDS = ("sendMessage", "sendLocation", "sendDocument")


def content(sent: Sent) -> str:
    """What tells a message from the others of its kind: a pin's place, a calendar file's event; the texts
    (one per outing) are compared apart."""
    if sent.method == "sendLocation":
        return f"{float(sent.params['latitude']):.4f},{float(sent.params['longitude']):.4f}"
    if sent.method == "sendDocument":
        return str(sent.params["document"]["content"].decode("utf-8")).split("UID:")[1].split("\r\n")[0]
    return "outing"


def expected(db_path: Path, member: int) -> Counter[tuple[str, str]]:
    """Per outing of the member: its text, a pin per stop, its calendar file (by kind; pins by place)."""
    found: Counter[tuple[str, str]] = Counter()
    outings = rows(
        db_path,
        "SELECT slot_id, group_concat(v.id, '-'), group_concat(printf('%.4f,%.4f', p.lat, p.lon), ';') "
        "FROM (SELECT * FROM visits ORDER BY position) v JOIN persons p ON p.id = v.person_id "
        f"WHERE v.status = 'proposed' AND {member} IN (first_volunteer, second_volunteer) "
        "GROUP BY slot_id, first_volunteer, second_volunteer",
    )
    for _, ids, pins in outings:
        found[("sendMessage", "outing")] += 1
        for pin in str(pins).split(";"):
            found[("sendLocation", pin)] += 1
        found[("sendDocument", f"visit-{ids}-{member}@lien")] += 1
    return found


def queued(db_path: Path, member: int) -> list[str]:
    """The Bot API methods of the member's notices, in the order the publication queued them."""
    kinds = {"text": "sendMessage", "pin": "sendLocation", "ics": "sendDocument"}
    keys = rows(db_path, f"SELECT dedup_key FROM outbox WHERE recipient = {member} ORDER BY id")
    return [kinds[str(key).rsplit(":", 1)[1].rstrip("0123456789")] for (key,) in keys]


def delivered(api: FakeBotApi, member: int) -> list[Sent]:
    return [s for s in api.sent_to(member) if s.method in SENDS]


def as_counted(messages: list[Sent]) -> Counter[tuple[str, str]]:
    return Counter((m.method, content(m)) for m in messages)


async def test_a_429_storm_during_publication_delivers_every_message_once_and_no_chat_above_one_a_second(
    settings: Settings, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    await seed_town(db_path, TEAM, RESIDENTS)
    paced = settings.model_copy(update={"telegram": settings.telegram.model_copy(update={"per_chat_interval_s": 1.0})})
    async with drafted(visit_settings(paced), coordinator):
        outings = rows(
            db_path, "SELECT DISTINCT slot_id, first_volunteer, second_volunteer FROM visits WHERE status = 'proposed'"
        )
        assert len(outings) >= 4, outings  # several pairs, and volunteers out in both half-days
        members = sorted({int(str(m)) for _, *pair in outings for m in pair})

        # The storm: more refusals in a row than PTB's rate limiter retries on its own (five), so the outbox's
        # own retry is used too, and refusals of every kind of message a publication sends.
        storm = {"sendMessage": 6, "sendLocation": 3, "sendDocument": 2}
        for method, refusals in storm.items():
            fake_api.faults[method] = [Fault(429, retry_after=1)] * refusals
        coordinator.press(says("plan.publish_button"))
        await coordinator.expect(says("plan.published"))
        await eventually(
            lambda: rows(db_path, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL") == [(0,)],
            "every notice delivered",
            wait_s=90,  # a liveness bound: each 429 holds every chat back a second, and each chat gets one a second
        )

        assert all(not faults for faults in fake_api.faults.values()), "the storm was not all answered"
        attempts = sum(1 for method, _ in fake_api.calls if method in SENDS)
        assert attempts == len([s for s in fake_api.history if s.method in SENDS]) + sum(storm.values())
        for member in members:
            messages = delivered(fake_api, member)
            assert as_counted(messages) == expected(db_path, member), member
            texts = [m.text for m in messages if m.method == "sendMessage"]
            assert len(set(texts)) == len(texts), member  # one text per outing, none twice
            # In the order queued: an outing's text, then its pins, then its calendar file.
            assert [m.method for m in messages] == queued(db_path, member), member
            moments = [m.at for m in messages]
            gaps = [later - earlier for earlier, later in itertools.pairwise(moments)]
            assert min(gaps) >= 1.0, (member, gaps)
