"""chengguan.links: the one gate between an address and an href/src, and every page kind through it
(report sources and figures tables, a report page whatever its notebook printed, home and build
pages, the data explorer, the downloads' README sheet), with script-bearing addresses in the data."""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from chengguan import paths
from chengguan.links import is_web_url, safe_href, unlink_unsafe

HOSTILE = [
    "javascript:alert(document.domain)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "javas\u200bcript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2Zz4=",
    "file:///etc/passwd",
    "ftp://example.org/x",
    "mailto:a@b.c",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example\\x",
    "https:\\\\evil.example",
    "https:evil.example",
    "https://",
    "http:///path",
    "/etc/passwd",
    "../secret.html",
    "data/../../x.html",
    "%2e%2e/x.html",
    "a:b/c.html",
    "",
    "   ",
    None,
    float("nan"),
]


@pytest.mark.parametrize("url", HOSTILE)
def test_refused(url: object) -> None:
    assert safe_href(url) is None  # type: ignore[arg-type]
    assert not is_web_url(url)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.shanghai.gov.cn/a/b.html?x=1&y=2#f", "https://www.shanghai.gov.cn/a/b.html?x=1&y=2#f"),
    ("  http://cgzf.sh.gov.cn/x  ", "http://cgzf.sh.gov.cn/x"),
    ("HTTPS://EXAMPLE.ORG/", "HTTPS://EXAMPLE.ORG/"),
    ("https://例子.中国/路径", "https://例子.中国/路径"),
])
def test_web_urls_pass(url: str, expected: str) -> None:
    assert safe_href(url) == expected
    assert is_web_url(url)


@pytest.mark.parametrize(("url", "base"), [
    ("data/observations.csv", ""), ("index.en.html#data", ""), ("#obs-a_1", ""),
    ("../index.html", "data"), ("explorer.en.html", "data"), ("../made-zh.html", "data/"),
])
def test_relative_links_inside_outputs_pass(url: str, base: str) -> None:
    assert safe_href(url, base) == url
    assert not is_web_url(url)  # fine on a page, not as a URL in data/


@pytest.mark.parametrize(("url", "base"), [("../index.html", ""), ("../../x", "data"), ("/index.html", "data")])
def test_relative_links_leaving_outputs_refused(url: str, base: str) -> None:
    assert safe_href(url, base) is None


# -- every page kind: no address other than http/https or a link inside outputs/ ---------------

SCRIPT_URLS = ["javascript:alert(document.domain)", "vbscript:msgbox(1)",
               "data:text/html,<script>alert(1)</script>", " JaVa\tScRiPt:alert(1)"]
PRIMARY = "cgzf_2022_summary"
_ADDRESS = re.compile(r"""\s(?:href|src|action|formaction|xlink:href|poster|srcset)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""",
                      re.IGNORECASE)


def unsafe_addresses(page: str, base: str = "") -> list[str]:
    """Every href/src (and the like) of ``page`` that is not http/https, a link inside outputs/
    or an embedded raster image."""
    bad = []
    for raw in _ADDRESS.findall(page):
        value = html.unescape(raw[1:-1] if raw[:1] in "\"'" else raw)
        if safe_href(value, base) is None and not re.fullmatch(r"data:image/png;base64,[A-Za-z0-9+/=]*", value):
            bad.append(value)
    return bad


def test_unlink_unsafe_keeps_text_and_safe_links() -> None:
    page = ('<p><a href="javascript:alert(1)" rel="noopener">x</a> <a href="https://a.b/?x=1&amp;y=2">y</a>'
            '<img src="data:image/png;base64,iVBOR==" alt="c"><img src="data:image/svg+xml,<svg onload=alert(1)>">'
            '<iframe src="data:text/html,x"></iframe><a href="#obs-1">z</a><a href=jAvAsCrIpT:1>q</a>'
            '<a title="a>b" href="vbscript:x">w</a><form action="javascript:1"><button formaction="java&#x09;script:1">'
            'b</button></form><img srcset="ok.png 1x, javascript:x 2x"></p>')
    assert unlink_unsafe(page) == (
        '<p><a rel="noopener">x</a> <a href="https://a.b/?x=1&amp;y=2">y</a>'
        '<img src="data:image/png;base64,iVBOR==" alt="c"><img>'
        '<iframe></iframe><a href="#obs-1">z</a><a>q</a>'
        '<a title="a>b">w</a><form><button>b</button></form><img></p>')


