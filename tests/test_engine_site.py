"""The engine's side of the contracts and the report site, on the fixture notebook ``contract``:
language cells dropped before execution, key results written and shown first, degraded and
failed reports marked, the home pages and the build page.

One build of the fixture project is shared (real kernels); the site's pages are also rendered
directly from hand-made runs to test escaping, grouping and marks.
"""

from __future__ import annotations

import json
import re

import pytest
from fixtures.project import make_project, run_build

from reportbuild.pagecheck import check_page
from reportbuild.site import (SiteInfo, SiteRun, Source, card_label, counterparts, group_reports, grouped_downloads,
                              render_build_page, render_home)
from reportbuild.state import BuildState

RUNS = ("contract-zh", "contract-en", "contract-fails-en", "contract-nofont-zh")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    layout = make_project(tmp_path_factory.mktemp("site"))
    code, out, err = run_build(layout, "contract-*", jobs=2)
    return layout, code, out


def read(layout, name):
    return (layout.outputs / name).read_text(encoding="utf-8")


@pytest.mark.notebooks  # the fixture project's build starts kernels
def test_the_other_languages_cells_are_dropped_before_execution(built):
    layout = built[0]
    for lang, other in (("zh", "en"), ("en", "zh")):
        nb = json.loads(layout.ipynb(f"contract-{lang}").read_text(encoding="utf-8"))
        tags = {t for cell in nb["cells"] for t in cell["metadata"].get("tags", [])}
        assert f"lang-{lang}" in tags and f"lang-{other}" not in tags
    assert "合同示例报告" in read(layout, "contract-zh.html") and "Contract example" not in read(layout, "contract-zh.html")
    assert "Contract example" in read(layout, "contract-en.html") and "合同示例报告" not in read(layout, "contract-en.html")


@pytest.mark.notebooks  # the fixture project's build starts kernels
def test_messages_number_cells_as_in_the_source_notebook(built):
    out = built[2]
    # Cell 11 of contract.ipynb, although the en run dropped the zh cells before it.
    assert "FAILED contract-fails-en: notebooks/contract.ipynb, cell 11, line 2: error in " \
           "`raise ValueError(\"asked to fail\")`" in out
    assert "warning: contract-en: cell 7 wrote to stderr (left out of the HTML): library noise on stderr" in out
    assert "warning: contract-en: cell 8 shows a bare value (left out of the HTML)" in out


@pytest.mark.notebooks  # the fixture project's build starts kernels
def test_key_results_are_written_beside_the_report(built):
    layout = built[0]
    zh = json.loads(layout.results("contract-zh").read_text(encoding="utf-8"))
    assert {k: zh[k] for k in ("format", "run", "notebook", "lang", "title")} == {
        "format": 1, "run": "contract-zh", "notebook": "contract", "lang": "zh", "title": "合同示例报告"}
    assert zh["parameters"] == {"lang": "zh", "fail": False, "hide_fonts": False}
    assert [(r["name"], r["value"], r["headline"]) for r in zh["results"]] == [("square", 9.0, True), ("share", 17.2, False)]
    assert zh["results"][1] == {"name": "share", "value": 17.2, "unit": "%", "label": "占比 <b>",
                                "display": "17.2 %（16.9–17.5）", "lower": 16.9, "upper": 17.5, "headline": False}
    en = json.loads(layout.results("contract-en").read_text(encoding="utf-8"))
    assert en["title"] == "Contract example" and en["results"][0]["label"] == "Three squared"
    assert not layout.results("contract-fails-en").exists()


@pytest.mark.notebooks  # the fixture project's build starts kernels
def test_the_report_pages_pass_the_page_check_and_link_each_other(built):
    layout = built[0]
    for run in ("contract-zh", "contract-en"):
        page = read(layout, f"{run}.html")
        assert check_page(page) == [], run
        assert page.index('class="key-findings"') < page.index("<h2 id=")  # right after the title
    bar = lambda page: page[page.index('<nav class="topbar">'):page.index("</nav>")]  # noqa: E731
    assert 'href="index.html"' in bar(read(layout, "contract-zh.html"))
    assert 'href="contract-en.html"' in bar(read(layout, "contract-zh.html"))
    assert 'href="index.en.html"' in bar(read(layout, "contract-en.html"))
    assert 'href="contract-zh.html"' in bar(read(layout, "contract-en.html"))
    # No data exported in the fixture project: no link to downloads that do not exist.
    assert "#data" not in bar(read(layout, "contract-zh.html"))


