"""The isolation self-test: four questions, a kind result, and nothing kept unless the person asks for contact."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import SUPPORTED
from bot.runtime.inbox import InboxApplication
from bot.services.selftest import QUESTIONS, Result, Verdict, answers_of, code_of, result
from tests.catalogue import Says, says, text_of
from tests.conftest import rows
from tests.desk import reference_in
from tests.fake_bot_api import FakeBotApi
from tests.stored_data import every_value
from tests.telegram_users import FakeUser, eventually

QUESTIONS_ASKED = [says(f"selftest.q.{name}") for name in ("companionship", "left_out", "isolated", "lonely")]
# What an answer looks like wherever it could be kept: the choices, or the digits a button carries.
ANSWER_TRACES = ("hardly_ever", "some_of_the_time", "often", "selftest:q:")


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


async def answer_all(user: FakeUser, answers: list[str], questions: list[Says]) -> None:
    """Answer each question in turn with the choice named (often, never...)."""
    for answer, question in zip(answers, questions, strict=True):
        await user.expect(question)
        user.press(says(f"selftest.answer.{answer}"))


async def selftest_asking_for_contact(user: FakeUser) -> str:
    """A French speaker takes the test and asks to be contacted; returns the reference of their request."""
    user.send("/selftest")
    await user.expect(says("selftest.intro"))
    user.press(says("selftest.start"))
    await answer_all(user, ["often", "often", "some_of_the_time", "often"], QUESTIONS_ASKED)
    await user.expect(says("selftest.result.lonely"))
    user.press(says("selftest.contact"))
    return reference_in(await user.expect(says("selftest.contact_sent")))


async def test_the_self_test_in_french_gives_a_kind_result_and_leaves_nothing_stored(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    jeanne = FakeUser(fake_api, 4001, "Jeanne", "fr")
    jeanne.send("/start")
    await jeanne.expect(says("start.welcome"))
    before = stored(db_path)

    jeanne.send("/selftest")
    await jeanne.expect(says("selftest.intro", count=4))
    jeanne.press(says("selftest.start"))
    await jeanne.expect(says("selftest.progress", number=1, total=4), QUESTIONS_ASKED[0])
    jeanne.press_data("selftest:q:9")  # a button never shown: no answer "9" to the first question
    await jeanne.expect_alert(says("fallback.stale_button"))
    jeanne.press(says("selftest.answer.often"))
    await jeanne.expect(says("selftest.progress", number=2, total=4), QUESTIONS_ASKED[1])
    # While the test lasts, the answers are nowhere on the bot's side.
    assert traces_of_answers(db_path) == []
    jeanne.press(says("button.back"))
    await jeanne.expect(says("selftest.progress", number=1, total=4), QUESTIONS_ASKED[0])
    jeanne.press(says("selftest.answer.some_of_the_time"))
    await answer_all(jeanne, ["often", "often", "often"], QUESTIONS_ASKED[1:])
    await jeanne.expect(
        says("selftest.result.lonely", score=8),  # 2 + 3 + 3
        says("selftest.dark_thoughts", number="3114"),
        says("selftest.place", name="Centre social de Montanou"),
        says("selftest.town_phone", phone="05 53 66 12 56"),
    )

    jeanne.press(says("selftest.done"))
    await jeanne.expect(says("selftest.goodbye"))
    await eventually(lambda: stored(db_path) == before, "every table is as before the test")
    assert traces_of_answers(db_path) == []
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(0,)]
    assert fake_api.sent_to(coordinator.id) == []


async def test_the_self_test_in_english_with_a_request_for_contact_creates_a_self_test_report(
    bot: InboxApplication, fake_api: FakeBotApi, coordinator: FakeUser, db_path: Path
) -> None:
    john = FakeUser(fake_api, 4002, "John", "en")
    john.send("/selftest")
    await john.expect(says("selftest.intro", count=4))
    john.press(says("selftest.start"))
    await answer_all(john, ["hardly_ever", "hardly_ever", "hardly_ever", "often"], QUESTIONS_ASKED)
    # A low score, but he often feels lonely: the result says what he said, not a score that contradicts it.
    shown = await john.expect(says("selftest.result.says_lonely"), says("selftest.dark_thoughts"))
    assert not john.shown(shown.text, says("selftest.result.lonely")) and "(3" not in shown.text
    john.press(says("button.back"))
    await john.expect(says("selftest.progress", number=4, total=4), QUESTIONS_ASKED[3])
    john.press(says("selftest.answer.hardly_ever"))
    shown = await john.expect(says("selftest.result.fine", score=3))
    assert not john.shown(shown.text, says("selftest.dark_thoughts"))
    john.press(says("selftest.contact"))
    sent = await john.expect(says("selftest.contact_sent"), "S-")

    alert = await coordinator.expect(says("report.self_test_alert", reporter="John"))
    assert rows(db_path, "SELECT channel, reporter_id, signs, who, note, contact_ok, anonymous FROM reports") == [
        ("self_test", 4002, '["lonely"]', None, None, 1, 0)
    ]
    reference = str(rows(db_path, "SELECT reference FROM reports")[0][0])
    assert reference in sent.text and reference in alert.text
    coordinator.press(says("button.open_report"))
    card = await coordinator.expect(reference, says("triage.channel.self_test"), "John")
    asking = says("button.ask_reporter")
    assert any(coordinator.shown(b["text"], asking) for b in card.buttons()), (
        "the team can write to them through the bot"
    )
    # Only the request is kept: no answer, no score, in any table or in the inbox.
    assert traces_of_answers(db_path) == []
    assert not any("score" in str(value) for table, _c, value in every_value(db_path, key_file(db_path)))
    # The person follows their request like any report.
    john.send("/myreports")
    await john.expect(reference)


def test_the_three_item_scale_scores_from_3_to_9_and_the_verdict_never_contradicts_the_score() -> None:
    assert result(["hardly_ever"] * 3 + ["hardly_ever"]) == Result(3, "hardly_ever")
    assert result(["often"] * 3 + ["hardly_ever"]) == Result(9, "hardly_ever")
    assert Result(5, "some_of_the_time").verdict is Verdict.FINE
    assert Result(6, "hardly_ever").verdict is Verdict.LONELY
    assert Result(3, "often").verdict is Verdict.SAYS_LONELY
    assert result(["often"] * 3) is None
    assert result(["often"] * 3 + ["sometimes"]) is None
    assert len(QUESTIONS) == 4


def test_every_question_offers_the_same_answers_in_the_same_order_each_worded_apart() -> None:
    assert {question.answers for question in QUESTIONS} == {("hardly_ever", "some_of_the_time", "often")}
    for language in SUPPORTED:
        said = [text_of(language, f"selftest.answer.{choice}") for choice in QUESTIONS[0].answers]
        assert len(set(said)) == len(said), language


def test_a_button_carries_the_answers_so_far_and_only_choices_that_were_offered() -> None:
    answers = ["some_of_the_time", "often", "hardly_ever", "often"]
    assert code_of(answers) == "1202"
    assert answers_of("1202") == answers
    assert answers_of("") == []
    assert answers_of("3") is None  # the first question has three choices
    assert answers_of("00000") is None
    assert answers_of("0٣") is None


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_stopping_halfway_leaves_nothing_of_the_answers(
    bot: InboxApplication, fake_api: FakeBotApi, db_path: Path, language: str
) -> None:
    user = FakeUser(fake_api, 4003, "Ana", language)
    user.send("/selftest")
    await user.expect(says("selftest.intro", count=4))
    user.press(says("selftest.start"))
    await user.expect(says("selftest.progress", number=1))
    user.press(says("selftest.answer.often"))
    await user.expect(says("selftest.progress", number=2))
    user.press(says("selftest.stop"))
    await user.expect(says("selftest.goodbye"))
    assert traces_of_answers(db_path) == []
    assert rows(db_path, "SELECT COUNT(*) FROM reports") == [(0,)]