def hostile_project(tmp_path: Path, url: str) -> Path:
    """A copy of the project's data whose primary source has the address ``url``."""
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    path = data / "sources.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["source_id"] == PRIMARY:
            row["url"] = url
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return data


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_report_sources_and_figures_do_not_link_other_schemes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              url: str) -> None:
    import chengguan.display as show
    from chengguan.tables import load_observations, load_sources

    data = hostile_project(tmp_path, url)
    monkeypatch.setenv("CHENGGUAN_ROOT", str(tmp_path))
    obs = load_observations(lang="en")
    obs = pd.concat([obs[obs.source_id == PRIMARY].head(5), obs[obs.source_id == "supp_2019_first_day"].head(5)])
    for part in (show.sources(obs, "en"), show.figures(obs, "en")):
        page = part._repr_html_()
        assert unsafe_addresses(page) == [] and "script:" not in page.lower()
        assert re.search(r'<a href="https://[^"]+" rel="noopener">', page)  # the other source stays linked
    title = load_sources(data).set_index("source_id").loc[PRIMARY, "title"]
    assert f'<cite><span lang="zh">{title}</span></cite>' in show.sources(obs, "en")._repr_html_()


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_report_page_unlinks_what_a_notebook_printed(url: str) -> None:
    from nbformat import v4

    from reportbuild.render import PageLinks, prepare, render_report

    printed = (f'<p><a href="{html.escape(url)}">source</a> <img src="{html.escape(url)}" alt="x"> '
               '<a href="https://cgzf.sh.gov.cn/x.html">ok</a> <a href="data/observations.csv">csv</a></p>')
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("# T"),
        v4.new_code_cell("show()", execution_count=1, outputs=[
            v4.new_output("display_data", data={"text/html": printed, "text/plain": "x"})]),
        v4.new_markdown_cell(f"[markdown link]({url.strip()})"),
    ], metadata={"language_info": {"name": "python"}})
    page = render_report(prepare(nb, "en").nb, lang="en", fallback_title="t",
                         links=PageLinks(home="index.en.html", other_lang=None, data="index.en.html#data"),
                         show_code=False)
    assert unsafe_addresses(page) == []
    assert 'href="https://cgzf.sh.gov.cn/x.html"' in page and 'href="data/observations.csv"' in page
    assert ">source</a>" in page  # the text stays, unlinked


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_home_and_build_pages_do_not_link_other_schemes(tmp_path: Path, url: str) -> None:
    from reportbuild.site import SiteRun, read_site_info, render_build_page, render_home

    data = hostile_project(tmp_path, url)
    info = read_site_info(data, tmp_path / "outputs", PRIMARY)
    assert info.primary_source is not None and info.primary_source.href is None
    runs = [SiteRun(name="g-zh", notebook="g", parameters={"lang": "zh"}, title="T", description="",
                    status="ok", has_report=True)]
    for page in (render_home(runs, info, "zh"), render_home(runs, info, "en"), render_build_page(runs, info)):
        assert unsafe_addresses(page) == [] and "script:" not in page.lower()
    home = render_home(runs, info, "zh")
    assert f'<span lang="zh">{html.escape(info.primary_source.title)}</span>' in home  # named, unlinked
    good = read_site_info(paths.data_dir(), tmp_path / "outputs", PRIMARY)
    assert f'<a href="{good.primary_source.url}" lang="zh">' in render_home(runs, good, "zh")


@pytest.mark.parametrize("url", SCRIPT_URLS[:2])
def test_explorer_pages_do_not_link_other_schemes(tmp_path: Path, url: str) -> None:
    from reportbuild.explorer import render_explorer

    data = hostile_project(tmp_path, url)
    for lang in ("zh", "en"):
        page = render_explorer(data, lang, {})
        assert unsafe_addresses(page, "data") == [] and "script:" not in page.lower()


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_downloads_readme_links_only_web_addresses(tmp_path: Path, url: str) -> None:
    from openpyxl import load_workbook

    from chengguan.curation.export import README_SHEET, WORKBOOK, export
    from tables_synthetic import make_data_dir, set_cell

    data = make_data_dir(tmp_path)
    set_cell(data, "sources", PRIMARY, "url", url)
    out = tmp_path / "out"
    export(out, data, validate=False)  # validation would refuse it: this is the README's own gate
    readme = load_workbook(out / WORKBOOK)[README_SHEET]
    cells = {c.value: c for row in readme.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells[url].hyperlink is None  # shown, as text
    web = [c for v, c in cells.items() if v.startswith("https://")]
    assert web and all(c.hyperlink is not None and c.hyperlink.target == c.value for c in web)
