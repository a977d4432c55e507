"""The isolation self-test: four questions, a kind result, and nothing kept unless the person asks for contact."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.runtime.inbox import InboxApplication
from bot.services.selftest import QUESTIONS, Result, accepts, result
from tests.conftest import rows
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser, eventually


def snapshot(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table but the inbox, which receives each update (checked apart)."""
    with sqlite3.connect(db_path) as conn:
        tables = [
            str(t[0]) for t in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'inbox'")
        ]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


def inbox_payloads(db_path: Path) -> list[str]:
    return [str(payload) for (payload,) in rows(db_path, "SELECT payload FROM inbox")]


async def answer_all(user: FakeUser, labels: list[str], question_marks: list[str]) -> None:
    for label, mark in zip(labels, question_marks, strict=True):
        await user.expect(mark)
        user.press(label)


FRENCH_QUESTIONS = ["manquer de compagnie", "laissé(e) de côté", "isolé(e) des autres", "vous sentez-vous <b>seul(e)"]
ENGLISH_QUESTIONS = ["lack companionship", "left out", "isolated from others", "feel <b>lonely"]


async def test_the_self_test_in_french_gives_a_kind_result_and_leaves_nothing_stored(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    jeanne = FakeUser(fake_api, 4001, "Jeanne", "fr")
    jeanne.send("/start")
    await jeanne.expect("Bonjour")
    before = snapshot(db_path)

    jeanne.send("/selftest")
    await jeanne.expect("Auto-test", "4 questions", "ne sont pas gardées")
    jeanne.press("Commencer")
    await jeanne.expect("Question 1 sur 4", FRENCH_QUESTIONS[0])
    jeanne.press_data("selftest:a:2:often")  # a button of another screen is not an answer to this one
    await jeanne.expect("Question 1 sur 4")
    jeanne.press("Souvent")
    await jeanne.expect("Question 2 sur 4", FRENCH_QUESTIONS[1])
    jeanne.press("Retour")
    await jeanne.expect("Question 1 sur 4", FRENCH_QUESTIONS[0])
    jeanne.press("Parfois")
    await answer_all(jeanne, ["Souvent", "Souvent", "Souvent ou tout le temps"], FRENCH_QUESTIONS[1:])
    shown = await jeanne.expect("Merci d'avoir répondu")
    assert "souvent seul(e)" in shown.text
    assert "score 8" in shown.text  # 2 + 3 + 3
    assert "3114" in shown.text
    assert "Centre social de Montanou" in shown.text
    assert "05 53 66 12 56" in shown.text
    # While the test lasts, the answers are in the conversation's draft, and nowhere else.
    drafts = rows(db_path, "SELECT value FROM ptb_state WHERE kind = 'user_data' AND key = '4001'")
    assert json.loads(str(drafts[0][0]))["selftest"]["answers"] == [
        "some_of_the_time",
        "often",
        "often",
        "often_always",
    ]

    jeanne.press("Terminer")
    await jeanne.expect("prenez soin de vous")
    await eventually(lambda: snapshot(db_path) == before, "every table is as before the test")
    assert not any("selftest:a:" in payload or "often" in payload for payload in inbox_payloads(db_path))
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(0,)]
    assert fake_api.sent_to(coordinator.id) == []


async def test_the_self_test_in_english_with_a_request_for_contact_creates_a_self_test_report(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    john = FakeUser(fake_api, 4002, "John", "en")
    john.send("/selftest")
    await john.expect("Self-test", "4 questions", "not kept")
    john.press("Start")
    await answer_all(john, ["Hardly ever", "Hardly ever", "Hardly ever", "Never"], ENGLISH_QUESTIONS)
    shown = await john.expect("Thank you for answering")
    assert "do not seem to suffer from loneliness" in shown.text
    assert "score 3" in shown.text
    assert "3114" not in shown.text
    john.press("Back")
    await john.expect("Question 4 of 4", ENGLISH_QUESTIONS[3])
    john.press("Never")
    await john.expect("Thank you for answering")
    john.press("to contact me")
    sent = await john.expect("Someone from the team will write to you here", "S-")

    alert = await coordinator.expect("Auto-test", "John", "demande à être contacté(e)")
    assert rows(db_path, "SELECT channel, reporter_id, signs, who, note, contact_ok, anonymous FROM reports") == [
        ("self_test", 4002, '["lonely"]', None, None, 1, 0)
    ]
    reference = str(rows(db_path, "SELECT reference FROM reports")[0][0])
    assert reference in sent.text and reference in alert.text
    coordinator.press("Ouvrir le signalement")
    await coordinator.expect(reference, "Auto-test : la personne elle-même", "John")
    # Only the request is kept: no answer, no score, in any table or in the inbox.
    await eventually(
        lambda: rows(db_path, "SELECT COUNT(*) FROM ptb_state WHERE value LIKE '%hardly_ever%'") == [(0,)],
        "the draft is dropped",
    )
    assert not any("hardly_ever" in payload or "score" in payload for payload in inbox_payloads(db_path))


def test_the_three_item_scale_scores_from_3_to_9_and_reads_6_or_often_lonely_as_lonely() -> None:
    assert result(["hardly_ever"] * 3 + ["never"]) == Result(3, "never")
    assert result(["often"] * 3 + ["never"]) == Result(9, "never")
    assert not Result(5, "occasionally").lonely
    assert Result(6, "never").lonely
    assert Result(3, "often_always").lonely
    assert result(["often"] * 3) is None
    assert result(["often"] * 3 + ["sometimes"]) is None
    assert accepts([], 0, "often") and not accepts([], 0, "never") and not accepts(["often"], 0, "often")
    assert len(QUESTIONS) == 4


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_cancel_leaves_the_self_test_and_drops_the_answers(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path, language: str
) -> None:
    french = language == "fr"
    user = FakeUser(fake_api, 4003, "Ana", language)
    user.send("/selftest")
    await user.expect("4 questions")
    user.press("Commencer" if french else "Start")
    await user.expect("Question 1")
    user.press("Souvent" if french else "Often")
    await user.expect("Question 2")
    user.press("Annuler" if french else "Cancel")
    await user.expect("annulé" if french else "Cancelled")
    await eventually(
        lambda: rows(db_path, "SELECT COUNT(*) FROM ptb_state WHERE value LIKE '%often%'") == [(0,)],
        "the draft is dropped",
    )
    assert not any("selftest:a:" in payload for payload in inbox_payloads(db_path))
