"""A report page: readable (no notebook clutter, key results first, contents, aligned tables),
self-contained (no network reference), and escaped; checked on hand-made executed notebooks."""

from __future__ import annotations

import base64
import html
import re

import pytest
from nbformat import v4

from reportbuild.execute import select_language, source_cell_number
from reportbuild.pagecheck import check_page
from reportbuild.render import (PageLinks, external_references, headings, prepare, render_report, report_title,
                                toc_tree)
from chengguan.text import PROSE_METADATA
from reportbuild.results import RESULTS_MIMETYPE

PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a7f1a4b50000000049454e44ae426082"
)).decode()

# Anything a browser would fetch from the network: src= or href= to http(s):// or protocol-relative //.
NETWORK = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)

DATAFRAME = (
    '<div><style scoped>.dataframe thead th { text-align: right; }</style>'
    '<table border="1" class="dataframe">\n<thead>\n<tr style="text-align: right;">\n<th></th>\n<th>quote</th>\n'
    '<th>value</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<th>0</th>\n<td>全年共查处违法建筑案件 5334 起</td>\n'
    '<td>5,334</td>\n</tr>\n<tr>\n<th>1</th>\n<td>短句</td>\n<td>-2.5%</td>\n</tr>\n</tbody>\n</table></div>')
KEY_RESULTS = {"results": [{"name": "cases", "value": 5334.0, "unit": "起", "label": "立案数", "display": "5,334 起",
                            "lower": None, "upper": None, "headline": True}]}


def code(source, *outputs, tags=()):
    cell = v4.new_code_cell(source, execution_count=1, outputs=list(outputs))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def md(source, *tags):
    cell = v4.new_markdown_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


@pytest.fixture(scope="module")
def notebook():
    return v4.new_notebook(cells=[
        md("# 生活垃圾分类执法\n\n一份关于垃圾分类执法的研究笔记。"),
        code('lang = "zh"', tags=["parameters"]),
        code("import pandas as pd"),
        code("from chengguan import theme"),
        md("## 所用数据\n\n每个数字都来自原文。"),
        code("frame", v4.new_output("execute_result", data={"text/html": DATAFRAME, "text/plain": "frame"})),
        code("warn()", v4.new_output("stream", name="stderr", text="UserWarning: something odd\n")),
        code("{'a': 1}", v4.new_output("execute_result", data={"text/plain": "{'a': 1}"})),
        code(""),
        code("plot()", v4.new_output("display_data", data={
            "text/html": f'<figure class="chart"><img src="data:image/png;base64,{PNG}" alt="一个点" width="1"></figure>',
            "text/plain": "[chart]"})),
        md("### 细节\n\n数学 $x^2$ 与 <b>加粗</b>。"),
        md("## 结论\n\n结论是一个数字。"),
        md("## 关键结果"),
        code("show_key_results(frame)", v4.new_output("display_data", data={
            "text/html": '<section class="key-findings"><h2>关键结果</h2><table><tr><td>立案数</td>'
                         '<td class="num">5,334 起</td></tr></table></section>',
            "text/plain": "立案数: 5,334 起", RESULTS_MIMETYPE: KEY_RESULTS}), tags=["key-results"]),
    ], metadata={"language_info": {"name": "python"}})


LINKS = PageLinks(home="index.html", other_lang="waste-en.html", data="index.html#data")


@pytest.fixture(scope="module")
def prepared(notebook):
    return prepare(notebook, "zh")


@pytest.fixture(scope="module")
def page(prepared):
    return render_report(prepared.nb, lang="zh", fallback_title="t", links=LINKS, show_code=False)


def test_no_prompts_no_stderr_no_bare_values(page, prepared):
    assert not re.search(r"\b(?:In|Out)\s*\[", page)
    assert "something odd" not in page and "output_stderr" not in page
    assert "{&#x27;a&#x27;: 1}" not in page and "{'a': 1}" not in page
    assert prepared.warnings == [
        "cell 7 wrote to stderr (left out of the HTML): UserWarning: something odd",
        "cell 8 shows a bare value (left out of the HTML): {'a': 1}",
    ]


def test_code_toggles_only_for_code_and_one_for_a_run_of_set_up_cells(page, notebook):
    # parameters + two imports: one toggle; frame: one; warn() and {'a': 1}, whose outputs are
    # left out, join plot(): one; the empty cell and the key-results cell (moved to the top): none.
    assert page.count('<details class="cg-code"><summary>代码</summary>') == 3
    shown = render_report(prepare(notebook, "zh").nb, lang="zh", fallback_title="t", links=LINKS, show_code=True)
    assert 'class="cg-code"' not in shown and shown.count('class="cg-input"') == 3
    # the code of the cells that show nothing is still there, in the order it ran
    joined = page[page.index('<details class="cg-code"', page.index("所用数据")):]
    assert joined.index("frame") < joined.index("warn") < joined.index("plot")


