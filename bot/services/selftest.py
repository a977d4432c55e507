"""The isolation self-test promised by the town's awareness campaign: four questions, a result in plain words.

Scale. The Three-Item Loneliness Scale of Hughes, Waite, Hawkley & Cacioppo (2004), "A short scale for
measuring loneliness in large surveys: results from two population-based studies", Research on Aging
26(6):655-672, drawn from the Revised UCLA Loneliness Scale:
  - How often do you feel that you lack companionship?
  - How often do you feel left out?
  - How often do you feel isolated from others?
answered hardly ever (1), some of the time (2), often (3). The score is the sum, from 3 to 9; 6 or more is
usually read as lonely.
Then the direct question "How often do you feel lonely?", which the Office for National Statistics recommends
beside the scale. We ask it with the scale's own three answers, as the UK Household Longitudinal Study
(Understanding Society) does ("hardly ever or never", "some of the time", "often"): the four questions then
read alike, the same answers in the same order, from the least often to the most, and none of them a
near-synonym of another.
We know no official French wording of these items: the catalogue holds a careful translation, worded so that
nothing agrees with the reader's gender (we do not know it).

The result says what the answers say and nothing more: the scale's verdict with its score; or, when the
scale reads no loneliness but the person says they often feel lonely, that, in their words, without the score
that would contradict it; or that the answers show no marked loneliness.

Privacy. The answers are kept nowhere on our side, not even in a conversation's draft: each button carries
the answers given so far (one digit each, see `code_of`), so a test left halfway leaves nothing behind, and
the Telegram updates that carry them are blanked in the inbox once handled. Only a person who asks to be
contacted leaves a trace: a report with the "self_test" channel, holding no answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

UCLA_ITEMS = ("companionship", "left_out", "isolated")
DIRECT_ITEM = "lonely"
ANSWERS = ("hardly_ever", "some_of_the_time", "often")  # scored 1, 2, 3, on every question
LONELY_FROM_SCORE = 6


@dataclass(frozen=True, slots=True)
class Question:
    item: str
    answers: tuple[str, ...]


QUESTIONS = tuple(Question(item, ANSWERS) for item in (*UCLA_ITEMS, DIRECT_ITEM))


class Verdict(StrEnum):
    LONELY = "lonely"  # the scale's score is 6 or more
    SAYS_LONELY = "says_lonely"  # the score is lower, but the person often feels lonely
    FINE = "fine"


@dataclass(frozen=True, slots=True)
class Result:
    score: int  # the three-item scale, 3 to 9
    direct: str  # the answer to "how often do you feel lonely?"

    @property
    def verdict(self) -> Verdict:
        if self.score >= LONELY_FROM_SCORE:
            return Verdict.LONELY
        return Verdict.SAYS_LONELY if self.direct == "often" else Verdict.FINE


def code_of(answers: Sequence[str]) -> str:
    """The answers so far as the digits a button carries: the place of each answer among its question's."""
    return "".join(str(question.answers.index(a)) for question, a in zip(QUESTIONS, answers, strict=False))


def answers_of(code: str) -> list[str] | None:
    """The answers a button's digits stand for; None when they do not hold (a button never shown)."""
    if len(code) > len(QUESTIONS) or any(digit not in "0123456789" for digit in code):
        return None
    places = [int(digit) for digit in code]
    if any(place >= len(question.answers) for question, place in zip(QUESTIONS, places, strict=False)):
        return None
    return [question.answers[place] for question, place in zip(QUESTIONS, places, strict=False)]


def result(answers: Sequence[str]) -> Result | None:
    """The result once every question is answered with one of its choices; None before."""
    if len(answers) != len(QUESTIONS) or any(a not in q.answers for q, a in zip(QUESTIONS, answers, strict=True)):
        return None
    score = sum(ANSWERS.index(answer) + 1 for answer in answers[: len(UCLA_ITEMS)])
    return Result(score, answers[-1])
