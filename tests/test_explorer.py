"""The data explorer (``outputs/data/explorer.html``, ``explorer.en.html``; reportbuild.explorer).

Without a browser and without a build (fast): both pages drawn from the real ``data/``, every
observation on them with its anchor, quote, printed form and range, every indicator with its
anchor; each page in its language (the page check); text from the data escaped and only http(s)
addresses linked; the reports that use a figure read from the reports' evidence tables; charts
with a zero-based value axis and spans as long as their periods; the site's pages written with the
explorer and not again when nothing changed. In headless Chromium (tests/browser.py), on pages
drawn into a temporary folder: the filters hide what they should, no page is wider than a phone,
nothing is requested outside the folder, and with scripts off every row is shown.

The site built by the engine is checked in tests/test_site.py (links from the evidence tables to
the explorer's rows, every link of the explorer resolving, screenshots).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from markupsafe import escape

from browser import PHONE, PageWatch, browser  # noqa: F401 - the fixture is used by name
from chengguan.display import EXPLORER as REPORT_LINKS
from reportbuild import explorer
from reportbuild.build import write_site_pages
from reportbuild.layout import Layout
from reportbuild.manifest import load_manifest
from reportbuild.pagecheck import check_page
from reportbuild.site import EXPLORER, SiteRun, data_files
from reportbuild.state import BuildState

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CJK = re.compile(r"[\u4e00-\u9fff]")


def rows_of(name: str, data: Path = DATA) -> list[dict[str, str]]:
    with (data / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def run(name: str, notebook: str, lang: str, has_report: bool = True, title: str = "", **parameters) -> SiteRun:
    return SiteRun(name=name, notebook=notebook, parameters={"lang": lang, **parameters},
                   title=title or f"T {name}", description="", status="ok", has_report=has_report,
                   report_title=f"Own title of {name}")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """Both pages from the real data, one observation used by a made report."""
    uses = {"cgzf2022_0001": [explorer.ReportRef("made-zh", "报告 <甲>", "zh")]}
    names = ["observations.csv", "indicators.csv", "chengguan_tables.xlsx"]
    return {lang: explorer.render_explorer(DATA, lang, uses if lang == "zh" else {}, names) for lang in ("zh", "en")}


# -- without a browser ------------------------------------------------------------------------------


def test_every_observation_is_on_both_pages_with_its_anchor_quote_printed_form_and_range(pages):
    observations = rows_of("observations")
    for lang, page in pages.items():
        ids = re.findall(r'<tr id="obs-([^"]+)"', page)
        assert sorted(ids) == sorted(o["observation_id"] for o in observations), lang
        for o in observations:
            row = page[page.index(f'<tr id="obs-{o["observation_id"]}"'):]
            row = row[:row.index("</tr>")]
            assert f">{escape(o['quote'])}</q>" in row, o["observation_id"]
            assert f">{escape(o['number_text'])}</span>" in row, o["observation_id"]
            assert f'data-source="{o["source_id"]}"' in row and f'data-scope="{o["scope_id"]}"' in row


def test_every_indicator_has_its_section_with_unit_and_definition(pages):
    indicators = rows_of("indicators")
    for lang, page in pages.items():
        assert sorted(re.findall(r'<article class="indicator" id="ind-([^"]+)"', page)) == sorted(
            i["indicator_id"] for i in indicators), lang
    zh, en = pages["zh"], pages["en"]
    assert ">人</dd>" in zh and ">persons</dd>" in en  # the unit in the page's language
    first = indicators[0]
    assert escape(first["name_zh"]) in zh and escape(first["name_en"]) in en
    assert escape(first["description"]) in en


def test_ranges_are_the_bounds_the_printed_figure_stands_for(pages):
    # cgzf2022_0004: "13.1 万余次" (more than 131,000): 131,000 to 132,000.
    row = pages["en"][pages["en"].index('<tr id="obs-cgzf2022_0004"'):]
    row = row[:row.index("</tr>")]
    assert "13.1 万余次" in row and "range: 131,000–132,000" in row and "&gt; 131,000" in row


def test_each_page_is_in_its_language_with_its_labels(pages):
    assert check_page(pages["zh"], "zh") == []
    assert check_page(pages["en"], "en") == []
    zh, en = pages["zh"], pages["en"]
    for label in ("数据浏览", "领域", "范围", "年份", "来源", "可靠性", "引用它的报告", "原文写法", "清除筛选"):
        assert label in zh, label
    for label in ("Data explorer", "Domain", "Scope", "Year", "Source", "reliability", "Reports that use it"):
        assert label in en, label
    assert '<html lang="zh">' in zh and "“引用它的报告”" in zh  # Chinese punctuation around Chinese words
    # The rule by which reports are listed is said on the page.
    assert "证据表" in zh and "evidence table" in en


def test_links_home_other_language_downloads_and_reports(pages):
    zh, en = pages["zh"], pages["en"]
    assert 'href="../index.html"' in zh and 'href="explorer.en.html"' in zh
    assert 'href="../index.en.html"' in en and 'href="explorer.html"' in en
    assert '<a href="observations.csv"><code>observations.csv</code></a>' in zh
    assert 'href="chengguan_tables.xlsx"' in zh and 'href="sources.csv"' not in zh  # only what exists
    row = zh[zh.index('<tr id="obs-cgzf2022_0001"'):]
    assert '<a href="../made-zh.html">报告 &lt;甲&gt;</a>' in row[:row.index("</tr>")]


def test_sources_are_linked_only_to_web_addresses_and_every_data_text_is_escaped(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    evil = '<script>alert("x")</script>'

    def edit(name: str, change) -> None:
        rows = rows_of(name, data)
        with (data / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            for row in rows:
                change(row)
                writer.writerow(row)

    edit("sources", lambda r: r.update(url="javascript:alert(1)", title_en=f"T {evil}")
         if r["source_id"] == "cgzf_2022_summary" else None)
    edit("observations", lambda r: r.update(quote=f"{r['quote']}{evil}", note_en=evil)
         if r["observation_id"] == "cgzf2022_0001" else None)
    edit("indicators", lambda r: r.update(name_en=f"N {evil}", description=evil)
         if r["indicator_id"] == "epidemic_commando_members" else None)
    uses = {"cgzf2022_0001": [explorer.ReportRef('r"><script>', evil, "en")]}
    page = explorer.render_explorer(data, "en", uses)
    assert "<script>alert" not in page and "javascript:" not in page
    assert page.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") >= 5
    assert re.search(r'<script>[^<]*</script>\s*</body>', page)  # the one script is the page's own
    # The source is still named, unlinked.
    assert "<cite lang=\"en\">T &lt;script&gt;" in page
    web = re.findall(r'<a href="(https?://[^"]+)" rel="noopener"', page)
    assert web and all(url.startswith(("http://", "https://")) for url in web)


def test_notes_link_the_ids_they_name_and_mark_quotations_and_chinese_words():
    anchors = {"garbage_sorting_cases": "ind-garbage_sorting_cases"}
    note = 'Read as 立案查处 <b>; compare garbage_sorting_cases and other_id, per “责令(当场)整改” in data/README.md.'
    en = str(explorer.marked_terms(note, "en", anchors))
    assert '<span lang="zh">立案查处</span> &lt;b&gt;' in en
    assert '<a href="#ind-garbage_sorting_cases"><code>garbage_sorting_cases</code></a>' in en
    assert "<code>other_id</code>" in en and "<code>data/README.md</code>" in en
    assert '<q lang="zh">责令(当场)整改</q>' in en
    zh = str(explorer.marked_terms(note, "zh", anchors))
    assert "立案查处 &lt;b&gt;" in zh and '<span lang="zh">' not in zh  # Chinese is the zh page's own


def test_a_range_never_has_two_equal_ends():
    from chengguan.display import fmt_range

    assert explorer.range_text(62897.805, 62897.815, fmt_range) == "62,897.805–62,897.815"
    assert explorer.range_text(20.0, 20.0, fmt_range) == "20"
    assert explorer.range_text(131000.0, 132000.0, fmt_range) == "131,000–132,000"
    assert explorer.range_text(50.0, float("inf"), fmt_range) == "≥ 50"


def test_the_reports_that_use_a_figure_are_read_from_their_evidence_tables(tmp_path):
    (tmp_path / "g-zh.html").write_text('<td><a class="obs-id" href="data/explorer.html#obs-a_1">'
                                        '<code class="obs-id">a_1</code></a></td><code class="obs-id">b_2</code>',
                                        encoding="utf-8")
    (tmp_path / "g-en.html").write_text('<code class="obs-id">a_1</code>', encoding="utf-8")
    (tmp_path / "d-zh.html").write_text('<code class="obs-id">b_2</code>', encoding="utf-8")
    runs = [run("g-zh", "garbage", "zh", title="垃圾分类 · Garbage sorting (zh)"),
            run("g-en", "garbage", "en", title="垃圾分类 · Garbage sorting (en)"),
            run("d-zh", "district", "zh", district="minhang"),
            run("d-en", "district", "en", has_report=False, district="minhang"),
            run("x-zh", "other", "zh", has_report=False)]
    uses = explorer.report_uses(runs, tmp_path, {"minhang": ("闵行区", "Minhang")})
    # Named briefly in the page's language, the report's own title on hover.
    assert uses["zh"]["a_1"] == [explorer.ReportRef("g-zh", "垃圾分类", "zh", "Own title of g-zh")]
    assert uses["en"]["a_1"] == [explorer.ReportRef("g-en", "Garbage sorting", "en", "Own title of g-en")]
    # b_2: in garbage's zh page only, still the same report; the district's en run is not built.
    assert [(r.run, r.title) for r in uses["en"]["b_2"]] == [("g-en", "Garbage sorting"),
                                                            ("d-zh", "Minhang: district profile")]
    assert [r.title for r in uses["zh"]["b_2"]] == ["垃圾分类", "闵行区 · 区级概况"]
    assert set(uses["zh"]) == set(uses["en"]) == {"a_1", "b_2"}


def test_charts_have_a_zero_based_axis_and_spans_as_long_as_their_periods(pages):
    from datetime import date

    points = [(date(2019, 7, 1), date(2019, 7, 1), 20.0, 20.0, 20.0, "a", "one day"),
              (date(2020, 1, 1), date(2020, 12, 31), 100.0, 99.5, 100.5, "b", "a year"),
              (date(2021, 1, 1), date(2021, 6, 30), 50.0, 50.0, float("inf"), "c", "at least 50")]
    svg = explorer.chart_svg(points, "caption <x>", "alt <y>", "case(s)")
    assert "caption &lt;x&gt;" in svg and 'aria-label="alt &lt;y&gt;"' in svg
    axis = re.search(r'<line class="axis" x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"', svg)
    assert axis and re.search(r'<text class="ytick" x="[\d.]+" y="[\d.]+">0</text>', svg)
    zero = float(axis.group(1))
    groups = {m[0]: m[1] for m in re.findall(r'<g class="point" data-obs="(\w)">(.*?)</g>', svg)}
    circles = {k: float(re.search(r'<circle cx="[\d.]+" cy="([\d.]+)"', g).group(1)) for k, g in groups.items()}
    # Heights from the zero line are proportional to the values.
    assert (zero - circles["b"]) / (zero - circles["c"]) == pytest.approx(2.0, rel=0.01)
    assert (zero - circles["b"]) / (zero - circles["a"]) == pytest.approx(5.0, rel=0.01)
    spans = {k: float(m[1]) - float(m[0]) for k, g in groups.items()
             for m in re.findall(r'<line class="span" x1="([\d.]+)" x2="([\d.]+)"', g)}
    assert spans["b"] / spans["c"] == pytest.approx(366 / 181, rel=0.02)  # a year against half of one
    assert 'class="open"' in svg  # "at least": a dashed line, no upper end
    # On the page: one chart per series (indicator, scope, status) with more than one figure.
    observations = rows_of("observations")
    series: dict[tuple[str, str, str], int] = {}
    for o in observations:
        key = (o["indicator_id"], o["scope_id"], o["status"])
        series[key] = series.get(key, 0) + 1
    assert pages["en"].count('<svg class="chart"') == sum(1 for n in series.values() if n > 1) > 10


def test_the_explorer_is_written_with_the_site_and_only_when_something_changed(tmp_path, monkeypatch):
    outputs = tmp_path / "outputs"
    (outputs / "data").mkdir(parents=True)
    (outputs / "data" / "observations.csv").write_text("x", encoding="utf-8")  # the downloads exist
    layout = Layout.create(root=ROOT, outputs=outputs)
    manifest = load_manifest(layout.manifest, ROOT)
    report = next(r for r in manifest.runs if r.name == "garbage_sorting-zh")
    layout.html(report.name).write_text('<code class="obs-id">cgzf2022_0001</code>', encoding="utf-8")
    state, err = BuildState(), io.StringIO()
    write_site_pages(manifest, {}, state, layout, err)
    assert err.getvalue() == ""
    for lang, page in EXPLORER.items():
        text = (outputs / page).read_text(encoding="utf-8")
        row = text[text.index('<tr id="obs-cgzf2022_0001"'):]
        # The report is built in zh only: both pages link it.
        assert 'href="../garbage_sorting-zh.html"' in row[:row.index("</tr>")], lang
    home = (outputs / "index.html").read_text(encoding="utf-8")
    assert 'href="data/explorer.html"' in home
    assert 'href="data/explorer.en.html"' in (outputs / "index.en.html").read_text(encoding="utf-8")
    assert [path for path, _ in data_files(outputs)] == ["data/observations.csv"]  # pages, not downloads
    before = {page: (outputs / page).stat().st_mtime_ns for page in EXPLORER.values()}
    # The next build, with nothing changed, does not even draw them (a second each): not right
    # after the first build either, whose pages did not exist when it began.
    import reportbuild.explorer
    import reportbuild.site

    def drawn_again(*args, **kwargs):
        raise AssertionError("the site's pages were drawn again, with nothing changed")

    monkeypatch.setattr(reportbuild.explorer, "write_explorer", drawn_again)
    monkeypatch.setattr(reportbuild.site, "render_home", drawn_again)
    write_site_pages(manifest, {}, state, layout, err)
    assert before == {page: (outputs / page).stat().st_mtime_ns for page in EXPLORER.values()}


def test_the_evidence_tables_link_to_the_explorer_of_their_language(obs):
    import chengguan.display as show

    assert REPORT_LINKS == EXPLORER  # the library's links and the engine's pages agree
    for lang in ("zh", "en"):
        table = show.figures(obs.head(2), lang)._repr_html_()
        first = obs.observation_id.iloc[0]
        assert f'<a class="obs-id" href="{EXPLORER[lang]}#obs-{first}"><code class="obs-id">{first}</code></a>' in table


# -- in the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> Path:
    """Both pages drawn into a folder of their own, with the home pages they link to."""
    outputs = tmp_path_factory.mktemp("explorer")
    (outputs / "data").mkdir()
    for name in ("index.html", "index.en.html"):
        (outputs / name).write_text('<!DOCTYPE html><html><body><p id="data">home</p></body></html>', encoding="utf-8")
    explorer.write_explorer([], DATA, outputs, lambda path, text: path.write_text(text, encoding="utf-8"))
    return outputs


def test_the_filters_hide_what_they_should(drawn, browser):  # noqa: F811
    browser.run(_the_filters_hide_what_they_should, drawn)


def _the_filters_hide_what_they_should(chromium, drawn):
    observations = rows_of("observations")
    indicators = {i["indicator_id"]: i["domain_id"] for i in rows_of("indicators")}
    watch = PageWatch(chromium, drawn)
    try:
        tab = watch.open(EXPLORER["zh"])
        visible = 'tr[id^="obs-"]:visible'
        assert tab.locator(visible).count() == len(observations)
        assert tab.locator("#filters").is_visible()
        assert "320" in tab.inner_text("#shown") or str(len(observations)) in tab.inner_text("#shown")

        tab.select_option("#f-domain", "garbage_sorting")
        wanted = {o["observation_id"] for o in observations if indicators[o["indicator_id"]] == "garbage_sorting"}
        shown = set(tab.eval_on_selector_all(visible, "rows => rows.map(r => r.id.slice(4))"))
        assert shown == wanted and len(wanted) > 5
        assert tab.locator("section#domain-epidemic_duty").is_hidden()
        assert tab.locator("section#domain-garbage_sorting").is_visible()

        tab.select_option("#f-year", "2019")
        shown = set(tab.eval_on_selector_all(visible, "rows => rows.map(r => r.id.slice(4))"))
        assert shown == {o["observation_id"] for o in observations if o["observation_id"] in wanted
                         and o["period_start"][:4] <= "2019" <= o["period_end"][:4]} != set()

        tab.click("#filters button[type=reset]")
        tab.select_option("#f-scope", "minhang")
        tab.select_option("#f-source", rows_of("sources")[0]["source_id"])  # the city's 2022 summary
        assert tab.locator(visible).count() == 0 and tab.locator("#no-match").is_visible()

        tab.select_option("#f-source", "")
        shown = set(tab.eval_on_selector_all(visible, "rows => rows.map(r => r.id.slice(4))"))
        assert shown == {o["observation_id"] for o in observations if o["scope_id"] == "minhang"} != set()
        tab.click("#filters button[type=reset]")
        tab.wait_for_function("() => document.querySelector('tr[hidden]') === null", timeout=5000)
        assert tab.locator(visible).count() == len(observations)
        assert watch.errors == [] and watch.outside == []
    finally:
        watch.close()


def test_phone_width_and_scripts_off(drawn, browser):  # noqa: F811
    browser.run(_phone_width_and_scripts_off, drawn)


def _phone_width_and_scripts_off(chromium, drawn):
    for lang, page in EXPLORER.items():
        watch = PageWatch(chromium, drawn, viewport=PHONE)
        try:
            tab = watch.open(page)
            wide, width = tab.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert wide <= width + 1, (lang, wide, width)
            # A row is a block of labelled lines on a phone: no table scrolls sideways.
            assert tab.evaluate("() => Math.max(...Array.from(document.querySelectorAll('.table-scroll'))"
                                ".map(d => d.scrollWidth - d.clientWidth))") <= 1
            if lang == "zh":
                assert len(CJK.findall(tab.inner_text("body"))) > 5000
            assert watch.errors == [] and watch.outside == []
        finally:
            watch.close()
    context = chromium.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto((drawn / EXPLORER["en"]).as_uri())
        assert tab.locator("#filters").is_hidden()
        assert tab.locator('tr[id^="obs-"]:visible').count() == len(rows_of("observations"))
    finally:
        context.close()
