"""Render an executed notebook as one self-contained, readable HTML page.

What the reader sees is the notebook's prose, tables and figures; what a notebook environment adds
is left out: no ``In/Out`` prompts, no stderr (its text becomes a build warning instead), no bare
``repr`` results, no empty cells. Code stays available, collapsed under a "code" toggle, unless the
run shows code. The key-results output moves to the top, right after the title; headings get
anchors and a table of contents; a top bar links the site home, the same report in the other
language and the data downloads. CSS is inline and nothing loads from the network, so the file
works when mailed, copied or opened from disk.

nbconvert is imported lazily: the coordinator imports this module without paying for it.
"""

from __future__ import annotations

import ast
import copy
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from chengguan.links import unlink_unsafe
from chengguan.text import PROSE_METADATA
from reportbuild.results import KEY_RESULTS_TAG

CELLS_TEMPLATE = "reportbuild_cells.html.j2"
TEMPLATES = Path(__file__).with_name("templates")
# A stderr warning that means the report was built without what it needs to be in its language:
# chengguan.theme warns this when no CJK font is installed and labels charts in English instead.
DEGRADING_WARNINGS = ("MissingCJKFontWarning",)

# Fonts that render Chinese on Linux, macOS and Windows, before the generic fallback (base.css
# holds the same list).
CJK_FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"WenQuanYi Micro Hei", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif'
)

# The cells of the report, from nbconvert's basic template (no page, no CSS) minus the notebook
# chrome. The page around them is templates/report.html.j2.
CELLS = r"""
{%- extends 'basic/index.html.j2' -%}
{%- block in_prompt -%}{%- endblock in_prompt -%}
{%- block empty_in_prompt -%}{%- endblock empty_in_prompt -%}
{%- block output_area_prompt -%}{%- endblock output_area_prompt -%}
{%- block stream_stderr -%}{%- endblock stream_stderr -%}
{%- block input_group -%}
{%- if cell.source.strip() and 'key-results' not in cell.metadata.get('tags', []) -%}
{%- if resources.chengguan.show_code -%}
<div class="cg-input">{{ cell.source | highlight_code(metadata=cell.metadata) }}</div>
{%- else -%}
<details class="cg-code"><summary>{{ resources.chengguan.code_label }}</summary>
{{ cell.source | highlight_code(metadata=cell.metadata) }}
</details>
{%- endif -%}
{%- endif -%}
{%- endblock input_group -%}
"""


@dataclass(frozen=True)
class PageLinks:
    """Where the top bar of a report points (paths relative to the report)."""

    home: str = "index.html"  # the site's home page in the report's language
    other_lang: str | None = None  # the same report in the other language
    data: str | None = None  # the data downloads

    def to_dict(self) -> dict[str, str | None]:
        return {"home": self.home, "other_lang": self.other_lang, "data": self.data}


@dataclass
class Prepared:
    """A notebook ready to render, and what was left out of it on the way."""

    nb: Any
    warnings: list[str] = field(default_factory=list)
    degraded: bool = False


