"""/selftest, for anyone: four questions one screen at a time, then a kind result with what exists nearby.

Nothing of the test is kept on our side: every button carries the answers given so far (see
bot/services/selftest.py), and every update of the test is blanked in the inbox once handled. Asking to be
contacted is the only way something is kept: a report with the "self_test" channel, without the answers.
"""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.handlers.common import Context, answer, buttons, requires, services, translator
from bot.handlers.leaving import MENU
from bot.i18n import Translator
from bot.notices import Button
from bot.services.reports import LimitReached
from bot.services.roles import Role
from bot.services.selftest import QUESTIONS, answers_of, code_of, result

STOP = Button("selftest.stop", "selftest:done")


def _back(answers: list[str]) -> Button:
    """One screen back: the previous question, or the introduction from the first one."""
    return Button("button.back", f"selftest:q:{code_of(answers[:-1])}" if answers else "selftest:intro")


async def _forget_update(update: Update, context: Context) -> None:
    """The update carried answers, or a screen showing them: blank it in the inbox."""
    await services(context).inbox.blank(update.update_id)


@requires(Role.ANYONE)
async def intro(update: Update, context: Context) -> None:
    """/selftest, or Back from the first question."""
    _ = await translator(update, context)
    if update.callback_query is not None:
        await _forget_update(update, context)
    rows = [[Button("selftest.start", "selftest:q:")], [MENU]]
    await answer(update, _("selftest.intro", count=len(QUESTIONS)), buttons(_, rows))


@requires(Role.ANYONE)
async def step(update: Update, context: Context) -> None:
    """selftest:q:<answers so far>: the next question, or the result once all are answered."""
    _ = await translator(update, context)
    query = update.callback_query
    assert query is not None and query.data is not None
    await _forget_update(update, context)
    answers = answers_of(query.data.removeprefix("selftest:q:"))
    if answers is None:
        await query.answer(_("fallback.stale_button"), show_alert=True)
        return
    if len(answers) == len(QUESTIONS):
        await _show_result(update, context, answers)
        return
    index = len(answers)
    question = QUESTIONS[index]
    rows = [
        [Button(f"selftest.answer.{choice}", f"selftest:q:{code_of([*answers, choice])}")]
        for choice in question.answers
    ]
    rows.append([_back(answers), STOP])
    text = _("selftest.progress", number=index + 1, count=len(QUESTIONS)) + "\n\n" + _(f"selftest.q.{question.item}")
    await answer(update, text, buttons(_, rows))


def _places(_: Translator, context: Context) -> list[str]:
    lines = []
    for place in services(context).settings.selftest.places:
        line = (
            _("selftest.place", name=place.name, what=place.what)
            if place.what
            else _("selftest.place_bare", name=place.name)
        )
        if place.phone:
            line += f" · 📞 {html.escape(place.phone)}"
        lines.append(line)
    return lines


async def _show_result(update: Update, context: Context, answers: list[str]) -> None:
    _ = await translator(update, context)
    found = result(answers)
    assert found is not None
    emergency = services(context).settings.emergency
    if found.lonely:
        parts = [
            _("selftest.result.lonely", score=found.score),
            _("selftest.dark_thoughts", number=emergency.suicide_prevention),
        ]
    else:
        parts = [_("selftest.result.fine", score=found.score)]
    places = _places(_, context)
    if places:
        parts.append("\n".join([_("selftest.nearby"), *places]))
    parts.append(_("selftest.town_phone", service=emergency.social_service_name, phone=emergency.social_service_phone))
    parts.append(_("selftest.contact_offer"))
    rows = [
        [Button("selftest.contact", "selftest:contact")],
        [_back(answers), Button("selftest.done", "selftest:done")],
    ]
    await answer(update, "\n\n".join(parts), buttons(_, rows))


@requires(Role.ANYONE)
async def contact(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    user = update.effective_user
    assert user is not None
    await _forget_update(update, context)
    svc = services(context)
    report = await svc.reports.ask_to_be_contacted(user.id, update_id=update.update_id)
    if isinstance(report, LimitReached):
        numbers = svc.settings.emergency
        text = _("selftest.contact_limit", service=numbers.social_service_name, phone=numbers.social_service_phone)
    else:
        text = _("selftest.contact_sent", reference=report.reference)
    await answer(update, text, buttons(_, [[MENU]]))


@requires(Role.ANYONE)
async def done(update: Update, context: Context) -> None:
    _ = await translator(update, context)
    await _forget_update(update, context)
    await answer(update, _("selftest.goodbye"), buttons(_, [[MENU]]))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("selftest", intro),
        CallbackQueryHandler(intro, pattern=r"^selftest:intro$"),
        CallbackQueryHandler(step, pattern=rf"^selftest:q:\d{{0,{len(QUESTIONS)}}}$"),
        CallbackQueryHandler(contact, pattern=r"^selftest:contact$"),
        CallbackQueryHandler(done, pattern=r"^selftest:done$"),
    ]
