"""Logging for operators: one line per event, and nothing personal.

Lines are `time level logger message`; a traceback is folded into its line so a log reader or a shipper sees
one event per line. Only the bot's own loggers follow the level asked for: at DEBUG, libraries print what
people typed (python-telegram-bot's updates, aiosqlite's SQL parameters) or the token (httpx's URLs), so
they never go below INFO, and the ones that print URLs not below WARNING."""

from __future__ import annotations

import logging
import sys

URL_PRINTERS = ("httpx", "httpcore", "apscheduler", "tornado.access")


class OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", " ").replace("\n", " ⏎ ")


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    asked = logging.getLevelName(level)
    root.setLevel(max(asked, logging.INFO))
    logging.getLogger("bot").setLevel(asked)
    for name in URL_PRINTERS:
        logging.getLogger(name).setLevel(logging.WARNING)
