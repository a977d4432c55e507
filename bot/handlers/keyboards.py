"""Buttons as Telegram draws them: the label in the reader's language, the action packed by the registry, a
Mini App's page resolved against its public address."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot.domain.callbacks import Button
from bot.i18n import Translator

WEB = ("https://", "http://")


def label_of(_: Translator, button: Button) -> str:
    """The text a button shows (Telegram shows a label as it is: nothing escaped)."""
    return button.text if button.text is not None else _(button.label_key)


def _button(_: Translator, button: Button, webapp_url: str) -> InlineKeyboardButton | None:
    label = label_of(_, button)
    if button.web_app is not None:
        if button.web_app.startswith(WEB):
            return InlineKeyboardButton(label, web_app=WebAppInfo(button.web_app))
        # A path under the Mini App's address; without a Mini App the button is left out.
        return InlineKeyboardButton(label, web_app=WebAppInfo(f"{webapp_url}/{button.web_app}")) if webapp_url else None
    if button.action is None:
        return InlineKeyboardButton(label, url=button.url)
    return InlineKeyboardButton(label, callback_data=button.action.pack())


def inline_keyboard(
    _: Translator, rows: Sequence[Sequence[Button]], webapp_url: str = ""
) -> InlineKeyboardMarkup | None:
    """`webapp_url`: the Mini App's public address, empty when the town has none."""
    keyboard = [[b for b in (_button(_, button, webapp_url) for button in row) if b is not None] for row in rows]
    keyboard = [row for row in keyboard if row]
    return InlineKeyboardMarkup(keyboard) if keyboard else None