def test_no_two_code_toggles_stand_back_to_back():
    # Set-up code on both sides of the key results (moved to the top) and a silent cell before a
    # shown one: every toggle has output or prose right after it.
    nb = v4.new_notebook(cells=[
        md("# 标题"),
        code("import pandas as pd"),
        md("## 关键结果"),
        code("show_key_results(frame)", v4.new_output("display_data", data={
            "text/html": '<section class="key-findings"><h2>关键结果</h2></section>', "text/plain": "k",
            RESULTS_MIMETYPE: KEY_RESULTS}), tags=["key-results"]),
        code("frame = load()"),
        code("total = frame.value.sum()"),
        code("table(frame)", v4.new_output("display_data", data={"text/html": "<p>表</p>", "text/plain": "t"})),
        md("## 结论"),
        code("x = 1"),
    ], metadata={"language_info": {"name": "python"}})
    page = render_report(prepare(nb, "zh").nb, lang="zh", fallback_title="t", links=LINKS, show_code=False)
    main = page[page.index('<main class="report">'):]
    toggles = [m.end() for m in re.finditer(r"<details class=\"cg-code\">.*?</details>", main, re.S)]
    # the set-up before the key results, which meets load/sum once they move, joins table(); x = 1
    assert len(toggles) == 2
    for end in toggles:
        assert not re.match(r"(?:\s|</?div[^>]*>)*<details", main[end:])
    code_text = html.unescape(re.sub(r"<[^>]+>", "", main))
    assert code_text.index("import pandas") < code_text.index("frame = load()") < code_text.index("total =")
    assert code_text.index("total =") < code_text.index("table(frame)") < code_text.index("表")


def test_key_results_come_right_after_the_title(page):
    title, key, first_section = page.index("<h1"), page.index('class="key-findings"'), page.index(">所用数据<a class=\"anchor-link\"")
    assert title < key < first_section
    assert page.count('class="key-findings"') == 1
    assert ">关键结果<a" not in page  # its section heading went with it: the section would be empty


def test_headings_have_anchors_and_a_table_of_contents(page):
    assert [(level, text) for level, _, text in headings(page)] == [
        (1, "生活垃圾分类执法"), (2, "所用数据"), (3, "细节"), (2, "结论")]
    toc = page[page.index('<nav class="toc toc-side"'):page.index("</nav>", page.index('<nav class="toc toc-side"'))]
    for _, anchor, text in headings(page)[1:]:
        assert f'<a href="#{anchor}">{text}</a>' in toc and f'id="{anchor}"' in page
    assert 'class="anchor-link"' in page
    assert "<title>生活垃圾分类执法</title>" in page


def test_table_of_contents_nests_subsections_under_their_section(page):
    # An ordered list numbers only what stands in it: the h3 goes in a list of its own inside the
    # h2's item, so the sections read 1, 2 and not 1, 3 with the subsection taking 2.
    toc = page[page.index('<nav class="toc toc-side"'):page.index("</nav>", page.index('<nav class="toc toc-side"'))]
    anchors = {text: anchor for _, anchor, text in headings(page)}
    outer = re.sub(r'<ol class="toc-sub">.*?</ol>', "", toc, flags=re.S)
    assert re.findall(r'<a href="#([^"]+)">', outer) == [anchors["所用数据"], anchors["结论"]]
    sub = re.search(r'<li><a href="#([^"]+)">所用数据</a>\s*<ol class="toc-sub">(.*?)</ol>\s*</li>', toc, re.S)
    assert sub and re.findall(r'<a href="#([^"]+)">', sub.group(2)) == [anchors["细节"]]


def test_toc_tree_puts_a_leading_subsection_at_the_top():
    assert toc_tree([(1, "t", "T"), (3, "a", "A"), (2, "b", "B"), (3, "c", "C"), (3, "d", "D"), (2, "e", "E")]) == [
        ("a", "A", []), ("b", "B", [("c", "C"), ("d", "D")]), ("e", "E", [])]


def test_pandas_tables_align_text_left_and_numbers_right_and_scroll(page):
    assert '<div class="table-scroll"><table border="1" class="dataframe">' in page
    assert '<td class="text">全年共查处违法建筑案件 5334 起</td>' in page
    assert '<td class="num">5,334</td>' in page and '<td class="num">-2.5%</td>' in page
    assert '<th class="text">quote</th>' in page and '<th class="num">value</th>' in page


