"""The real report site, built by the engine from the project's manifest, read as a reader would.

One build per session (``notebook_runs.site_build``, into a temporary ``outputs/``, shared with the
notebook tests that read the same runs): every notebook of ``reports.toml`` in both languages, and
the district profile for two districts (the other districts are the same notebook with another
parameter). Then:

- without a browser, every report page passes the page check (``reportbuild.pagecheck``: no
  truncated cell, no stderr box, no default or missing alt text, no external resource, a zh page in
  Chinese and an en page in English, quotations aside);
- in headless Chromium (tests/browser.py), the home pages and every report load with no console
  error and no request outside ``outputs/``, every image decodes (and is drawn at 2x or better),
  zh pages show Chinese, every link resolves (local files and anchors exist; http(s) links appear
  only in source lists and are not fetched), no page is wider than a phone, the language switch
  keeps the reader on the same report, the filter box filters, print hides the navigation;
  screenshots of the home page, one report and the data explorer at desktop and phone width go
  to ``outputs/screenshots/``;
- the data explorer (``data/explorer.html``, ``data/explorer.en.html``) is among the pages above,
  and every figure an evidence table shows links to its row there, which lists the report back
  (its filters are tested in tests/test_explorer.py).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from browser import DESKTOP, PHONE, PageWatch, browser  # noqa: F401 - the fixture is used by name
from notebook_runs import SITE_DISTRICTS, site_build, site_runs
from reportbuild.layout import Layout
from reportbuild.pagecheck import check_page

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "outputs" / "screenshots"
DISTRICTS = SITE_DISTRICTS  # chosen in tests/notebook_runs.py, which builds the site once per session
SCREENSHOT_REPORT = "garbage_sorting-zh"

# Where a link to the web may stand: lists of sources (display helpers: ul.sources, the figures
# table's source column; the home page's source section; the explorer's tables of figures).
SOURCE_CONTAINERS = ".sources, table.figures, #source, table.obs"
# The data explorer's pages (reportbuild.explorer), relative to outputs/.
EXPLORER = {"zh": "data/explorer.html", "en": "data/explorer.en.html"}


def selected_runs() -> list[str]:
    return site_runs()


@pytest.fixture(scope="module")
def site() -> Layout:
    built = site_build()
    code, out, err = built.code, built.out, built.err
    assert code == 0, out + err
    return built.layout


def reports(layout: Layout) -> list[str]:
    return sorted(p.stem for p in layout.outputs.glob("*.html") if p.stem not in ("index", "index.en", "build"))


# -- without a browser ------------------------------------------------------------------------------


def test_every_selected_run_has_its_report_and_key_results(site):
    assert reports(site) == sorted(selected_runs())
    for run in selected_runs():
        assert site.results(run).is_file(), run


@pytest.mark.parametrize("run", selected_runs())
def test_every_report_passes_the_page_check(site, run):
    page = site.html(run).read_text(encoding="utf-8")
    problems = check_page(page, "en" if run.endswith("-en") else "zh")
    assert problems == [], "\n".join(map(str, problems[:10]))


def test_the_home_pages_pass_the_page_check(site):
    for name, lang in (("index.html", "zh"), ("index.en.html", "en"), ("build.html", None)):
        assert check_page((site.outputs / name).read_text(encoding="utf-8"), lang) == [], name


def test_the_explorer_is_on_the_site_and_the_evidence_tables_link_to_its_rows(site):
    """Each report's evidence table links every figure to its row in the explorer of the report's
    language, and that row lists the report (in that language) among the reports that use it."""
    explorer = {lang: (site.outputs / page).read_text(encoding="utf-8") for lang, page in EXPLORER.items()}
    for lang, page in explorer.items():
        assert check_page(page, lang) == [], lang
        assert f'href="../{"index.html" if lang == "zh" else "index.en.html"}"' in page
    assert 'href="data/explorer.html"' in (site.outputs / "index.html").read_text(encoding="utf-8")
    assert 'href="data/explorer.en.html"' in (site.outputs / "index.en.html").read_text(encoding="utf-8")
    linked = 0
    for run in reports(site):
        lang = "en" if run.endswith("-en") else "zh"
        report = site.html(run).read_text(encoding="utf-8")
        for target, observation_id in re.findall(r'<a class="obs-id" href="([^"#]+)#obs-([^"]+)">', report):
            assert target == EXPLORER[lang], (run, target)
            page = explorer[lang]
            start = page.index(f'<tr id="obs-{observation_id}"')
            assert f'href="../{run}.html"' in page[start:page.index("</tr>", start)], (run, observation_id)
            linked += 1
    assert linked > 100


# -- in the browser ---------------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")

IMAGES = """() => Array.from(document.images).map(img => ({
    src: img.currentSrc.slice(0, 60), complete: img.complete, natural: img.naturalWidth,
    shown: img.getBoundingClientRect().width}))"""
LINKS = f"""() => Array.from(document.querySelectorAll('a[href]')).map(a => ({{
    raw: a.getAttribute('href'), url: a.href, source: a.closest({SOURCE_CONTAINERS!r}) !== null,
    switch: a.closest('nav.topbar') !== null ? a.getAttribute('hreflang') : null}}))"""
WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def pages(layout: Layout) -> list[str]:
    return (["index.html", "index.en.html", "build.html"] + list(EXPLORER.values())
            + [f"{run}.html" for run in reports(layout)])


@functools.cache
def ids_of(path: Path) -> frozenset[str]:
    """The ids of an HTML file of the built site (read once: the site does not change under the tests,
    and every report links to the explorer's rows by id)."""
    return frozenset(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))


