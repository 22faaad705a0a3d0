"""The browser harness itself: the system Chromium starts, and what a page asks for is seen.

If these fail, the site tests (test_site_browser.py) would prove nothing.
"""

from __future__ import annotations

from pathlib import Path

from browser import PHONE, PageWatch, browser  # noqa: F401 - the fixture is used by name

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f0e8b30000000049454e44ae426082")


def _site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    (root / "dot.png").write_bytes(PNG_1PX)
    (root / "index.html").write_text(
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><h1>城管执法</h1><img src="dot.png" alt="一个点"></body></html>', encoding="utf-8")
    (root / "bad.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="https://cdn.invalid/x.css"></head>'
        '<body><img src="../elsewhere.png" alt="x"><script>console.error("boom")</script></body></html>',
        encoding="utf-8")
    (tmp_path / "elsewhere.png").write_bytes(PNG_1PX)
    return root


def clean_page(chromium, root: Path) -> None:
    watch = PageWatch(chromium, root, viewport=PHONE)
    try:
        page = watch.open("index.html")
        assert page.inner_text("h1") == "城管执法"
        assert page.evaluate("document.images[0].naturalWidth") == 1
        assert watch.errors == [] and watch.outside == []
    finally:
        watch.close()


def bad_page(chromium, root: Path) -> None:
    watch = PageWatch(chromium, root)
    try:
        watch.open("bad.html")
        assert "https://cdn.invalid/x.css" in watch.outside
        assert any(url.endswith("/elsewhere.png") for url in watch.outside)
        assert any("boom" in e for e in watch.errors)
        assert any("cdn.invalid" in e for e in watch.errors)  # aborted: never reached the network
    finally:
        watch.close()


def test_a_clean_page_loads_with_chinese_text_and_its_image(browser, tmp_path: Path) -> None:  # noqa: F811
    browser.run(clean_page, _site(tmp_path))


def test_requests_outside_the_folder_and_console_errors_are_caught(browser, tmp_path: Path) -> None:  # noqa: F811
    browser.run(bad_page, _site(tmp_path))


def test_the_browser_works_where_an_asyncio_loop_runs(browser, tmp_path: Path) -> None:  # noqa: F811
    import asyncio

    root = _site(tmp_path)

    async def inside_a_loop() -> None:
        browser.run(clean_page, root)  # a blocking call from a coroutine: fine for a test

    asyncio.run(inside_a_loop())
