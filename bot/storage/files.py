"""The bot's files hold personal data (the database and its log, the key, backups, exports): each is created
readable by the bot's own account only (0600, folders 0700), whatever the umask of the shell or service that
started it, and files left readable by a version that did not care are tightened at start."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

OWNER_FILE = 0o600
OWNER_FOLDER = 0o700
# What another account of the machine could read, write or enter.
OTHERS = 0o077


def private_folder(folder: Path) -> Path:
    """The folder, created owner-only with the parents it lacks; a folder that exists is left as it is (it may
    be the operator's, such as the current directory)."""
    missing = [path for path in (folder, *folder.parents) if not path.exists()]
    for path in reversed(missing):
        try:
            path.mkdir(mode=OWNER_FOLDER)
        except FileExistsError:
            continue
        # mkdir's mode goes through the umask: set it as meant.
        path.chmod(OWNER_FOLDER)
    return folder


def private_file(path: Path) -> Path:
    """The file, created empty and owner-only when it does not exist yet (before anything writes into it)."""
    private_folder(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_FILE)
    except FileExistsError:
        return path
    os.fchmod(fd, OWNER_FILE)
    os.close(fd)
    return path


@contextmanager
def write_private(path: Path, encoding: str = "utf-8", *, append: bool = False) -> Iterator[IO[str]]:
    """Open a text file for writing, owner-only from its first byte (created so, or tightened if it existed)."""
    private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC), OWNER_FILE)
    os.fchmod(fd, OWNER_FILE)
    with os.fdopen(fd, "a" if append else "w", encoding=encoding, newline="") as handle:
        yield handle


def tighten(paths: Iterable[Path]) -> list[Path]:
    """Make owner-only those of `paths` that exist and that other accounts could read; returns them."""
    tightened = []
    for path in paths:
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            continue
        if not mode & OTHERS:
            continue
        path.chmod(OWNER_FOLDER if stat.S_ISDIR(mode) else OWNER_FILE)
        tightened.append(path)
    return tightened


def log_tightened(paths: list[Path]) -> None:
    """One line for all the files tightened at start, so the operator sees it happened and where."""
    if paths:
        log.warning(
            "files.tightened count=%s paths=%s: they were readable by other accounts of this machine, "
            "now only by the bot's",
            len(paths),
            ",".join(str(path) for path in paths),
        )
