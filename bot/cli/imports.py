"""`lien-bot import-volunteers FILE` and `import-persons FILE`: the validation report line by line,
then, with --apply, the whole file in one transaction (nothing when a line is rejected)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from telegram import Bot
from telegram.error import TelegramError

from bot.config import Settings
from bot.errors import OperatorError
from bot.i18n import Translations, Translator
from bot.imports.report import ImportKind, full_text, plain
from bot.runtime.notifier import OutboxNotifier
from bot.services.container import Services, build_services
from bot.services.imports import COMMAND_LINE
from bot.services.invitations import invitation_link
from bot.storage.opening import open_database
from bot.storage.outbox import OutboxRepository
from bot.storage.sealing import unlock

log = logging.getLogger(__name__)


def import_file(settings: Settings, kind: ImportKind, path: Path, apply: bool, _: Translator) -> int:
    """0 when the file is valid (and, with apply, imported), 1 when a line or the file is rejected."""
    if not path.is_file():
        raise OperatorError("cli.no_file", path=path)
    return asyncio.run(_import(settings, kind, path.read_bytes(), apply, _))


async def _import(settings: Settings, kind: ImportKind, data: bytes, apply: bool, _: Translator) -> int:
    translations = Translations(settings.i18n.default_language)
    db = await open_database(settings)
    try:
        # Phones are sealed at rest: the same key as the bot's opens and seals them.
        await unlock(db, settings.privacy)
        svc = build_services(settings, db, translations, OutboxNotifier(OutboxRepository(db)))
        await svc.streets.refresh()
        report = await (svc.imports.apply(kind, data, COMMAND_LINE) if apply else svc.imports.check(kind, data))
        for line in full_text(_, report):
            print(line)
        if not apply and not report.rejected and report.changes:
            print(plain(_("import.cli.apply_hint")))
        if report.applied and kind == ImportKind.VOLUNTEERS:
            await _print_links(settings, svc, _)
    finally:
        await db.close()
    return 1 if report.rejected else 0


async def _print_links(settings: Settings, svc: Services, _: Translator) -> None:
    """Every invitation still unused, for the coordinator to send as they like (also /invitations)."""
    waiting = await svc.invitations.unclaimed()
    if not waiting:
        return
    username = await _bot_username(settings)
    print()
    print(plain(_("import.links", count=len(waiting))))
    for record in waiting:
        print(f"{record.full_name}: {invitation_link(username or '<bot>', record.code)}")
    if username is None:
        print(plain(_("import.links_need_token")))


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
