"""Which configuration file a command reads; apart from `bot.config` so that finding it loads no pydantic."""

from __future__ import annotations

from pathlib import Path

# A link to the repository's example in a clone, the file itself in the installed package (pyproject).
EXAMPLE_CONFIG = Path(__file__).resolve().parent / "config.example.toml"


def config_path(path: Path | None) -> Path:
    """The file asked for, else config.toml where the command runs, else the shipped example."""
    if path is not None:
        return path
    return Path("config.toml") if Path("config.toml").is_file() else EXAMPLE_CONFIG
