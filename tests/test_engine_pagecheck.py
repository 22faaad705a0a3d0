"""The page check (what would fail a reader) and the key-results contract, on small pages."""

from __future__ import annotations

import pytest
from nbformat import v4

from reportbuild.pagecheck import check_page, chinese_share
from reportbuild.results import RESULTS_MIMETYPE, ResultsError, find_results, headline, results_document

ZH = "<p>本报告考察二〇二二年上海城管执法系统在生活垃圾分类方面的投入与产出，并说明数字的来源与局限。</p>"
EN = "<p>This report looks at what the enforcement system put into household-garbage sorting in 2022 and what came of it.</p>"


def page(body: str, lang: str = "zh") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><style>p {{ color: #000 }}</style>' \
           f"</head><body>{body}</body></html>"


def kinds(text: str, lang: str | None = None) -> list[str]:
    return [p.kind for p in check_page(text, lang)]


def test_a_clean_page_has_no_problem():
    body = ZH + '<table><tr><td class="text">“全年共查处违法建筑案件 5334 起”……</td><td>5,334</td></tr></table>' \
                '<figure><img src="data:image/png;base64,AAAA" alt="各区立案数"></figure>' \
                '<ul class="sources"><li><a href="https://cgzf.sh.gov.cn/x.html">总结</a></li></ul>'
    assert check_page(page(body)) == []


def test_a_truncated_cell_is_caught():
    body = ZH + "<table><tr><td>全年共查处违法建筑案件 5334 起，拆除违法建筑面...</td></tr></table>"
    assert kinds(page(body)) == ["truncated cell"]
    assert kinds(page(ZH + "<table><tr><td>...</td><td>...</td></tr></table>")) == ["truncated cell"] * 2


def test_notebook_clutter_is_caught():
    assert kinds(page(ZH + '<div class="output_subarea output_stream output_stderr"><pre>x</pre></div>')) == ["stderr"]
    assert "prompt" in kinds(page(ZH + '<div class="prompt input_prompt">In&nbsp;[3]:</div>'))


@pytest.mark.parametrize("img", [
    '<img src="data:image/png;base64,AAAA">',
    '<img src="data:image/png;base64,AAAA" alt="">',
    '<img src="data:image/png;base64,AAAA" alt="No description has been provided for this image">',
])
def test_an_image_without_real_alt_text_is_caught(img):
    assert kinds(page(ZH + img)) == ["alt text"]


@pytest.mark.parametrize("resource", [
    '<script src="https://cdn.example/require.js"></script>',
    '<link rel="stylesheet" href="//cdn.example/x.css">',
    '<img src="http://example.com/x.png" alt="x">',
    "<style>@import 'https://fonts.example/a.css';</style>",
    '<div style="background: url(https://example.com/bg.png)"></div>',
])
def test_an_external_resource_is_caught(resource):
    assert "external resource" in kinds(page(ZH + resource))


def test_links_to_sources_are_not_resources():
    assert check_page(page(ZH + '<a href="https://www.shanghai.gov.cn/">来源</a>')) == []


def test_a_zh_page_must_be_chinese_quotes_aside():
    assert kinds(page(EN)) == ["language", "language"]  # the page as a whole, and the paragraph
    mostly = page(ZH * 3 + EN)
    assert kinds(mostly) == ["language"]  # one English paragraph in a Chinese page
    quoted = page(ZH + f"<blockquote>{EN}</blockquote><p><q>{EN[3:-4]}</q></p>" + '<p><span lang="en">'
                  + EN[3:-4] + "</span></p><pre><code>import pandas as pd</code></pre>")
    assert check_page(quoted) == []


def test_an_en_page_must_not_be_chinese():
    assert kinds(page(EN + ZH, "en")) == ["language"]
    assert check_page(page(EN + f'<p><q lang="zh">{ZH[3:-4]}</q></p>', "en")) == []
    assert check_page(page(EN + '<p>Source: <span lang="zh">城管执法系统2022年工作总结和2023年工作计划</span>.</p>', "en")) == []
    sources = ('<ul class="sources"><li><a href="https://cgzf.sh.gov.cn/x.html">城管执法系统2022年工作总结和2023年'
               '工作计划</a> 沪城管执〔2023〕14号 — 上海市城市管理行政执法局, 2023-01-30.</li></ul>')
    assert check_page(page(EN + sources, "en")) == []


def test_chinese_share_counts_characters_against_words():
    assert chinese_share("城管执法") == (1.0, 4, 0)
    assert chinese_share("the CIIE 进博会")[1:] == (3, 2)


# -- key results ----------------------------------------------------------------------------

ROW = {"name": "cases", "value": 5334.0, "unit": "起", "label": "立案数", "display": "5,334 起", "lower": None,
       "upper": None, "headline": True}


def notebook(*payloads):
    cells = [v4.new_code_cell("show()", outputs=[v4.new_output("display_data", data={
        "text/plain": "k", RESULTS_MIMETYPE: payload})]) for payload in payloads]
    return v4.new_notebook(cells=[v4.new_markdown_cell("# T"), *cells])


def test_key_results_are_read_from_their_output():
    assert find_results(notebook()) is None
    assert find_results(notebook({"results": [ROW]})) == [ROW]
    second = {**ROW, "name": "share", "headline": False, "value": 17.2, "lower": 16.9, "upper": 17.5}
    assert [r["name"] for r in find_results(notebook({"results": [ROW, second]}))] == ["cases", "share"]


@pytest.mark.parametrize("payload, message", [
    ([ROW], 'must be {"results": [...]}'),
    ({"results": [{**ROW, "headline": False}]}, "exactly one row must have headline true"),
    ({"results": [ROW, {**ROW, "name": "b"}]}, "exactly one row must have headline true"),
    ({"results": [ROW, {**ROW, "headline": False}]}, "appears twice"),
    ({"results": [{k: v for k, v in ROW.items() if k != "display"}]}, "missing display"),
    ({"results": [{**ROW, "value": "5334"}]}, "value must be a finite number or null"),
    ({"results": [{**ROW, "value": float("nan")}]}, "value must be a finite number or null"),
    ({"results": [{**ROW, "headline": 1}]}, "headline must be true or false"),
])
def test_key_results_of_the_wrong_shape_are_refused(payload, message):
    with pytest.raises(ResultsError, match=message.replace("[", r"\[").replace("{", r"\{")):
        find_results(notebook(payload))


def test_key_results_displayed_twice_are_refused():
    with pytest.raises(ResultsError, match="more than once"):
        find_results(notebook({"results": [ROW]}, {"results": [ROW]}))


def test_the_results_document_and_its_headline():
    doc = results_document(run="g-zh", notebook="g", parameters={"lang": "zh", "confidence": 0.95},
                           results=[ROW], title="生活垃圾")
    assert doc["lang"] == "zh" and doc["run"] == "g-zh" and headline(doc) == ROW
    assert headline(None) is None and headline({"results": []}) is None


# -- what a reader of the text trips over (issue 17 part 5) ----------------------------------------

def problems_of(kind: str, body: str, lang: str = "zh") -> list[str]:
    return [p.detail for p in check_page(page(body, lang)) if p.kind == kind]


@pytest.mark.parametrize("text", [
    "<p>按 sites_per_case 的取值计算，结果如下。</p>",
    "<p>数字来自 cgzf2022_0001 这一条记录。</p>",
    "<p>完整数据见 data/observations.csv 文件。</p>",
    "<p>各表（*.csv）都可以下载。</p>",
    "<p>证据表由 show.figures(obs) 生成。</p>",
    "<p>The table comes from figures(obs, lang) in the library.</p>",
    "<td>first_week_days</td>",
])
def test_a_code_name_in_the_text_is_caught(text):
    lang = "en" if "The table" in text else "zh"
    assert problems_of("code name", f"<table><tr>{text}</tr></table>" if text.startswith("<td>") else text, lang)


@pytest.mark.parametrize("text", [
    "<p>参数见代码：<code>sites_per_case = 1.0</code>。</p>",
    '<pre><code>load_observations(domain="garbage_sorting")</code></pre>',
    '<table class="cg-table figures"><tr><td><code class="obs-id">cgzf2022_0001</code> 立案数</td></tr></table>',
    '<table class="cg-table figures"><tr><td>cgzf2022_0001</td></tr></table>',
    '<ul class="sources"><li>见 report_2022.pdf</li></ul>',
    "<blockquote>原文写作 ab_cd 的字样。</blockquote>",
    '<details class="cg-code"><summary>代码</summary><div class="highlight"><pre>x_y = f(1)</pre></div></details>',
    "<p>面积为 1,234.5 平方米，约占 3.5%（2022 年）。</p>",
    "<p>The share (16.6%) fell; e.g. in 2022 (January to June) it was lower.</p>",
    "<p>城管执法局（2023）公布了数字。</p>",
])
def test_code_names_where_they_belong_are_not_caught(text):
    assert problems_of("code name", text, "en" if "The share" in text else "zh") == []


@pytest.mark.parametrize("text, caught", [
    ("<p>property managers&amp;#x27; failure to report</p>", "&#x27;"),
    ("<p>他说&amp;quot;好&amp;quot;。</p>", "&quot;"),
    ("<td>A &amp;amp; B</td>", "&amp;"),
])
def test_a_visible_entity_is_caught(text, caught):
    found = problems_of("entity", f"<table><tr>{text}</tr></table>" if text.startswith("<td>") else text, "en")
    assert found and caught in found[0]


def test_an_entity_the_browser_decodes_is_not_visible():
    assert problems_of("entity", "<p>property managers&#x27; failure &amp; the &quot;list&quot; &lt;1&gt;</p>",
                       "en") == []
    assert problems_of("entity", "<pre><code>html.escape('&amp;amp;')</code></pre>", "en") == []


@pytest.mark.parametrize("text", [
    "<p>全年立案 8.3 万起 起，占比上升。</p>",
    "<p>共查处 5,334 起 起。</p>",
    "<p>占比 16.6 % %。</p>",
    "<p>增长 12%%。</p>",
    "<p>出动 1,800 余名名执法队员。</p>",
    "<p>There were 5,334 cases cases in 2022.</p>",
])
def test_a_doubled_unit_is_caught(text):
    assert problems_of("doubled unit", text, "en" if "There" in text else "zh")


@pytest.mark.parametrize("text", [
    "<p>处处留心，件件落实，天天巡查，家家户户参与。</p>",
    "<p>一起起案件背后，是 5,334 起立案。</p>",
    "<p>8.3 万起，较上年 7.9 万起增加。</p>",
    "<p><q>查处违法案件 5334 起 起</q>是原文的错字。</p>",
])
def test_doubled_words_of_the_language_are_not_units(text):
    assert problems_of("doubled unit", text) == []


@pytest.mark.parametrize("text, mark", [
    ('<ul class="sources"><li><cite>总结</cite> — 上海市城市管理行政执法局, 2023-01-30. 官方报告; 可靠性: 高.</li></ul>',
     "局,"),
    ("<p>可靠性: 高</p>", "性:"),
    ("<p>官方报告; 可靠性高</p>", "告;"),
    ("<p>立案数上升.</p>", "升."),
    ("<p>占比为 16.6%(按 7 天计)。</p>", "(按 7 天计)"),
    ("<td>1,078 元 (1,078–1,081)</td>", "元 ("),
    ("<p>见表 3 (下同)。</p>", "(下同)"),
    ("<p>结果如下:</p>", "下:"),
])
def test_ascii_punctuation_in_chinese_text_is_caught(text, mark):
    body = f"<table><tr>{text}</tr></table>" if text.startswith("<td>") else text
    found = problems_of("punctuation", ZH + body)
    assert found and any(mark in f for f in found), found


@pytest.mark.parametrize("text", [
    '<ul class="sources"><li><cite>总结</cite> — 上海市城市管理行政执法局，2023-01-30。官方报告；可靠性：高。</li></ul>',
    "<p>面积 1,234.5 平方米，占 3.5%；2022.10 起施行。</p>",
    "<p>原文写作<q>责令(当场或限期)整改</q>。</p>",
    '<ul class="sources"><li><cite><a href="https://x.cn/"><span lang="zh">新起点 新征程 再出发!</span></a></cite></li></ul>',
    '<p>SHINE 的报道<span lang="en">(an English daily; reliability: medium.)</span>。</p>',
    "<p>Source: official report; reliability: high.</p>",
    "<p>参数 <code>lang: str = &quot;zh&quot;</code> 决定语言。</p>",
])
def test_chinese_punctuation_and_quoted_text_pass(text):
    assert problems_of("punctuation", ZH + text) == []


def test_ascii_punctuation_is_a_zh_rule_only():
    assert problems_of("punctuation", EN + "<p>Source: 城管执法局, 2023; reliability: high.</p>", "en") == []


@pytest.mark.parametrize("text", [
    "<td>85.8 (≤ 85.8)</td>",
    "<td>3 (3–3)</td>",
    "<td>16.6%–16.6%</td>",
    "<td>1,078 元（1,078–1,081）</td>",
    "<td>43 % (42.6–43)</td>",
    "<td>120 起（≥ 120）</td>",
    "<td>5.5 倍（至少 5.5）</td>",
    "<p>每千次检查立案 63.1 次（63.1 至 63.3）。</p>",
])
def test_a_range_that_ends_at_its_value_is_caught(text):
    body = f"<table><tr>{text}</tr></table>" if text.startswith("<td>") else text
    assert problems_of("range at value", body, "en")


@pytest.mark.parametrize("text", [
    "<td>76 (75.7–77.3)</td>",
    "<td>16.6 % (16.5–16.7)</td>",
    "<td>at most 85.8</td>",
    "<td>至少 34.5 %（至多 35.2）</td>",
    "<td>1,078.3 元（1,077.9–1,081.2）</td>",
    "<td>5,334</td>",
    "<p>2019 年（2019-07-01 至 2019-07-06）共 6 天。</p>",
    "<p>3 of 10 districts (Minhang, Baoshan, Changning) reported.</p>",
    '<table class="cg-table figures"><tr><td>3 起<br>原文写法：3 起 → 3–3</td></tr></table>',
])
def test_a_range_around_its_value_passes(text):
    body = f"<table><tr>{text}</tr></table>" if text.startswith("<td>") else text
    assert problems_of("range at value", body, "en") == []


def test_a_title_longer_than_one_line_of_finding_is_caught():
    long_zh = "各区并列：唯一同年可比的一对中，宝山 2021 年两种程序的每件罚款都高于闵行，差距大于任何一个区自身报告之间的变化"
    short_zh = "生活垃圾分类执法：立案的比重上升，2022 年每百起责令整改对应约 51 起立案"
    assert problems_of("long title", f"<h1>{long_zh}</h1>" + ZH)
    assert problems_of("long title", f"<h1>{short_zh}</h1>" + ZH) == []
    long_en = ("Non-site enforcement handled about 7–9% of the cases of the areas it serves; what the "
               "graded supervision saves depends on how often low-risk places were inspected before")
    assert problems_of("long title", f"<h1>{long_en}</h1>" + EN, "en")
    assert problems_of("long title", "<h1>Household-garbage sorting: cases took a larger part</h1>" + EN, "en") == []
    # a card of the home page, and not any h3
    card = f'<article class="card"><h3><a href="x.html">{long_zh}</a></h3><p>…</p></article>'
    assert problems_of("long title", ZH + card)
    assert problems_of("long title", ZH + f"<h3>{long_zh}</h3>") == []


def test_english_brackets_are_not_calls():
    for text in ("<p>Each target(s) is counted once.</p>", "<p>The CIIE(2019) and Expo(2010) were not.</p>",
                 "<p>Shanghai (2022) fined more.</p>"):
        assert problems_of("code name", text, "en") == [], text


def test_words_in_chinese_quotation_marks_keep_their_punctuation():
    assert problems_of("punctuation", ZH + "<p>按“责令(当场或限期)整改”读。</p>") == []
    assert problems_of("punctuation", ZH + "<p>按“责令整改”读(见上).</p>")


def test_a_status_mark_after_an_english_title_is_not_chinese_text():
    card = '<article class="card"><h3>Example (zh) <span class="mark mark-not-built">尚未构建</span></h3></article>'
    assert problems_of("punctuation", ZH + card) == []


def test_highlighted_code_is_read_without_its_token_spans_but_nothing_else_is_dropped():
    token_spans = '<span class="n">x</span> <span class="o">=</span> <span class="mi">1</span>' * 200
    code = f'<details class="cg-code"><summary>代码</summary><div class=" highlight hl-ipython3"><pre>{token_spans}</pre></div></details>'
    assert check_page(page(ZH + code)) == []
    # What is not a token span stays and is checked: an image, a styled span, inside the block.
    image = '<img src="https://cdn.example.org/x.png" alt="图">'
    styled = '<span style="background: url(//cdn.example.org/x.png)">x</span>'
    for inside in (image, styled):
        block = f'<div class=" highlight hl-ipython3"><pre><span class="n">x</span>{inside}</pre></div>'
        assert kinds(page(ZH + block)) == ["external resource"], inside
