"""`python -m bot ...` as an operator runs it, on a test's database, offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def command(db_path: Path, *args: str, config: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env |= {"BOT_DB_PATH": str(db_path), "BOT_GEOCODING_ONLINE": "false", "PYTHONPATH": str(ROOT)}
    options = ["--config", str(config)] if config else []
    return subprocess.run(
        [sys.executable, "-m", "bot", "--log-level", "WARNING", *options, *args],
        cwd=db_path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
