"""A headless Chromium for the site tests: Debian's ``chromium`` driven by playwright-python.

Playwright's own browser downloads (``playwright install``) are never used: the tests launch the
system browser, ``/usr/bin/chromium`` (Debian package ``chromium``; ``.ci/run`` installs it), or
the one named by ``CHENGGUAN_CHROMIUM``. Where it is absent the browser tests are skipped with the
install hint, except in CI (``CI=true``), where a missing browser is a failure: a green CI must
mean the site was looked at in a browser.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

DEFAULT_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "install Debian's package: apt-get install chromium"

# Headless, and nothing that talks to the network on its own (updates, sync, field trials), so
# that every request a page makes is one the test can see and judge.
LAUNCH_ARGS = (
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

T = TypeVar("T")

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}  # a common phone's CSS-pixel viewport


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None when none is installed."""
    wanted = os.environ.get("CHENGGUAN_CHROMIUM", DEFAULT_CHROMIUM)
    found = wanted if os.path.isfile(wanted) else shutil.which(wanted)
    return found if found and os.access(found, os.X_OK) else None


def require_chromium() -> str:
    """The Chromium path; skips the test when it is absent (fails in CI)."""
    path = chromium_path()
    if path is None:
        message = f"no Chromium at {os.environ.get('CHENGGUAN_CHROMIUM', DEFAULT_CHROMIUM)}: {INSTALL_HINT}"
        if in_ci():
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    return path


class BrowserThread:
    """Chromium driven from a thread of its own.

    Playwright's sync API refuses to start where an asyncio loop runs, and other tests in the
    session (kernels, papermill) may leave one behind in the main thread; on its own thread the
    browser never meets it. Every use of the browser goes through :meth:`run`.
    """

    def __init__(self, executable: str) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._thread.submit(self._start, executable).result()

    def _start(self, executable: str) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(executable_path=executable, args=list(LAUNCH_ARGS))

    def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(browser, *args)`` on the browser's thread; its result or its exception."""
        return self._thread.submit(function, self.browser, *args).result()

    def close(self) -> None:
        def stop() -> None:
            try:
                self.browser.close()
            finally:
                self._playwright.stop()

        self._thread.submit(stop).result()
        self._thread.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[BrowserThread]:
    """The system Chromium, shared by the session (see BrowserThread)."""
    executable = require_chromium()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        message = "playwright is not installed: pip install -e '.[dev]'"
        if in_ci():
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    thread = BrowserThread(executable)
    try:
        yield thread
    finally:
        thread.close()


def file_url(path: Path) -> str:
    return path.resolve().as_uri()


class PageWatch:
    """One page opened from a local folder, with what it asked of the world.

    Every request outside ``root`` (another folder, or any http(s) address) is recorded and, when
    it is not a file, aborted: a page of the site must need nothing from the network, and the test
    must not reach it either. Console errors, uncaught exceptions and failed loads are recorded.
    """

    def __init__(self, browser: object, root: Path, viewport: dict[str, int] | None = None) -> None:
        self.root = root.resolve()
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport=viewport or DESKTOP)  # type: ignore[attr-defined]
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", self._request)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"exception: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed load: {r.url} ({r.failure})"))

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            route.abort()  # type: ignore[attr-defined]

    def _request(self, request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        if url.startswith(("data:", "about:")):
            return
        if not url.startswith("file:") or not self._inside(url):
            self.outside.append(url)

    def _inside(self, url: str) -> bool:
        from urllib.parse import unquote, urlparse

        path = Path(unquote(urlparse(url).path)).resolve()
        return path == self.root or self.root in path.parents

    def open(self, relative: str) -> object:
        """Load ``root/relative`` and wait until it and its images have loaded."""
        self.page.goto(file_url(self.root / relative), wait_until="load")
        return self.page

    def close(self) -> None:
        self.context.close()