def _tags(cell: Mapping[str, Any]) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _only_says(source: str) -> bool:
    """Whether a code cell does nothing but say prose (``T.say("key", ...)`` calls)."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(
        isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
        and isinstance(s.value.func, ast.Attribute) and s.value.func.attr == "say" for s in body)


def _as_prose(cell: Any) -> Any:
    """A code cell that only says prose (every output made by ``chengguan.text.Text.say``) as the
    Markdown cell a reader expects: no "code" toggle over a paragraph, headings in the contents."""
    outputs = cell.get("outputs", [])
    if not outputs or not all(o.get("output_type") == "display_data" and o.get("metadata", {}).get(PROSE_METADATA)
                              for o in outputs) or not _only_says(cell.source):
        return cell
    import nbformat  # noqa: PLC0415

    prose = nbformat.v4.new_markdown_cell("\n\n".join(str(o["data"]["text/markdown"]) for o in outputs))
    prose.metadata = copy.deepcopy(cell.metadata)
    return prose


def _is_title(cell: Mapping[str, Any]) -> bool:
    return cell.get("cell_type") == "markdown" and re.match(r"\s*#\s", "".join(cell.get("source", ""))) is not None


def prepare(nb: Any, lang: str | None, number: Callable[[int], int] | None = None) -> Prepared:
    """A copy of ``nb`` as the page shows it; stderr and bare reprs become warnings.

    ``number`` turns a cell's index into the number the author knows it by (the source
    notebook's, 1-based); by default the position in ``nb``. Code cells without output join the
    code cell after them (see :func:`_merge_silent_code`), so no "code" toggle stands empty.
    """
    nb = copy.deepcopy(nb)
    prepared = Prepared(nb)
    kept_cells: list[Any] = []
    for index, cell in enumerate(nb.cells):
        number_ = number(index) if number else index + 1
        if cell.cell_type == "code":
            outputs = []
            for output in cell.get("outputs", []):
                kind = output.get("output_type")
                if kind == "stream" and output.get("name") == "stderr":
                    text = output.get("text", "")
                    if any(w in text for w in DEGRADING_WARNINGS):
                        prepared.degraded = prepared.degraded or lang == "zh"
                    else:
                        first = next((ln for ln in text.splitlines() if ln.strip()), "")
                        prepared.warnings.append(
                            f"cell {number_} wrote to stderr (left out of the HTML): {first[:200]}")
                    continue
                if kind in ("execute_result", "display_data") and set(output.get("data", {})) <= {"text/plain"}:
                    shown = " ".join(str(output.get("data", {}).get("text/plain", "")).split())[:80]
                    prepared.warnings.append(f"cell {number_} shows a bare value (left out of the HTML): {shown}")
                    continue
                outputs.append(output)
            cell.outputs = outputs
            if not cell.source.strip() and not outputs:
                continue
            cell = _as_prose(cell)
        kept_cells.append(cell)
    # Merged after the key results move: the cells on either side of its old place meet then.
    nb.cells = _merge_silent_code(_key_results_first(_title_first(kept_cells)))
    return prepared


def _merge_silent_code(cells: list[Any]) -> list[Any]:
    """The cells with each run of code cells that show nothing joined to the code cell after it.

    Each code cell is a "code" toggle on the page; one that shows nothing would sit right above
    the next toggle with nothing between them. Its source goes first in the next code cell that
    shows something (code stays in the order it ran), or, when prose or the key results come
    next, in one cell of its own.
    """
    merged: list[Any] = []
    silent: list[Any] = []  # the run of code cells without output waiting for the next code cell

    def flush() -> None:
        if silent:
            first = silent[0]
            first.source = _joined([c.source for c in silent])
            merged.append(first)
            silent.clear()

    for cell in cells:
        if cell.cell_type != "code" or KEY_RESULTS_TAG in _tags(cell):
            flush()
            merged.append(cell)
        elif not cell.outputs:
            silent.append(cell)
        else:
            if silent:
                cell.source = _joined([c.source for c in silent] + [cell.source])
                silent.clear()
            merged.append(cell)
    flush()
    return merged


def _joined(sources: list[str]) -> str:
    return "\n\n".join(s.strip("\n") for s in sources if s.strip())


def _title_first(cells: list[Any]) -> list[Any]:
    """The title cell first when only silent set-up code stands before it (a notebook says its
    title once its words are loaded, after the parameters)."""
    at = next((i for i, c in enumerate(cells) if _is_title(c)), None)
    if not at or any(c.cell_type != "code" or c.get("outputs") for c in cells[:at]):
        return cells
    return [cells[at], *cells[:at], *cells[at + 1:]]


def _key_results_first(cells: list[Any]) -> list[Any]:
    """The cells with the key-results cell moved right after the title cell (when both exist).

    A heading-only Markdown cell right before it (its section's heading) goes too: the section
    would be left empty, and the key-results box carries its own heading.
    """
    at = next((i for i, c in enumerate(cells) if KEY_RESULTS_TAG in _tags(c)), None)
    title_at = next((i for i, c in enumerate(cells) if _is_title(c)), None)
    if at is None or title_at is None or at < title_at:
        return cells
    key = cells[at]
    drop = {at}
    before = cells[at - 1] if at > 0 else None
    if before is not None and at - 1 != title_at and before.cell_type == "markdown" and _HEADING_ONLY.match(before.source):
        drop.add(at - 1)
    rest = [c for i, c in enumerate(cells) if i not in drop]
    return rest[: title_at + 1] + [key] + rest[title_at + 1:]


_HEADING_ONLY = re.compile(r"^\s*#{1,6}\s+[^\n]*\s*$")


# -- HTML -------------------------------------------------------------------------------------

_HEADING = re.compile(r'<h([1-3]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")
_NUMERIC = re.compile(r"^\s*[-+−]?(?:\d[\d,\s]*)?\.?\d+\s*%?\s*$")
_DATAFRAME = re.compile(r'<table[^>]*class="[^"]*\bdataframe\b[^"]*"[^>]*>.*?</table>', re.S)
_ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S)
_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)</\1>", re.S)


def headings(body: str) -> list[tuple[int, str, str]]:
    """``(level, id, text)`` of the h1-h3 headings with ids (the markdown headings)."""
    found = []
    for level, anchor, inner in _HEADING.findall(body):
        text = html.unescape(_TAG.sub("", inner)).replace("¶", "").strip()
        found.append((int(level), anchor, text))
    return found


def _align_dataframes(body: str) -> str:
    """pandas tables: numeric cells right-aligned (``num``), text left (``text``), a column's
    header aligned like its cells, and the table in a box that scrolls sideways when it is wider
    than the page (the display helpers' tables come with all of this already)."""
    return _DATAFRAME.sub(lambda m: f'<div class="table-scroll">{_align_table(m.group(0))}</div>', body)


def _align_table(table: str) -> str:
    head, _, rest = table.partition("</thead>") if "</thead>" in table else ("", "", table)
    numeric: dict[int, bool] = {}  # column -> every body cell in it is a number

    def row(match: re.Match[str]) -> str:
        position = 0

        def cell(c: re.Match[str]) -> str:
            nonlocal position
            tag, attrs, inner = c.group(1), c.group(2), c.group(3)
            at, position = position, position + 1
            if tag == "th" or "class=" in attrs:
                return c.group(0)
            kind = "num" if _NUMERIC.match(html.unescape(_TAG.sub("", inner))) else "text"
            numeric[at] = numeric.get(at, True) and kind == "num"
            return f'<td class="{kind}"{attrs}>{inner}</td>'

        return _CELL.sub(cell, match.group(0))

    rest = _ROW.sub(row, rest)
    if head:
        def header_row(match: re.Match[str]) -> str:
            cells = list(_CELL.finditer(match.group(0)))
            if len(cells) != max(numeric, default=-1) + 1:
                return match.group(0)  # a spanning (multi-level) header: leave it as pandas made it
            out, last = [], 0
            for i, c in enumerate(cells):
                kind = "num" if numeric.get(i) else "text"
                out.append(match.group(0)[last:c.start()])
                out.append(f'<{c.group(1)} class="{kind}"{c.group(2)}>{c.group(3)}</{c.group(1)}>'
                           if "class=" not in c.group(2) else c.group(0))
                last = c.end()
            out.append(match.group(0)[last:])
            return "".join(out)

        head = _ROW.sub(header_row, head) + "</thead>"
    return head + rest


_HIGHLIGHT_CACHE: dict[tuple[str, str, str | None], str] = {}
"""Highlighted code by (source, language, magics language): see ``CachedHighlight``."""


@cache
def _exporter() -> Any:
    # Built once per process: compiling the template is the costly part of rendering.
    import jinja2
    from nbconvert import HTMLExporter
    from nbconvert.exporters import TemplateExporter
    from nbconvert.filters import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class CachedHighlight(Highlight2HTML):
        """nbconvert's code highlighting, remembered per process by source and language.

        Pygments is the costly part of rendering a report (about a quarter of a second a page);
        the zh and en runs of a notebook share their code cells, and each worker renders many
        runs. The output depends only on the source, the language and the cell's magics language
        (nbconvert's ``_pygments_highlight``); the formatter options are this exporter's own.
        """

        def __call__(self, source: str, language: str | None = None,
                     metadata: Mapping[str, Any] | None = None) -> str:
            key = (source, language or self.pygments_lexer, (metadata or {}).get("magics_language"))
            if key not in _HIGHLIGHT_CACHE:
                _HIGHLIGHT_CACHE[key] = super().__call__(source, language, metadata)
            return _HIGHLIGHT_CACHE[key]

    class CellsExporter(HTMLExporter):
        """nbconvert's HTML exporter without the BeautifulSoup pass over the finished page.

        That pass only puts a stock alt text on images that lack one and a tabindex on the lab
        template's ``jp-`` wrappers; the basic template has none, and an image without alt text
        is a page-check problem here, never papered over. Parsing a 300 KB report cost about
        as much as executing it. The two filters are registered as HTMLExporter registers them.
        """

        def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None,  # type: ignore[override]
                               **kw: Any) -> tuple[str, dict[str, Any]]:
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name", None))
            self.register_filter("highlight_code", CachedHighlight(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return CellsExporter(
        template_name="basic",
        template_file=CELLS_TEMPLATE,
        extra_loaders=[jinja2.DictLoader({CELLS_TEMPLATE: CELLS})],
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=False,
        embed_images=True,  # images a Markdown cell links to go inline too
        # Validate the notebook once after the preprocessors, not after each of the eleven
        # (most of them disabled): each pass walked every output against the schema.
        optimistic_validation=True,
    )


@cache
def _page_template() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    return env.get_template("report.html.j2")


@cache
def _css() -> str:
    from pygments.formatters import HtmlFormatter

    own = (TEMPLATES / "base.css").read_text(encoding="utf-8") + (TEMPLATES / "report.css").read_text(encoding="utf-8")
    return own + HtmlFormatter(style="default").get_style_defs(".highlight")


# The site's one name, in each language: the home pages, every report's top bar, the build page
# and the data explorer all say it (reportbuild.site and reportbuild.explorer read it here).
SITE_NAME = {"zh": "上海城管执法 · 可追溯的数字",
             "en": "Shanghai city-management enforcement, in numbers you can trace"}

# The words of the page around the report, in the report's language.
REPORT_TEXT = {
    "zh": {"code": "代码", "toc": "目录", "site": SITE_NAME["zh"], "data": "数据下载",
           "other": "English",
           "degraded": "本报告生成时，本机没有中文字体，所以图表标签为英文。安装中文字体（Debian："
                       "apt-get install fonts-noto-cjk）后重新构建，即可得到中文图表。"},
    "en": {"code": "code", "toc": "Contents", "site": SITE_NAME["en"], "data": "Data",
           "other": "中文",
           "degraded": "Built on a machine without a Chinese font."},
}


_REFERENCE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_MARKUP = frozenset('&<>"\'')


def decode_references(body: str) -> str:
    """Character references as the characters they stand for (the Markdown renderer writes a
    Chinese heading as ``&#25152;&#29992;…``), except those that must stay escaped in HTML."""

    def char(match: re.Match[str]) -> str:
        text = html.unescape(match.group(0))
        return match.group(0) if text == match.group(0) or any(c in _MARKUP for c in text) else text

    return _REFERENCE.sub(char, body)


def render_report(nb: Any, *, lang: str | None, fallback_title: str, links: PageLinks, show_code: bool,
                  degraded: bool = False) -> str:
    """The page of an executed notebook that :func:`prepare` has made ready."""
    lang = lang if lang in REPORT_TEXT else "zh"
    text = REPORT_TEXT[lang]
    resources = {"chengguan": {"show_code": show_code, "code_label": text["code"]}}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    body = decode_references(body)
    body = _align_dataframes(body)
    # The last gate for links from the data: whatever a notebook printed, no address other than
    # http/https or a link inside outputs/ stays an href/src (chengguan.links).
    body = unlink_unsafe(body)
    found = headings(body)
    title = next((t for level, _a, t in found if level == 1), fallback_title)
    toc = toc_tree(found)
    return _page_template().render(lang=lang, title=title, body=body, toc=toc, links=links, t=text,
                                   degraded=degraded, css=_css())


def toc_tree(found: list[tuple[int, str, str]]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The contents: each h2 as ``(anchor, text, children)`` with the h3s under it as children, so
    an ordered list numbers the sections 1, 2, 3 and not the subsections with them. An h3 before
    the first h2 stands at the top level."""
    tree: list[tuple[str, str, list[tuple[str, str]]]] = []
    for level, anchor, text in found:
        if level == 2 or (level == 3 and not tree):
            tree.append((anchor, text, []))
        elif level == 3:
            tree[-1][2].append((anchor, text))
    return tree


def report_title(nb: Any) -> str | None:
    """The text of the notebook's title (its first level-1 Markdown heading)."""
    for cell in nb.cells:
        if _is_title(cell):
            line = next(ln for ln in cell.source.splitlines() if ln.strip())
            return re.sub(r"^\s*#\s+", "", line).strip() or None
    return None


def external_references(text: str) -> list[str]:
    """Snippets of ``text`` that would make a browser fetch something from the network."""
    found = []
    for pattern in (_EXTERNAL_SRC, _TAG_WITH_HREF, _CSS_URL):
        found += [text[m.start(): m.start() + 80] for m in pattern.finditer(text)]
    return found


_EXTERNAL_SRC = re.compile(r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_TAG_WITH_HREF = re.compile(r"""<(?!a[\s>])(\w+)[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])\s*(?:https?:)?//""", re.IGNORECASE)