def link_problems(layout: Layout, page: str, links: list[dict]) -> list[str]:
    """Links of ``page`` that do not resolve inside outputs/, or web links outside source lists."""
    problems = []
    outputs = layout.outputs.resolve()
    for link in links:
        raw, url = link["raw"], link["url"]
        if url.startswith(("http://", "https://")):
            if not link["source"]:
                problems.append(f"{page}: web link outside a source list: {raw}")
            continue
        if not url.startswith("file:"):
            problems.append(f"{page}: link of another kind: {raw}")
            continue
        parsed = urlparse(url)
        target = Path(unquote(parsed.path))
        if outputs not in target.resolve().parents:
            problems.append(f"{page}: link outside outputs/: {raw}")
        elif not target.is_file():
            problems.append(f"{page}: link to a missing file: {raw}")
        elif parsed.fragment and target.suffix == ".html":
            known = ids_of(target)
            if parsed.fragment not in known and unquote(parsed.fragment) not in known:
                problems.append(f"{page}: link to a missing anchor: {raw}")
    return problems


def test_every_page_loads_clean_at_desktop_and_phone_width(site, browser):  # noqa: F811
    browser.run(_every_page_loads_clean_at_desktop_and_phone_width, site)


def _every_page_loads_clean_at_desktop_and_phone_width(chromium, site):
    failures = []
    langs: dict[str, str] = {}  # page -> its lang
    switches: dict[str, list[tuple[str, str]]] = {}  # page -> its top bar's (language, target) links
    for viewport in (DESKTOP, PHONE):
        watch = PageWatch(chromium, site.outputs, viewport=viewport)
        try:
            for page in pages(site):
                before = len(watch.errors), len(watch.outside)
                tab = watch.open(page)
                failures += [f"{page}: {e}" for e in watch.errors[before[0]:]]
                failures += [f"{page}: request outside outputs/: {u}" for u in watch.outside[before[1]:]]
                for img in tab.evaluate(IMAGES):
                    if not (img["complete"] and img["natural"] > 0):
                        failures.append(f"{page}: image does not decode: {img['src']}")
                    elif viewport is DESKTOP and img["natural"] < 1.5 * img["shown"]:
                        failures.append(f"{page}: image not crisp ({img['natural']} px drawn at {img['shown']:.0f})")
                wide, width = tab.evaluate(WIDTH)
                if viewport is PHONE and wide > width + 1:
                    failures.append(f"{page}: {wide} px wide on a {width} px phone")
                if viewport is DESKTOP:
                    links = tab.evaluate(LINKS)
                    failures += link_problems(site, page, links)
                    switches[page] = [(link["switch"], link["url"]) for link in links if link["switch"]]
                    lang = langs[page] = tab.evaluate("document.documentElement.lang")
                    text = tab.inner_text("body")
                    if lang == "zh" and len(CJK.findall(text)) < 50:
                        failures.append(f"{page}: a zh page with little Chinese text")
        finally:
            watch.close()
    failures += language_switch_problems(site, langs, switches)
    assert failures == [], "\n".join(failures[:30])


def language_switch_problems(site: Layout, langs: dict[str, str],
                             switches: dict[str, list[tuple[str, str]]]) -> list[str]:
    """Reports whose top bar does not switch to the same report in the other language (one link,
    to a page in that language), from the links and languages the browser read on every page."""
    problems = []
    for run in reports(site):
        page, other = f"{run}.html", "en" if run.endswith("-zh") else "zh"
        targets = [url for lang, url in switches[page] if lang == other]
        counterpart = f"{run[:-2]}{other}.html"
        if len(targets) != 1 or not targets[0].endswith(f"/{counterpart}"):
            problems.append(f"{page}: the language switch goes to {targets}, not {counterpart}")
        elif langs.get(counterpart) != other:
            problems.append(f"{page}: the language switch's page {counterpart} is in {langs.get(counterpart)}")
    return problems


