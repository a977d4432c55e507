"""The people who write to the bot: remembered by their first name, read in the language they chose."""

from __future__ import annotations

from bot.i18n import SUPPORTED, Translations, Translator
from bot.storage.users import UserRepository


class PeopleService:
    def __init__(self, users: UserRepository, translations: Translations) -> None:
        self._users = users
        self._translations = translations

    async def remember(self, telegram_id: int, first_name: str, telegram_language: str | None = None) -> None:
        """Who wrote; the language of their Telegram app, for the notices they get later (when no update of
        theirs says it)."""
        await self._users.remember(telegram_id, first_name, telegram_language)

    async def first_name(self, telegram_id: int) -> str | None:
        found = await self._users.get(telegram_id)
        return found.first_name if found else None

    async def translator_for(self, telegram_id: int | None, client_language: str | None = None) -> Translator:
        """The language a person reads: their choice, else their Telegram's (the update's, or the one they last
        wrote with), else the town's default; its words agree with a volunteer who said they are a woman or
        a man."""
        record = await self._users.get(telegram_id) if telegram_id is not None else None
        if record is None:
            return self._translations.pick(None, client_language)
        chosen = self._translations.pick(record.language, client_language or record.telegram_language)
        return chosen.agreeing(record.gender.grammar if record.gender else None)

    async def choose_language(self, telegram_id: int, language: str) -> Translator | None:
        """The person's language from now on, in which to answer; None for a language the bot does not speak."""
        if language not in SUPPORTED:
            return None
        await self._users.set_language(telegram_id, language)
        return await self.translator_for(telegram_id)
