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
