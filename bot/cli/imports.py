"""`lien-bot import-volunteers FILE` and `import-persons FILE`: the validation report line by line,
then, with --apply, the whole file in one transaction (nothing when a line is rejected)."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

from telegram import Bot
from telegram.error import TelegramError

from bot.cli.database import open_settings_database, unlock_configured
from bot.config import Settings
from bot.domain.errors import OperatorError
from bot.i18n import Translations, Translator
from bot.imports.report import ImportKind, full_text
from bot.runtime.notifier import OutboxNotifier
from bot.services.container import build_services
from bot.services.imports import COMMAND_LINE
from bot.services.invitations import invitation_link
from bot.storage.outbox import OutboxRepository

log = logging.getLogger(__name__)


def import_file(settings: Settings, kind: ImportKind, path: Path, apply: bool, _: Translator) -> int:
    """0 when the file is valid (and, with apply, imported), 1 when a line or the file is rejected."""
    if not path.is_file():
        raise OperatorError("cli.no_file", path=path)
    return asyncio.run(_import(settings, kind, path.read_bytes(), apply, _))


async def _import(settings: Settings, kind: ImportKind, data: bytes, apply: bool, _: Translator) -> int:
    translations = Translations(settings.i18n.default_language)
    db = await open_settings_database(settings)
    try:
        # Phones are sealed at rest: the same key as the bot's opens and seals them.
        await unlock_configured(db, settings)
        svc = build_services(settings, db, translations, OutboxNotifier(OutboxRepository(db)))
        await svc.streets.refresh()
        progress = _Progress(_)
        report = await (
            svc.imports.apply(kind, data, COMMAND_LINE, progress) if apply else svc.imports.check(kind, data, progress)
        )
        for line in full_text(_, report):
            print(line)
        if not apply and not report.rejected and report.changes:
            print(_.plain("import.cli.apply_hint"))
        if report.links:
            await _print_links(settings, report.links, _)
    finally:
        await db.close()
    return 1 if report.rejected else 0


class _Progress:
    """On stderr, at most once a second and once at the end: a file of thousands of addresses takes minutes
    when each is asked of the national address API."""

    def __init__(self, _: Translator, clock: Callable[[], float] = time.monotonic) -> None:
        self._ = _
        self._clock = clock
        self._last = clock()

    def __call__(self, done: int, total: int) -> None:
        if done < total and self._clock() - self._last < 1.0:
            return
        self._last = self._clock()
        print(self._.plain("cli.import.progress", done=done, total=total), file=sys.stderr, flush=True)


async def _print_links(settings: Settings, links: tuple[tuple[str, str], ...], _: Translator) -> None:
    """The invitations this import created, for the coordinator to send as they like; shown this once (only
    their hashes are kept: /invitations issues a new link)."""
    username = await _bot_username(settings)
    print()
    days = _.plain("invitations.days", count=settings.invitations.valid_days)
    print(_.plain("import.links_once", count=len(links), days=days))
    for name, code in links:
        print(_.plain("invitations.link_line", name=name, link=invitation_link(username or "<bot>", code)))
    if username is None:
        print(_.plain("import.links_need_token"))


async def _bot_username(settings: Settings) -> str | None:
    """The bot's @username, asked of Telegram with the configured token; None without token or network."""
    if not settings.telegram.token:
        return None
    try:
        async with Bot(settings.telegram.token, base_url=settings.telegram.bot_url) as bot:
            return bot.username
    except (TelegramError, ValueError) as exc:
        log.warning("import.bot_username_unavailable reason=%s", type(exc).__name__)
        return None
