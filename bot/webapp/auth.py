"""Who is asking: the init data Telegram signs for the page, checked with the bot token (HMAC-SHA256, as
Telegram documents it) by a well-kept library, then read for the user. Nothing else the page sends names
anyone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from telegram_webapp_auth.auth import TelegramAuthenticator, generate_secret_key
from telegram_webapp_auth.errors import ExpiredInitDataError, InvalidInitDataError

SCHEME = "tma "


class Refusal(StrEnum):
    MISSING = "missing"
    FORGED = "forged"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Caller:
    telegram_id: int
    first_name: str
    language_code: str | None


class InitDataChecker:
    def __init__(self, bot_token: str, max_age_s: int) -> None:
        self._authenticator = TelegramAuthenticator(generate_secret_key(bot_token))
        self._max_age = timedelta(seconds=max_age_s)

    def caller(self, authorization: str | None) -> Caller | Refusal:
        """The user of a valid `Authorization: tma <initData>` header, or why it is refused."""
        if not authorization or not authorization.startswith(SCHEME):
            return Refusal.MISSING
        try:
            data = self._authenticator.validate(authorization[len(SCHEME) :], expr_in=self._max_age)
        except ExpiredInitDataError:
            return Refusal.EXPIRED
        except (InvalidInitDataError, ValueError):
            return Refusal.FORGED
        user = data.user
        if user is None or not isinstance(user.id, int) or user.id <= 0:
            return Refusal.FORGED
        return Caller(user.id, str(user.first_name or "?"), user.language_code)
