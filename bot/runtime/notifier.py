"""The one way out: services' notices rendered in each recipient's language and sent through the bot."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot.i18n import Translator
from bot.services.notifications import Button, Notice

log = logging.getLogger(__name__)


def inline_keyboard(_: Translator, rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text if b.text is not None else _(b.label_key), callback_data=b.data) for b in row]
         for row in rows]
    )


def render(_: Translator, key: str, params: Mapping[str, object]) -> str:
    """Parameters named `x_key` are catalogue keys, translated and passed as `x`."""
    resolved = {
        (name[:-4] if name.endswith("_key") else name): (_(str(value)) if name.endswith("_key") else value)
        for name, value in params.items()
    }
    return _(key, **resolved)


class TelegramNotifier:
    def __init__(self, translator_for: Callable[[int], Awaitable[Translator]]) -> None:
        self._translator_for = translator_for
        self.bot: Bot | None = None

    async def tell(self, recipient: int, notice: Notice) -> bool:
        if self.bot is None:
            raise RuntimeError("notifier used before the bot started")
        translator = await self._translator_for(recipient)
        try:
            await self.bot.send_message(
                recipient,
                render(translator, notice.key, notice.params),
                reply_markup=inline_keyboard(translator, notice.buttons),
            )
        except (Forbidden, BadRequest) as exc:
            # The person blocked the bot or never started it: nothing to retry, but the coordinator's
            # views still show the state, so the information is not lost.
            log.warning("notice.undeliverable recipient=%s key=%s reason=%s", recipient, notice.key, type(exc).__name__)
            return False
        return True
