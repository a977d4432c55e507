"""A real headless browser for the Mini App's end-to-end tests: Debian's chromium package driven by Playwright
(never a browser Playwright downloads). Playwright's sync API runs in one thread of its own, so the bot and
its fake Bot API keep the test's event loop while the page is driven."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DOCS = Path(__file__).resolve().parent.parent / "docs"


def screenshots(tmp_path: Path) -> Path:
    """Where the pages' pictures go: docs/ with WRITE_SCREENSHOTS=1 (to refresh the README's), else the test's
    own folder, so a test run leaves the repository as it was."""
    return DOCS if os.environ.get("WRITE_SCREENSHOTS") else tmp_path


T = TypeVar("T")


def chromium_or_skip() -> None:
    """Skipped on a laptop without chromium; never in CI, which installs it (.ci/run)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed here (apt-get install chromium); CI installs it and runs these tests")


class Browser:
    """One chromium for a module; `run` calls a function of a Playwright page in the browser's thread."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="browser")
        self._playwright: Any = None
        self._browser: Any = None

    def start(self) -> Browser:
        def launch() -> None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        self._thread.submit(launch).result()
        return self

    def stop(self) -> None:
        def close() -> None:
            self._browser.close()
            self._playwright.stop()

        self._thread.submit(close).result()
        self._thread.shutdown()

    async def run(self, action: Callable[[Any], T], width: int = 1200, height: int = 900) -> T:
        """A fresh page of that size, given to `action` in the browser's thread; closed after."""

        def in_thread() -> T:
            page = self._browser.new_page(viewport={"width": width, "height": height})
            try:
                return action(page)
            finally:
                page.close()

        return await asyncio.get_running_loop().run_in_executor(self._thread, in_thread)


def opened_from_telegram(url: str, init_data: str, theme: dict[str, str] | None = None) -> str:
    """The address Telegram opens: the page, with the signed init data (and the theme) in the fragment."""
    themed = f"&tgWebAppThemeParams={quote(json.dumps(theme), safe='')}" if theme else ""
    return f"{url}#tgWebAppData={quote(init_data, safe='')}&tgWebAppVersion=7.0{themed}"


def browser_fixture() -> Iterator[Browser]:
    chromium_or_skip()
    browser = Browser().start()
    yield browser
    browser.stop()