def test_top_bar_links_home_other_language_and_data(page):
    bar = page[page.index('<nav class="topbar">'):page.index("</nav>")]
    assert 'href="index.html"' in bar and 'href="waste-en.html"' in bar and 'href="index.html#data"' in bar
    assert '<html lang="zh">' in page and '<meta charset="utf-8">' in page


def test_self_contained_and_passes_the_page_check(page):
    assert NETWORK.findall(page) == [] and external_references(page) == []
    assert "<script" not in page  # a report needs no script at all
    assert f'src="data:image/png;base64,{PNG}"' in page
    assert check_page(page) == []


def test_print_styles_and_crisp_images(page):
    assert "@media print" in page and "max-width: 100%" in page


def test_a_degraded_report_says_so(notebook):
    nb = notebook.copy()
    nb.cells = [*notebook.cells, code("use_theme('zh')", v4.new_output(
        "stream", name="stderr", text="theme.py:1: MissingCJKFontWarning: No CJK font found\n"))]
    prepared = prepare(nb, "zh")
    assert prepared.degraded and not any("CJK" in w for w in prepared.warnings)
    page = render_report(prepared.nb, lang="zh", fallback_title="t", links=LINKS, show_code=False, degraded=True)
    assert 'class="banner banner-degraded"' in page and "中文字体" in page
    assert not prepare(nb, "en").degraded  # an English report needs no CJK font


def test_report_title_is_the_first_level_one_heading(notebook, prepared):
    assert report_title(prepared.nb) == "生活垃圾分类执法"
    assert report_title(v4.new_notebook(cells=[md("no heading")])) is None


def test_select_language_drops_the_other_languages_cells_and_keeps_numbering():
    nb = v4.new_notebook(cells=[md("# 标题", "lang-zh"), md("# Title", "lang-en"), code("x = 1"),
                                md("中文", "lang-zh"), md("English", "lang-en")])
    zh, kept = select_language(nb, "zh")
    assert [c.source for c in zh.cells] == ["# 标题", "x = 1", "中文"] and kept == [0, 2, 3]
    en, en_kept = select_language(nb, "en")
    assert [c.source for c in en.cells] == ["# Title", "x = 1", "English"] and en_kept == [1, 2, 4]
    whole, kept = select_language(nb, None)
    assert len(whole.cells) == 5 and kept == [0, 1, 2, 3, 4]
    assert len(nb.cells) == 5  # the source is not touched
    # With papermill's injected cell after "x = 1", the executed "English" cell (index 3) is the
    # source's fifth cell.
    en.cells.insert(2, code("# Parameters", tags=["injected-parameters"]))
    assert source_cell_number(en, 3, en_kept) == 5


def test_external_reference_detector():
    assert external_references('<script src="https://cdn.example/x.js"></script>')
    assert external_references('<link rel="stylesheet" href="//cdn.example/x.css">')
    assert external_references("<style>@import 'https://fonts.example/a.css';</style>")
    assert external_references('<a href="https://www.shanghai.gov.cn/">source</a>') == []  # a link, not a fetch


def _said(source: str, text: str) -> object:
    cell = v4.new_code_cell(source)
    cell.outputs = [v4.new_output("display_data", data={"text/markdown": text, "text/plain": text},
                                  metadata={PROSE_METADATA: True})]
    return cell


def test_a_cell_that_only_says_prose_is_shown_as_prose_and_the_title_comes_first():
    setup = v4.new_code_cell('T = load_text("nb", lang)')
    title = _said('T.say("title")', "# Garbage sorting\n\n*From the 2022 summary.*")
    question = _said('T.say("question", "data")', "## The question\n\nHow did it change?")
    computed = _said('share = 16.6\nT.say("finding", share=share)', "**Finding.** 16.6%")
    nb = v4.new_notebook(cells=[setup, title, question, computed])
    cells = prepare(nb, "en").nb.cells
    assert [c.cell_type for c in cells] == ["markdown", "code", "markdown", "code"]
    assert cells[0].source.startswith("# Garbage sorting")  # before the silent set-up code
    assert cells[2].source == "## The question\n\nHow did it change?"
    assert report_title(prepare(nb, "en").nb) == "Garbage sorting"
    # a cell that computes keeps its code (under the toggle) and its output
    assert cells[3].source.startswith("share = 16.6")
    # a markdown display that chengguan.text did not make stays an output
    plain = v4.new_code_cell('T.say("x")')
    plain.outputs = [v4.new_output("display_data", data={"text/markdown": "x", "text/plain": "x"})]
    assert prepare(v4.new_notebook(cells=[plain]), "en").nb.cells[0].cell_type == "code"
