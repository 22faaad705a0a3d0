"""The layout of a report page in Chromium (issue 17 part 5): tables fit a 1280 px page, the evidence
table is collapsed under a line that counts its figures, numbers of the contents from 10 up are not
cut off, and at phone width nothing but a table's own box scrolls sideways.

The page is rendered by the engine from a hand-made executed notebook holding the display helpers'
real output (an evidence table of the garbage-sorting figures, a wide table of long headers).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from nbformat import v4

import chengguan.display as show
from browser import DESKTOP, PHONE, PageWatch, browser  # noqa: F401 - the fixture is used by name
from chengguan.tables import load_observations
from reportbuild.render import PageLinks, prepare, render_report

SECTIONS = 12


def _html_cell(html: str) -> object:
    return v4.new_code_cell("x", execution_count=1, outputs=[
        v4.new_output("display_data", data={"text/html": html, "text/plain": "x"})])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    obs = load_observations(domain="garbage_sorting", lang="zh")
    # Ten columns whose headers are long phrases over numbers: kept on one line, they made such
    # tables wider than the page.
    wide = pd.DataFrame({f"每百起案件整改处数（有整改案件比例的上限）{i}": [1234.5 * i, 0.25] for i in range(10)})
    cells = [v4.new_markdown_cell("# 生活垃圾分类执法：立案的比重上升")]
    for i in range(1, SECTIONS + 1):
        cells.append(v4.new_markdown_cell(f"## 第 {i} 节\n\n本节说明一个数字的来源。"))
        if i == 2:
            cells.append(_html_cell(show.table(wide).html))
    cells.append(_html_cell(show.figures(obs, "zh").html))
    page = render_report(prepare(v4.new_notebook(cells=cells), "zh").nb, lang="zh", fallback_title="t",
                         links=PageLinks(), show_code=False)
    root = tmp_path_factory.mktemp("layout")
    (root / "report.html").write_text(page, encoding="utf-8")
    return root, len(obs)


MEASURE = """() => {
  const boxes = [...document.querySelectorAll('main .table-scroll')];
  return {
    page: document.documentElement.scrollWidth,
    scrolling: boxes.filter(b => b.scrollWidth > b.clientWidth + 1).map(b => b.querySelector('table').className),
    tables: boxes.length,
  };
}"""

# Room left of each top-level entry of the side contents for its number, against the width of
# that number ("12.") set in the entry's own font.
TOC = """() => {
  const nav = document.querySelector('nav.toc-side');
  const left = nav.getBoundingClientRect().left;
  return [...nav.querySelectorAll(':scope > ol > li')].map((li, i) => {
    const probe = document.createElement('span');
    probe.textContent = `${i + 1}. `;
    probe.style.font = getComputedStyle(li).font;
    probe.style.position = 'absolute';
    document.body.appendChild(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    return [i + 1, li.getBoundingClientRect().left - left, needed];
  });
}"""


def _desktop(chromium: object, root: Path, figures: int) -> None:
    watch = PageWatch(chromium, root, DESKTOP)
    try:
        page = watch.open("report.html")
        evidence = page.locator("details.evidence")  # type: ignore[attr-defined]
        assert evidence.count() == 1 and evidence.get_attribute("open") is None
        assert f"（{figures} 个）" in evidence.locator("summary").inner_text()
        assert page.locator("table.figures").is_hidden()  # type: ignore[attr-defined]
        entries = page.evaluate(TOC)  # type: ignore[attr-defined]
        assert len(entries) == SECTIONS
        for number, room, needed in entries:
            assert room >= needed, f"the number {number}. needs {needed:.1f} px and has {room:.1f}"
        evidence.locator("summary").click()
        assert page.locator("table.figures").is_visible()  # type: ignore[attr-defined]
        found = page.evaluate(MEASURE)  # type: ignore[attr-defined]
        assert found["tables"] == 2 and found["scrolling"] == [], found
        assert found["page"] <= DESKTOP["width"], found
        assert watch.errors == [] and watch.outside == []
    finally:
        watch.close()


def _phone(chromium: object, root: Path) -> None:
    watch = PageWatch(chromium, root, PHONE)
    try:
        page = watch.open("report.html")
        page.locator("details.evidence summary").click()  # type: ignore[attr-defined]
        found = page.evaluate(MEASURE)  # type: ignore[attr-defined]
        assert found["page"] <= PHONE["width"], found  # wide tables scroll in their own box
    finally:
        watch.close()


def test_tables_fit_a_1280_px_page_and_the_evidence_is_collapsed(browser, site) -> None:  # noqa: F811
    browser.run(_desktop, *site)


def test_at_phone_width_only_tables_scroll_sideways(browser, site) -> None:  # noqa: F811
    browser.run(_phone, site[0])
