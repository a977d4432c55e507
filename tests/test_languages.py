"""Each reader in their language: the one they choose, else their Telegram app's, else the town's; the "/" menu in
every language; the eleven languages offered by name."""

from __future__ import annotations

import json

from bot.i18n import SUPPORTED, Translations
from bot.runtime.inbox import InboxApplication
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser


async def test_language_offers_the_eleven_languages_by_their_own_names_and_keeps_the_choice(
    bot: InboxApplication, fake_api: FakeBotApi
) -> None:
    translations = Translations("fr")
    reader = FakeUser(fake_api, 3001, "Anna", "fr")
    reader.send("/language")
    offer = await reader.expect(translations.get("fr")("language.choose"))
    rows = (offer.reply_markup or {})["inline_keyboard"]
    assert [b["text"] for row in rows for b in row] == [translations.get("fr")(f"language.name.{c}") for c in SUPPORTED]
    assert "🇬🇷 Ελληνικά" in [b["text"] for row in rows for b in row] and max(len(row) for row in rows) == 2
    reader.press("Ελληνικά")
    await reader.expect(translations.get("el")("language.set"))
    reader.send("/start")
    await reader.expect_button(translations.get("el")("menu.report"))


async def test_a_reader_the_bot_has_never_seen_is_answered_in_the_language_of_their_telegram_app(
    bot: InboxApplication, fake_api: FakeBotApi
) -> None:
    translations = Translations("fr")
    for user_id, code, catalogue in (
        (3002, "hr", "cnr"),
        (3003, "pt-BR", "pt"),
        (3004, "hu", "hu"),
        (3005, "de", "fr"),
    ):
        reader = FakeUser(fake_api, user_id, "Ana", code)
        reader.send("/help")
        help_text = translations.get(catalogue)("help.anyone")
        answer = await reader.expect(help_text.splitlines()[1])
        assert answer.text == help_text, (code, answer.text)


async def test_the_command_menu_is_published_in_every_language_and_the_town_s_for_the_others(
    bot: InboxApplication, fake_api: FakeBotApi
) -> None:
    translations = Translations("fr")
    published: dict[object, list[dict[str, str]]] = {
        params.get("language_code"): json.loads(str(params["commands"]))
        for method, params in fake_api.calls
        if method == "setMyCommands"
    }
    expected = {None, "fr", "en", "it", "es", "pt", "ro", "el", "sl", "da", "hu", "sr", "hr", "bs"}
    assert set(published) == expected
    for code, catalogue in ((None, "fr"), ("el", "el"), ("hr", "cnr"), ("da", "da")):
        report = next(c for c in published[code] if c["command"] == "report")
        assert report["description"] == translations.get(catalogue)("command.report")
