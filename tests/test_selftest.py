"""The isolation self-test: four questions, a kind result, and nothing kept unless the person asks for contact."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runtime.inbox import InboxApplication
from bot.services.selftest import QUESTIONS, Result, answers_of, code_of, result
from tests.conftest import rows
from tests.desk import reference_in
from tests.fake_bot_api import FakeBotApi
from tests.stored_data import every_value
from tests.telegram_users import FakeUser, eventually

FRENCH_QUESTIONS = ["manquer de compagnie", "laissé(e) de côté", "isolé(e) des autres", "vous sentez-vous <b>seul(e)"]
ENGLISH_QUESTIONS = ["lack companionship", "left out", "isolated from others", "feel <b>lonely"]
# What an answer looks like wherever it could be kept: the choices, or the digits a button carries.
ANSWER_TRACES = ("hardly_ever", "some_of_the_time", "often", "never", "occasionally", "selftest:q:")


def key_file(db_path: Path) -> Path:
    return db_path.with_suffix(".key")


def stored(db_path: Path) -> list[tuple[str, str, object]]:
    """Every value of every table, sealed ones opened, but the inbox (which receives each update, checked
    apart)."""
    return sorted(
        (
            (table, column, value)
            for table, column, value in every_value(db_path, key_file(db_path))
            if table != "inbox"
        ),
        key=repr,
    )


def traces_of_answers(db_path: Path) -> list[tuple[str, str, object]]:
    return [
        (table, column, value)
        for table, column, value in every_value(db_path, key_file(db_path))
        if isinstance(value, str) and any(trace in value for trace in ANSWER_TRACES)
    ]


async def answer_all(user: FakeUser, labels: list[str], question_marks: list[str]) -> None:
    for label, mark in zip(labels, question_marks, strict=True):
        await user.expect(mark)
        user.press(label)


async def selftest_asking_for_contact(user: FakeUser) -> str:
    """A French speaker takes the test and asks to be contacted; returns the reference of their request."""
    user.send("/selftest")
    await user.expect("Auto-test")
    user.press("Commencer")
    await answer_all(user, ["Souvent", "Souvent", "Parfois", "Souvent ou tout le temps"], FRENCH_QUESTIONS)
    await user.expect("Merci d'avoir répondu")
    user.press("que l'équipe me contacte")
    return reference_in(await user.expect("Quelqu'un de l'équipe vous écrira"))


async def test_the_self_test_in_french_gives_a_kind_result_and_leaves_nothing_stored(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    jeanne = FakeUser(fake_api, 4001, "Jeanne", "fr")
    jeanne.send("/start")
    await jeanne.expect("Bonjour")
    before = stored(db_path)

    jeanne.send("/selftest")
    await jeanne.expect("Auto-test", "4 questions", "enregistrées nulle part")
    jeanne.press("Commencer")
    await jeanne.expect("Question 1 sur 4", FRENCH_QUESTIONS[0])
    jeanne.press_data("selftest:q:9")  # a button never shown: no answer "9" to the first question
    await jeanne.expect_alert("plus valable")
    jeanne.press("Souvent")
    await jeanne.expect("Question 2 sur 4", FRENCH_QUESTIONS[1])
    # While the test lasts, the answers are nowhere on the bot's side.
    assert traces_of_answers(db_path) == []
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

    jeanne.press("Terminer")
    await jeanne.expect("prenez soin de vous")
    await eventually(lambda: stored(db_path) == before, "every table is as before the test")
    assert traces_of_answers(db_path) == []
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(0,)]
    assert fake_api.sent_to(coordinator.id) == []


async def test_the_self_test_in_english_with_a_request_for_contact_creates_a_self_test_report(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    john = FakeUser(fake_api, 4002, "John", "en")
    john.send("/selftest")
    await john.expect("Self-test", "4 questions", "recorded nowhere")
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
    card = await coordinator.expect(reference, "Auto-test : la personne elle-même", "John")
    assert any("Poser une question" in b["text"] for b in card.buttons()), "the team can write to them through the bot"
    # Only the request is kept: no answer, no score, in any table or in the inbox.
    assert traces_of_answers(db_path) == []
    assert not any("score" in str(value) for table, _c, value in every_value(db_path, key_file(db_path)))
    # The person follows their request like any report.
    john.send("/myreports")
    await john.expect(reference)


def test_the_three_item_scale_scores_from_3_to_9_and_reads_6_or_often_lonely_as_lonely() -> None:
    assert result(["hardly_ever"] * 3 + ["never"]) == Result(3, "never")
    assert result(["often"] * 3 + ["never"]) == Result(9, "never")
    assert not Result(5, "occasionally").lonely
    assert Result(6, "never").lonely
    assert Result(3, "often_always").lonely
    assert result(["often"] * 3) is None
    assert result(["often"] * 3 + ["sometimes"]) is None
    assert len(QUESTIONS) == 4


def test_a_button_carries_the_answers_so_far_and_only_choices_that_were_offered() -> None:
    answers = ["some_of_the_time", "often", "hardly_ever", "often_always"]
    assert code_of(answers) == "1200"
    assert answers_of("1200") == answers
    assert answers_of("") == []
    assert answers_of("3") is None  # the first question has three choices
    assert answers_of("00000") is None
    assert answers_of("0٣") is None


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_stopping_halfway_leaves_nothing_of_the_answers(
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
    user.press("Arrêter" if french else "Stop")
    await user.expect("prenez soin de vous" if french else "take care")
    assert traces_of_answers(db_path) == []
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(0,)]