@pytest.mark.notebooks  # the fixture project's build starts kernels
def test_a_zh_report_without_a_cjk_font_is_built_and_marked_degraded(built):
    layout, _, out = built
    assert "contract-nofont-zh: built without a Chinese (CJK) font" in out and "fonts-noto-cjk" in out
    assert 'class="banner banner-degraded"' in read(layout, "contract-nofont-zh.html")
    assert 'class="banner' not in read(layout, "contract-zh.html")
    state = BuildState.load(layout.state_file)
    assert state.runs["contract-nofont-zh"].degraded and not state.runs["contract-zh"].degraded
    home = read(layout, "index.html")
    card = home[home.index('href="contract-nofont-zh.html"') - 400:]
    assert 'class="mark mark-degraded"' in card[:1200]


@pytest.mark.notebooks  # the fixture project's build starts kernels
def test_installing_a_font_rebuilds(built, monkeypatch):
    from fixtures.project import run_build as again

    import reportbuild.plan

    layout = built[0]
    code, out, _ = again(layout, "contract-zh", dry_run=True)
    assert code == 0 and "up to date" in out
    fonts = reportbuild.plan.font_files()
    monkeypatch.setattr(reportbuild.plan, "font_files", lambda: [*fonts, "/usr/share/fonts/new/NotoSansCJK.ttc"])
    code, out, _ = again(layout, "contract-zh", dry_run=True)
    assert "would run: fonts changed" in out


@pytest.mark.notebooks  # the fixture project's build starts kernels
def test_home_pages_in_both_languages(built):
    layout = built[0]
    zh, en = read(layout, "index.html"), read(layout, "index.en.html")
    assert '<html lang="zh">' in zh and '<html lang="en">' in en
    assert 'href="index.en.html"' in zh and 'href="index.html"' in en  # the language switch
    # One card for the report in both languages, with its headline finding and number.
    assert zh.count('href="contract-zh.html"') >= 1 and 'href="contract-en.html"' in zh
    assert "三的平方" in zh and '<strong class="value">9</strong>' in zh
    assert "Three squared" in en and "合同示例报告" in en  # the other language's title, as a subtitle
    assert 'class="mark mark-failed"' in zh  # contract-fails-en failed and has no good build
    assert check_page(zh) == [] and '<input type="search" id="filter"' in zh and "<script>" in zh


@pytest.mark.notebooks  # the fixture project's build starts kernels
def test_build_details_are_on_their_own_page(built):
    layout = built[0]
    page = read(layout, "build.html")
    for run in RUNS:
        assert f'id="{run}"' in page
    assert "ValueError: asked to fail" in page
    assert "<code>hide_fonts = True</code>" in page
    zh = read(layout, "index.html")
    assert 'href="build.html"' in zh and "ValueError" not in zh  # available, not in front


@pytest.mark.notebooks  # the fixture project's build starts kernels
def test_a_nothing_changed_build_leaves_the_site_untouched(built):
    layout = built[0]
    before = {p: (layout.outputs / p).stat().st_mtime_ns for p in ("index.html", "index.en.html", "build.html")}
    code, out, _ = run_build(layout, "contract-zh", "contract-en")
    assert code == 0 and "contract-zh  skipped" in out
    assert before == {p: (layout.outputs / p).stat().st_mtime_ns for p in before}


# -- the site's pages from hand-made runs ------------------------------------------------------------


def run(name, notebook, lang=None, **kw):
    parameters = {"lang": lang} if lang else {}
    parameters.update(kw.pop("parameters", {}))
    defaults = dict(title=f"T {name}", description="", status="ok", has_report=True)
    defaults.update(kw)
    return SiteRun(name=name, notebook=notebook, parameters=parameters, **defaults)


INFO = SiteInfo(scopes={"city": ("上海市", "Shanghai"), "huangpu": ("黄浦区", "Huangpu"), "xuhui": ("徐汇区", "Xuhui")},
                primary_source=Source("城管执法系统2022年工作总结", "上海市城市管理行政执法局", "沪城管执〔2023〕14号",
                                      "2023-01-30", "https://example.gov.cn/summary.html"),
                other_sources=3, data_files=[("data/observations.csv", 2048), ("data/tables.xlsx", 1024 * 1024)])


