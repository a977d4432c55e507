"""Never silence: an unknown command, stray text or an outdated button gets a short hint. Text that says it
wants to report someone ("je voudrais signaler ma voisine") is offered the report."""

from __future__ import annotations

import re
import unicodedata

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.domain.actions.start import StartReport
from bot.domain.callbacks import Button
from bot.handlers.common import Context, answer, buttons, stale
from bot.handlers.leaving import MENU
from bot.i18n import Translator

_NOT_A_LETTER = re.compile(r"[\W_]+")


def _words(text: str) -> set[str]:
    """Lower case, accents and punctuation gone, in every script: "Signalé !" and "signale" are the same word,
    and so are "Αναφορά" and "αναφορα" (the network writes Greek, so letters are kept, not folded to ASCII)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    return set(_NOT_A_LETTER.split(plain)) - {""}


def wants_to_report(_: Translator, text: str) -> bool:
    """Whether the text holds one of the words that, in the reader's language, ask to report someone (the
    catalogue lists them, so each language has its own)."""
    return not _words(text).isdisjoint(_words(_("fallback.report_words")))


async def unknown_command(update: Update, context: Context) -> None:
    _ = await context.translator()
    await answer(update, _("fallback.unknown_command"), buttons(_, [[MENU]]))


async def stray_message(update: Update, context: Context) -> None:
    _ = await context.translator()
    text = update.message.text if update.message is not None else None
    if text and wants_to_report(_, text):
        await answer(update, _("fallback.offer_report"), buttons(_, [[Button("menu.report", StartReport())], [MENU]]))
        return
    await answer(update, _("fallback.stray_text"), buttons(_, [[MENU]]))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.ALL, stray_message),
        # Any press no declared action took (an old button, a forged one): the one handler not built from the
        # registry, since it is the one that listens to what the registry does not know.
        CallbackQueryHandler(stale),
    ]
