"""/selftest, for anyone: four questions one screen at a time, then a kind result with what exists nearby.

Answers live only in the conversation's draft and are dropped at the end; every update of the test is
blanked in the inbox once handled (see bot/services/selftest.py). Asking to be contacted is the only way
something is kept: a report with the "self_test" channel, without the answers.
"""

from __future__ import annotations

import html
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.handlers.common import Context, answer, buttons, draft, requires, services, translator
from bot.handlers.leaving import CANCEL, MENU, cancel_handlers
from bot.i18n import Translator
from bot.notices import Button
from bot.services.roles import Role
from bot.services.selftest import QUESTIONS, accepts, result

INTRO, QUESTION, RESULT = "selftest.intro", "selftest.question", "selftest.result"
END = ConversationHandler.END
DRAFT = "selftest"
BACK = Button("button.back", "selftest:back")


def _answers(context: Context) -> list[str]:
    found = draft(context).get(DRAFT)
    if not isinstance(found, dict) or not isinstance(found.get("answers"), list):
        found = {"answers": []}
        draft(context)[DRAFT] = found
    answers: list[Any] = found["answers"]
    return [str(a) for a in answers]


def _keep(context: Context, answers: list[str]) -> None:
    draft(context)[DRAFT] = {"answers": answers}


async def _forget_update(update: Update, context: Context) -> None:
    """The update carried an answer, or a screen showing them: blank it in the inbox."""
    await services(context).inbox.blank(update.update_id)


@requires(Role.ANYONE)
async def begin(update: Update, context: Context) -> str:
    _keep(context, [])
    return await _intro(update, context)


async def _intro(update: Update, context: Context) -> str:
    _ = await translator(update, context)
    rows = [[Button("selftest.start", "selftest:go")], [CANCEL]]
    await answer(update, _("selftest.intro", count=len(QUESTIONS)), buttons(_, rows))
    return INTRO


async def _ask(update: Update, context: Context, answers: list[str]) -> str:
    _ = await translator(update, context)
    index = len(answers)
    question = QUESTIONS[index]
    rows = [[Button(f"selftest.answer.{choice}", f"selftest:a:{index}:{choice}")] for choice in question.answers]
    rows.append([BACK, CANCEL])
    text = _("selftest.progress", number=index + 1, count=len(QUESTIONS)) + "\n\n" + _(f"selftest.q.{question.item}")
    await answer(update, text, buttons(_, rows))
    return QUESTION


@requires(Role.ANYONE)
async def go(update: Update, context: Context) -> str:
    _keep(context, [])
    return await _ask(update, context, [])


@requires(Role.ANYONE)
async def answered(update: Update, context: Context) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    await _forget_update(update, context)
    _prefix, _verb, raw_index, choice = query.data.split(":")
    answers = _answers(context)
    # A button of an earlier screen (pressed twice, or replayed) does not count as an answer to this one.
    if accepts(answers, int(raw_index), choice):
        answers.append(choice)
        _keep(context, answers)
    if len(answers) == len(QUESTIONS):
        return await _show_result(update, context, answers)
    return await _ask(update, context, answers)


@requires(Role.ANYONE)
async def back(update: Update, context: Context) -> str:
    await _forget_update(update, context)
    answers = _answers(context)
    if not answers:
        return await _intro(update, context)
    answers.pop()
    _keep(context, answers)
    return await _ask(update, context, answers)


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


async def _show_result(update: Update, context: Context, answers: list[str]) -> str:
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
        [BACK, Button("selftest.done", "selftest:done")],
    ]
    await answer(update, "\n\n".join(parts), buttons(_, rows))
    return RESULT


@requires(Role.ANYONE)
async def contact(update: Update, context: Context) -> int:
    _ = await translator(update, context)
    user = update.effective_user
    assert user is not None
    await _forget_update(update, context)
    report = await services(context).reports.ask_to_be_contacted(user.id, update_id=update.update_id)
    draft(context).pop(DRAFT, None)
    await answer(update, _("selftest.contact_sent", reference=report.reference), buttons(_, [[MENU]]))
    return END


@requires(Role.ANYONE)
async def done(update: Update, context: Context) -> int:
    _ = await translator(update, context)
    await _forget_update(update, context)
    draft(context).pop(DRAFT, None)
    await answer(update, _("selftest.goodbye"), buttons(_, [[MENU]]))
    return END


def handlers() -> list[BaseHandler[Update, Context, object]]:
    choices = "|".join(sorted({choice for q in QUESTIONS for choice in q.answers}))
    return [
        ConversationHandler(
            entry_points=[CommandHandler("selftest", begin)],
            states={
                INTRO: [CallbackQueryHandler(go, pattern=r"^selftest:go$")],
                QUESTION: [
                    CallbackQueryHandler(answered, pattern=rf"^selftest:a:\d:({choices})$"),
                    CallbackQueryHandler(back, pattern=r"^selftest:back$"),
                ],
                RESULT: [
                    CallbackQueryHandler(contact, pattern=r"^selftest:contact$"),
                    CallbackQueryHandler(done, pattern=r"^selftest:done$"),
                    CallbackQueryHandler(back, pattern=r"^selftest:back$"),
                ],
            },
            fallbacks=cancel_handlers(),
            name="selftest",
            persistent=True,
            allow_reentry=True,
        )
    ]
