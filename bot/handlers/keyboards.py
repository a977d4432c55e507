"""Buttons as Telegram draws them: the label in the reader's language, the action packed by the registry."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks import Button
from bot.i18n import Translator


def _button(_: Translator, button: Button) -> InlineKeyboardButton:
    label = button.text if button.text is not None else _(button.label_key)
    if button.action is None:
        return InlineKeyboardButton(label, url=button.url)
    return InlineKeyboardButton(label, callback_data=button.action.pack())


def inline_keyboard(_: Translator, rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup([[_button(_, b) for b in row] for row in rows])
