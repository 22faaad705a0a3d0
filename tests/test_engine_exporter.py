"""`jupyter nbconvert --to chengguan`: the report page for one shared notebook, offline.

nbconvert finds the exporter through the ``nbconvert.exporters`` entry point in pyproject.toml, so
these tests run the command a reader runs (the README's, under "Working with the notebooks").
"""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from reportbuild.exporter import ReportExporter, notebook_lang
from reportbuild.pagecheck import check_page
from reportbuild.render import external_references

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# A 1x1 PNG: a figure output without a kernel.
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082")).decode()
FIGURE = f'<img src="data:image/png;base64,{PNG}" alt="Cases per year, 2019-2022">'


def executed(lang_ran: str | None = "en", default: str = "zh") -> nbformat.NotebookNode:
    """A notebook as papermill leaves it: parameters, outputs (a figure, a table, stderr), LaTeX."""
    nb = new_notebook(cells=[
        new_code_cell(f'lang: str = "{default}"  # report language', metadata={"tags": ["parameters"]}),
        new_markdown_cell("# Cases by year\n\nThe rate is $r = n / N$ per year.",
                          metadata={"tags": ["lang-en"]}),
        new_markdown_cell("# 历年案件\n\n比率为 $r = n / N$。", metadata={"tags": ["lang-zh"]}),
        new_code_cell("show_figure(fig)", outputs=[
            new_output("display_data", data={"text/html": FIGURE, "text/plain": "<Figure>"}),
            new_output("stream", name="stderr", text="UserWarning: something noisy\n")]),
        new_markdown_cell("## Method\n\nCounted from the bureau's summaries."),
        new_code_cell("table", outputs=[new_output("display_data", data={
            "text/html": '<table class="dataframe"><tr><th>year</th><th>cases</th></tr>'
                         "<tr><td>2022</td><td>5334</td></tr></table>", "text/plain": "table"})]),
    ])
    nb.metadata["kernelspec"] = {"name": "chengguan", "display_name": "Python (chengguan)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    if lang_ran is not None:
        nb.metadata["papermill"] = {"parameters": {"lang": lang_ran}}
    return nb


def nbconvert(path: Path, *options: str, to: str = "chengguan") -> subprocess.CompletedProcess[str]:
    return subprocess.run([BIN / "jupyter", "nbconvert", "--to", to, *options, str(path)],
                          capture_output=True, text=True, timeout=300, cwd=path.parent)


def offline_problems(page: str) -> list[str]:
    """What would make a browser fetch something: script files, external URLs, CDN libraries."""
    found = external_references(page) + re.findall(r"<script[^>]*\bsrc\s*=[^>]*>", page, re.IGNORECASE)
    return found + [name for name in ("require.js", "require.min.js", "MathJax", "mathjax") if name in page]


def test_the_page_is_self_contained_and_in_the_language_the_notebook_ran_in(tmp_path: Path) -> None:
    path = tmp_path / "out.ipynb"
    nbformat.write(executed(lang_ran="en"), path)
    result = nbconvert(path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert offline_problems(page) == []
    assert "<script" not in page  # nothing to run either: the page is HTML and inline CSS
    assert '<html lang="en">' in page and "<title>Cases by year</title>" in page
    assert "Cases by year" in page and "历年案件" not in page  # the other language's cell is left out
    assert f"data:image/png;base64,{PNG}" in page  # the figure inside the file
    assert "something noisy" not in page and "something noisy" in result.stderr  # stderr: a warning
    assert "<details class=\"cg-code\">" in page and 'class="topbar"' not in page  # no site to link
    assert check_page(page, "en") == []


def test_nbconverts_own_html_is_what_this_replaces(tmp_path: Path) -> None:
    """The check above can fail: nbconvert's --to html page loads require.js and MathJax from a CDN."""
    path = tmp_path / "out.ipynb"
    nbformat.write(executed(), path)
    assert nbconvert(path, to="html").returncode == 0
    page = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert any("cdnjs" in p or "mathjax" in p.lower() for p in offline_problems(page))


def test_options_language_code_and_home_link(tmp_path: Path) -> None:
    path = tmp_path / "out.ipynb"
    nbformat.write(executed(lang_ran="en"), path)
    result = nbconvert(path, "--ReportExporter.lang=zh", "--ReportExporter.show_code=True",
                       "--ReportExporter.home=https://example.org/chengguan/", "--output", "zh")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "zh.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in page and "历年案件" in page and "Cases by year" not in page
    assert '<div class="cg-input">' in page and "<details class=\"cg-code\">" not in page
    assert '<a class="home" href="https://example.org/chengguan/">' in page
    assert external_references(page) == []  # a link to follow is not a resource to fetch


def test_the_language_is_papermills_parameter_else_the_cells_default_else_zh() -> None:
    assert notebook_lang(executed(lang_ran="en", default="zh")) == "en"
    assert notebook_lang(executed(lang_ran=None, default="en")) == "en"
    assert notebook_lang(executed(lang_ran="fr", default="zh")) == "zh"
    unparsable = executed(lang_ran=None)
    unparsable.cells[0].source = "lang = compute()"
    assert notebook_lang(unparsable) == "zh"


def test_nbconvert_finds_the_exporter_by_name() -> None:
    import nbconvert

    assert nbconvert.get_exporter("chengguan") is ReportExporter
    assert ReportExporter().file_extension == ".html"


@pytest.mark.notebooks  # starts kernels
def test_a_notebook_run_by_plain_papermill_shares_as_one_offline_page(tmp_path: Path) -> None:
    """The README's two commands on a real notebook: papermill -p lang en, then --to chengguan."""
    out = tmp_path / "garbage.ipynb"
    run = subprocess.run([BIN / "papermill", str(ROOT / "notebooks" / "garbage_sorting.ipynb"), str(out),
                          "-k", "chengguan", "-p", "lang", "en", "--cwd", str(ROOT / "notebooks"),
                          "--no-progress-bar"], capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        pytest.fail(run.stderr[-3000:])
    result = nbconvert(out)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "garbage.html").read_text(encoding="utf-8")
    assert offline_problems(page) == []
    assert '<html lang="en">' in page and page.count("data:image/png;base64,") >= 1
    assert check_page(page, "en") == []
