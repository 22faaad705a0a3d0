"""Self-contained HTML: no network references, UTF-8 and CJK fonts, code collapsed in reports."""

from __future__ import annotations

import base64
import re

import pytest
from nbformat import v4

from reportbuild.gallery import Entry, render_gallery
from reportbuild.render import external_references, render_notebook

PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a7f1a4b50000000049454e44ae426082"
)).decode()

# Anything a browser would fetch from the network: src= or href= to http(s):// or protocol-relative //.
NETWORK = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def notebook():
    code = v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2])", execution_count=1, outputs=[
        v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        v4.new_output("stream", name="stdout", text="垃圾分类 100%\n"),
    ])
    return v4.new_notebook(cells=[
        v4.new_markdown_cell("# 生活垃圾分类\n\n数学 $x^2$ and a table."),
        code,
    ], metadata={"language_info": {"name": "python"}})


@pytest.fixture(scope="module")
def report(notebook):
    return render_notebook(notebook, "垃圾分类 · Waste", "说明 <b>not bold</b>", {"lang": "zh"}, show_code=False)


def test_no_network_references(report):
    assert NETWORK.findall(report) == []
    assert external_references(report) == []
    assert "require.js" not in report and "mathjax" not in report.lower().replace("mathjax-", "")


def test_images_are_inline_and_text_is_utf8(report):
    assert f'src="data:image/png;base64,{PNG}' in report
    assert '<meta charset="utf-8"' in report
    assert "生活垃圾分类" in report and "垃圾分类 100%" in report
    assert '"Noto Sans CJK SC"' in report and '"Microsoft YaHei"' in report


def test_header_escapes_and_lists_parameters(report):
    assert "<h1>垃圾分类 · Waste</h1>" in report
    assert "说明 &lt;b&gt;not bold&lt;/b&gt;" in report
    assert "<code>lang = 'zh'</code>" in report
    assert '<html lang="zh">' in report


def test_code_is_collapsed_in_reports_and_shown_on_request(notebook, report):
    assert report.count('<details class="cg-code"><summary>code</summary>') == 1
    shown = render_notebook(notebook, "t", "", {}, show_code=True)
    assert "<details" not in shown
    assert shown.count('class="jp-CodeMirrorEditor') == report.count('class="jp-CodeMirrorEditor') == 1


def test_external_reference_detector():
    assert external_references('<script src="https://cdn.example/x.js"></script>')
    assert external_references('<link rel="stylesheet" href="//cdn.example/x.css">')
    assert external_references("<style>@import 'https://fonts.example/a.css';</style>")
    assert external_references('<a href="https://www.shanghai.gov.cn/">source</a>') == []  # a link, not a fetch


def test_gallery_is_self_contained():
    page = render_gallery([
        Entry("a-zh", "报告 A", "说明", {"lang": "zh"}, "ok", 2.5, "2025-01-01T10:00:00+08:00", True),
        Entry("b", "B <script>", "", {}, "failed", None, None, False, error="x.ipynb, cell 2: error"),
    ])
    assert NETWORK.findall(page) == []
    assert '<a href="a-zh.html">报告 A</a>' in page and "2.5 s" in page
    assert "B &lt;script&gt;" in page and "no good build yet" in page