def test_the_language_switch_keeps_the_reader_on_the_same_report(site, browser):  # noqa: F811
    """A click on the switch, both ways, on one report and on the home page (every report's switch
    is read, with the language of the page it opens, by the test that loads every page)."""
    browser.run(_the_language_switch_keeps_the_reader_on_the_same_report, site)


def _the_language_switch_keeps_the_reader_on_the_same_report(chromium, site):
    watch = PageWatch(chromium, site.outputs)
    try:
        for run in (SCREENSHOT_REPORT, f"{SCREENSHOT_REPORT[:-2]}en"):
            tab = watch.open(f"{run}.html")
            other = "en" if run.endswith("-zh") else "zh"
            switch = tab.locator(f'nav.topbar a[hreflang="{other}"]')
            assert switch.count() == 1, run
            switch.click()
            tab.wait_for_load_state()
            assert tab.url.endswith(f"{run[:-2]}{other}.html"), (run, tab.url)
            assert tab.evaluate("document.documentElement.lang") == other
        home = watch.open("index.html")
        home.locator('nav.topbar a[hreflang="en"]').click()
        home.wait_for_load_state()
        assert home.url.endswith("/index.en.html") and "Topics" in home.inner_text("body")
        assert watch.errors == []
    finally:
        watch.close()


def test_the_filter_box_filters_the_reports(site, browser):  # noqa: F811
    browser.run(_the_filter_box_filters_the_reports, site)


def _the_filter_box_filters_the_reports(chromium, site):
    watch = PageWatch(chromium, site.outputs)
    try:
        tab = watch.open("index.html")
        cards = tab.locator("article.card")
        total = cards.count()
        assert total == tab.locator("article.card:visible").count() > 10

        # one district with a page of its own in the test site (the others share one page)
        # (a topic whose figures include Pudong's matches too: its card names the scopes it covers)
        tab.fill("#filter", "浦东新区")
        shown = tab.locator("article.card:visible").all_inner_texts()
        assert 0 < len(shown) < total and any(text.startswith("浦东新区") for text in shown)
        assert all("Pudong" not in text for text in shown) and tab.locator("#districts").is_visible()

        tab.fill("#filter", "pudong")  # English names are found on the Chinese page too
        assert any(text.startswith("浦东新区") for text in tab.locator("article.card:visible").all_inner_texts())

        tab.fill("#filter", "no such report zzz")
        assert tab.locator("article.card:visible").count() == 0 and tab.locator("#no-match").is_visible()

        tab.fill("#filter", "")
        assert tab.locator("article.card:visible").count() == total and tab.locator("#no-match").is_hidden()
        assert watch.errors == []
    finally:
        watch.close()


def test_pages_print_without_navigation(site, browser):  # noqa: F811
    browser.run(_pages_print_without_navigation, site)


def _pages_print_without_navigation(chromium, site):
    watch = PageWatch(chromium, site.outputs)
    try:
        for page in ("index.html", f"{SCREENSHOT_REPORT}.html"):
            tab = watch.open(page)
            tab.emulate_media(media="print")
            assert tab.locator("nav.topbar").is_hidden(), page
            assert tab.locator("details.cg-code").first.is_hidden() if page != "index.html" else True
            assert tab.locator("h1").is_visible()
            tab.pdf(path=str(site.outputs / ".build" / f"{page}.pdf"))  # prints without an error
    finally:
        watch.close()


def test_screenshots_of_the_home_page_and_a_report(site, browser):  # noqa: F811
    """Kept under outputs/screenshots/ for a person to look at."""
    browser.run(_screenshots_of_the_home_page_and_a_report, site)


def _screenshots_of_the_home_page_and_a_report(chromium, site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = []
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        watch = PageWatch(chromium, site.outputs, viewport=viewport)
        try:
            for page, name in (("index.html", "home-zh"), ("index.en.html", "home-en"),
                               (f"{SCREENSHOT_REPORT}.html", "report-zh"),
                               (f"{SCREENSHOT_REPORT[:-2]}en.html", "report-en"),
                               (EXPLORER["zh"], "explorer-zh"), (EXPLORER["en"], "explorer-en")):
                tab = watch.open(page)
                path = SCREENSHOTS / f"{name}-{label}.png"
                tab.screenshot(path=str(path), full_page=name.startswith("home"))
                shots.append(path)
        finally:
            watch.close()
    for path in shots:
        assert path.stat().st_size > 10_000, path  # a page was drawn, not a blank