def test_reports_are_grouped_by_language_pairs_and_districts():
    runs = [run("g-zh", "garbage", "zh"), run("g-en", "garbage", "en"),
            run("d-xuhui", "district", "zh", parameters={"district": "xuhui"}),
            run("d-huangpu-zh", "district", "zh", parameters={"district": "huangpu"}),
            run("d-huangpu-en", "district", "en", parameters={"district": "huangpu"})]
    reports = group_reports(runs)
    assert [(r.notebook, r.district, sorted(r.runs)) for r in reports] == [
        ("garbage", None, ["en", "zh"]), ("district", "xuhui", ["zh"]), ("district", "huangpu", ["en", "zh"])]
    pairs = counterparts({r.name: (r.notebook, r.parameters) for r in runs})
    assert pairs == {"g-zh": "g-en", "g-en": "g-zh", "d-huangpu-zh": "d-huangpu-en", "d-huangpu-en": "d-huangpu-zh"}
    page = render_home(runs, INFO, "zh")
    # Districts in scopes.csv order, named in the page's language (never by their pinyin id); the
    # other language's name is only searched.
    assert page.index(">黄浦区<") < page.index(">徐汇区<")
    assert "Huangpu" not in re.sub(r'data-filter="[^"]*"', "", page)
    english = render_home(runs, INFO, "en")
    assert ">Huangpu<" in english and "黄浦区" not in re.sub(r'data-filter="[^"]*"', "", english)
    assert ">huangpu<" not in page
    # A topic card carries no title in the other language.
    assert 'class="alt-name"' not in page


def test_a_page_shared_by_several_districts_is_headed_by_its_own_title():
    # district_profile's "others": not a scope, so no pinyin id and no manifest title on the card
    runs = [run("d-xuhui", "district", "zh", parameters={"district": "xuhui"})] + [
        run(f"d-others-{lang}", "district", lang, parameters={"district": "others"}, report_title=title)
        for lang, title in (("zh", "其他 11 个区：数据中没有它们自己的数字"),
                            ("en", "The other 11 districts: no figures of their own"))]
    zh, en = render_home(runs, INFO, "zh"), render_home(runs, INFO, "en")
    assert '<a href="d-others-zh.html">其他 11 个区</a>' in zh
    assert '<a href="d-others-en.html">The other 11 districts</a>' in en
    assert ">others<" not in zh + en
    assert zh.index(">徐汇区<") < zh.index(">其他 11 个区<")  # after the districts of scopes.csv


def test_every_string_from_data_or_manifest_is_escaped():
    evil = '<img src=x onerror=alert(1)>'
    runs = [run("x-zh", "x", "zh", report_title=f"标题 {evil}", headline={"label": f"标签 {evil}", "display": f"9 {evil}"},
                error=f"Error {evil}", status="failed"),
            run("x-en", "x", "en", title=f"Title {evil}", has_report=False, status="not built")]
    info = SiteInfo(scopes={}, primary_source=Source(f"源 {evil}", f"发布 {evil}", "", "", 'https://a.example/"><script>'),
                    other_sources=0)
    for page in (render_home(runs, info, "zh"), render_home(runs, info, "en"), render_build_page(runs, info)):
        assert "<img src=x" not in page and '"><script>' not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_marks_for_failed_degraded_and_not_built_reports():
    runs = [run("a-zh", "a", "zh", status="failed", error="boom"), run("a-en", "a", "en", degraded=False),
            run("b-zh", "b", "zh", degraded=True), run("c-zh", "c", "zh", status="not built", has_report=False)]
    page = render_home(runs, INFO, "zh")
    marks = re.findall(r'class="mark (mark-[\w-]+)"', page)
    assert sorted(marks) == ["mark-degraded", "mark-failed", "mark-not-built"]
    assert 'href="c-zh.html"' not in page  # nothing to link to
    assert 'href="a-zh.html"' in page  # the last good report of a failed run is still there


@pytest.mark.notebooks  # the fixture project's build starts kernels
def test_the_home_page_says_what_the_collection_is_its_source_and_how_to_cite(built):
    runs = [run("g-zh", "garbage", "zh", report_title="生活垃圾分类执法", built_at="2025-03-01T10:00:00+08:00",
                commit="0123456789abcdef")]
    page = render_home(runs, INFO, "zh")
    assert "研究笔记" in page
    assert '<a href="https://example.gov.cn/summary.html" lang="zh">城管执法系统2022年工作总结</a>' in page
    assert "沪城管执〔2023〕14号" in page and "另有 3 份补充来源" in page
    cite = page[page.index('<blockquote class="cite">'):]
    assert "《生活垃圾分类执法》" in cite and "2025-03-01" in cite and "0123456789" in cite
    assert '<a href="data/observations.csv"><code>observations.csv</code></a>' in page
    assert '<a href="data/tables.xlsx"><code>tables.xlsx</code></a> <span class="muted">1.0 MB</span>' in page
    assert check_page(page) == []
    en = render_home(runs, INFO, "en")
    assert "How to cite" in en and "Data downloads" in en and re.search(r"3 further sources", en)


