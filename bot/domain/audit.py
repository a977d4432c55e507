"""An entry of the audit log: who opened which file, exported what, erased what; never the content."""

from __future__ import annotations

from bot.domain.records import Record

# Actor of what the bot does by itself (the daily retention pass).
BOT_ACTOR = 0


class AuditEntry(Record):
    at: str
    actor: int
    actor_name: str | None
    action: str
    subject: str
