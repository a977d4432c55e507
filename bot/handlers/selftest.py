"""/selftest, for anyone: four questions one screen at a time, then a kind result with what exists nearby.

Nothing of the test is kept on our side: every button carries the answers given so far (see
bot/services/selftest.py), and every update of the test is blanked in the inbox once handled. Asking to be
contacted is the only way something is kept: a report with the "self_test" channel, without the answers.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.domain import commands
from bot.domain.actions.selftest import SelfTestContact, SelfTestDone, SelfTestIntro, SelfTestStep
from bot.domain.callbacks import Button
from bot.handlers.access import command, on, plain
from bot.handlers.common import Context, answer, buttons, stale
from bot.handlers.leaving import MENU
from bot.i18n import Translator
from bot.services.reports import LimitReached
from bot.services.selftest import QUESTIONS, Verdict, answers_of, code_of, result

STOP = Button("selftest.stop", SelfTestDone())


def _back(answers: list[str]) -> Button:
    """One screen back: the previous question, or the introduction from the first one."""
    return Button("button.back", SelfTestStep(code_of(answers[:-1])) if answers else SelfTestIntro())


async def _forget_update(update: Update, context: Context) -> None:
    """The update carried answers, or a screen showing them: blank it in the inbox."""
    await context.services.privacy.forget_update(update.update_id)


async def intro(update: Update, context: Context) -> None:
    """/selftest, or Back from the first question."""
    _ = await context.translator()
    if update.callback_query is not None:
        await _forget_update(update, context)
    rows = [[Button("selftest.start", SelfTestStep(""))], [MENU]]
    await answer(update, _("selftest.intro", count=len(QUESTIONS)), buttons(_, rows))


async def step(update: Update, context: Context, pressed: SelfTestStep) -> None:
    """The next question after the answers so far, or the result once all are answered."""
    _ = await context.translator()
    await _forget_update(update, context)
    answers = answers_of(pressed.answers)
    if answers is None:
        await stale(update, context)
        return
    if len(answers) == len(QUESTIONS):
        await _show_result(update, context, answers)
        return
    index = len(answers)
    question = QUESTIONS[index]
    rows = [
        [Button(f"selftest.answer.{choice}", SelfTestStep(code_of([*answers, choice])))] for choice in question.answers
    ]
    rows.append([_back(answers), STOP])
    text = _("selftest.progress", number=index + 1, total=len(QUESTIONS)) + "\n\n" + _(f"selftest.q.{question.item}")
    await answer(update, text, buttons(_, rows))


def _places(_: Translator, context: Context) -> list[str]:
    lines = []
    for place in context.services.settings.selftest.places:
        line = (
            _("selftest.place", name=place.name, what=place.what)
            if place.what
            else _("selftest.place_bare", name=place.name)
        )
        if place.phone:
            line = _("selftest.place_phone", place=line, phone=place.phone)
        lines.append(line)
    return lines


async def _show_result(update: Update, context: Context, answers: list[str]) -> None:
    _ = await context.translator()
    found = result(answers)
    assert found is not None
    emergency = context.services.settings.emergency
    parts = [_(f"selftest.result.{found.verdict.value}", score=found.score)]
    if found.verdict is not Verdict.FINE:
        parts.append(_("selftest.dark_thoughts", number=emergency.suicide_prevention))
    places = _places(_, context)
    if places:
        parts.append("\n".join([_("selftest.nearby"), *places]))
    parts.append(_("selftest.town_phone", service=emergency.social_service_name, phone=emergency.social_service_phone))
    parts.append(_("selftest.contact_offer"))
    rows = [
        [Button("selftest.contact", SelfTestContact())],
        [_back(answers), Button("selftest.done", SelfTestDone())],
    ]
    await answer(update, "\n\n".join(parts), buttons(_, rows))


async def contact(update: Update, context: Context, _action: SelfTestContact) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    await _forget_update(update, context)
    svc = context.services
    report = await svc.reports.ask_to_be_contacted(user.id, update_id=update.update_id)
    if isinstance(report, LimitReached):
        numbers = svc.settings.emergency
        text = _("selftest.contact_limit", service=numbers.social_service_name, phone=numbers.social_service_phone)
    else:
        text = _("selftest.contact_sent", reference=report.reference)
    await answer(update, text, buttons(_, [[MENU]]))


async def done(update: Update, context: Context, _action: SelfTestDone) -> None:
    _ = await context.translator()
    await _forget_update(update, context)
    await answer(update, _("selftest.goodbye"), buttons(_, [[MENU]]))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        command(commands.SELF_TEST, intro),
        on(SelfTestIntro, plain(intro)),
        on(SelfTestStep, step),
        on(SelfTestContact, contact),
        on(SelfTestDone, done),
    ]