# -- data downloads ---------------------------------------------------------------------------------


def with_downloads(layout, target):
    with open(layout.manifest, "a", encoding="utf-8") as f:
        f.write(f'\n[site]\ndownloads = "{target}"\n')


@pytest.mark.notebooks  # the fixture project's build starts kernels
def test_downloads_are_exported_when_data_change_and_linked(built, tmp_path):
    import shutil

    from fixtures import downloads
    from fixtures.project import layout_of

    shutil.copytree(built[0].root, tmp_path / "p")
    layout = layout_of(tmp_path / "p")
    with_downloads(layout, "fixtures.downloads:export")
    downloads.CALLS.clear()
    code, out, _ = run_build(layout, "contract-zh", "contract-en")
    # Exported into a staging folder of the build, then moved in (a failed export changes nothing).
    assert code == 0 and len(downloads.CALLS) == 1 and not downloads.CALLS[0].exists()
    assert (layout.downloads / "observations.csv").is_file()
    # The reports gain their link to the downloads (re-rendered, not executed), the home page a list.
    assert "contract-zh  re-rendered" in out
    bar = read(layout, "contract-zh.html")
    assert 'href="index.html#data"' in bar[bar.index('<nav class="topbar">'):bar.index("</nav>")]
    assert '<a href="data/observations.csv"><code>observations.csv</code></a>' in read(layout, "index.html")
    # Nothing changed: no second export. Data changed: exported again.
    run_build(layout, "contract-zh")
    assert len(downloads.CALLS) == 1
    with open(layout.data / "scopes.csv", "a", encoding="utf-8") as f:
        f.write("jingan,district,静安区,Jing'an\n")
    run_build(layout, "contract-zh")
    assert len(downloads.CALLS) == 2


@pytest.mark.notebooks  # the fixture project's build starts kernels
def test_a_refused_export_is_reported_and_the_reports_still_build(built, tmp_path):
    import shutil

    from fixtures.project import layout_of

    shutil.copytree(built[0].root, tmp_path / "p")
    layout = layout_of(tmp_path / "p")
    with_downloads(layout, "fixtures.downloads:refuse")
    code, out, err = run_build(layout, "contract-zh")
    assert code == 0 and "contract-zh  skipped" in out
    assert "chengguan-build: data downloads not written (fixtures.downloads:refuse): the tables have 2 problems" in err
    assert not layout.downloads.exists()


@pytest.mark.parametrize(("label", "lang", "shown"), [
    ("existing illegal structures demolished, % of registered", "en", "Existing illegal structures demolished, % of registered"),
    ("Cases per day", "en", "Cases per day"),
    ("m² per case", None, "m² per case"),
    ("illegal-building cases", None, "Illegal-building cases"),
    ("存量违法建筑拆除", "zh", "存量违法建筑拆除"),
    ("", "en", ""),
])
def test_an_english_card_label_starts_with_a_capital(label, lang, shown):
    assert card_label(label, lang) == shown


def test_stored_source_files_are_a_group_of_their_own():
    files = [("data/sources.csv", 10), ("data/raw/cross_year_candidates.csv", 5), ("data/raw/000_ab.txt", 7),
             ("data/sources.parquet", 3), ("data/datapackage.json", 2)]
    groups = grouped_downloads(files)
    assert groups["csv"] == [("data/sources.csv", 10)]
    assert groups["raw"] == [("data/raw/cross_year_candidates.csv", 5), ("data/raw/000_ab.txt", 7)]
    assert groups["other"] == []


@pytest.mark.notebooks  # the fixture project's build starts kernels
def test_every_page_of_the_site_says_one_site_name(built):
    """The home pages, each report's top bar and the build page name the site alike (issue 17 part 5:
    the report pages said "上海城管执法数据 · 全部报告" under a home page titled otherwise)."""
    from reportbuild.render import SITE_NAME

    layout = built[0]
    home = {"zh": read(layout, "index.html"), "en": read(layout, "index.en.html")}
    for lang, name in SITE_NAME.items():
        assert f"<title>{name}</title>" in home[lang] and f"<h1>{name}</h1>" in home[lang]
        report = read(layout, f"contract-{lang}.html")
        assert re.search(rf'<a class="home" href="{"index.html" if lang == "zh" else "index.en.html"}">{name}</a>',
                         report), lang
        assert f">{name}</a>" in read(layout, "build.html")
