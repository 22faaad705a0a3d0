"""Display helpers of the reports: figures with their quotes, sources, key results, charts.

Each helper turns a frame into one display object (HTML), escaping every string that comes from
the data, so that a name or quote can never become markup in a report. The helpers hold no domain
knowledge and write no findings: the notebooks do.

Contracts with the build engine (docs/architecture.md): ``show_key_results`` emits the run's key
results as ``application/vnd.chengguan.results+json`` beside the HTML table; ``show_figure``
emits a ``<figure>`` with a 2x PNG and its alt text.
"""

from __future__ import annotations

import base64
import decimal
import html
import io
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import pandas as pd

from chengguan.contract import RESULTS_MIMETYPE  # re-exported: show_key_results writes it, the engine reads it
from chengguan.links import safe_href
from chengguan.tables import load_labels, source_issuers, source_titles, tables_read
from chengguan.theme import bar_grids
from chengguan.units import unit_label

# pandas cuts long cells with "..." by default; quotes and notes are the point of the tables.
pd.set_option("display.max_colwidth", None)
pd.set_option("display.max_rows", 500)
pd.set_option("display.width", 200)

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~])")


class _HTML:
    """A display object that carries only HTML (and a plain-text fallback)."""

    def __init__(self, html_text: str, text: str = "") -> None:
        self.html = html_text
        self.text = text or re.sub(r"<[^>]+>", " ", html_text)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def esc(value: Any) -> str:
    """``value`` as text safe inside HTML elements and attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def md_esc(value: Any) -> str:
    """``value`` as text safe inside Markdown: no HTML, no emphasis, links or tables.

    Markdown's specials are escaped first, then ``&``, ``<`` and ``>``: quotes need no escape in
    Markdown text, and an entity such as ``&#x27;`` would have its ``#`` escaped and show raw."""
    text = "" if value is None else str(value)
    return html.escape(_MARKDOWN_SPECIALS.sub(r"\\\1", text), quote=False)


# -- numbers ----------------------------------------------------------------------------------


Rounding = Literal["nearest", "down", "up"]


def fmt_number(value: float | None, digits: int = 3, rounding: Rounding = "nearest") -> str:
    """A number as people write it: whole numbers in full with separators, others to ``digits``
    significant digits (never fewer than the whole part): 224500 -> "224,500", 0.01727 ->
    "0.0173", 78.93 -> "78.9". A number that is not whole keeps one decimal at least (78.04 ->
    "78.0"), so that it does not read as an exact count beside its neighbours. ``rounding`` "down"
    or "up" rounds towards a floor or a ceiling, for a number said "at least" or "at most": a
    floor of 10.47 is "at least 10.4", never "10.5"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if math.isinf(value):
        return "∞"
    if float(value).is_integer():
        return f"{int(value):,}"
    magnitude = math.floor(math.log10(abs(value))) if value else 0
    decimals = max(digits - 1 - magnitude, 0)
    if rounding != "nearest":
        step = decimal.Decimal(1).scaleb(-decimals)
        # 12 significant digits first: a difference such as 98 - 97.65 = 0.35000000000000853 is 0.35
        value = float(decimal.Decimal(f"{float(value):.12g}").quantize(
            step, rounding=decimal.ROUND_FLOOR if rounding == "down" else decimal.ROUND_CEILING))
    text = f"{value:,.{decimals}f}"
    if "." not in text:
        return text
    text = text.rstrip("0")
    return text + "0" if text.endswith(".") else text


def _bound(value: float, digits: int, rounding: Rounding) -> str:
    """A floor ("down") or a ceiling ("up") printed so that it stays true; where rounding that way
    moves the last digit, one more digit keeps it close to the value (a ceiling of 4.0511 is
    "4.052", not "4.06")."""
    text = fmt_number(value, digits, rounding)
    if rounding != "nearest" and text != fmt_number(value, digits):
        text = fmt_number(value, digits + 1, rounding)
    return text


def fmt_range(low: float, high: float, digits: int = 3, *, outward: bool = False) -> str:
    """An interval as "low–high" ("≥ low" when unbounded above; the value when both agree).
    ``outward``: the low end rounded down and the high end up, so the printed range holds the true one."""
    down: Rounding = "down" if outward else "nearest"
    up: Rounding = "up" if outward else "nearest"
    if math.isinf(high):
        return f"≥ {_bound(low, digits, down)}"
    first, last = _bound(low, digits, down), _bound(high, digits, up)
    if first == last:  # ends that print alike are one number, not "62,301.0–62,301.0"
        return first
    # both ends to the same decimals: "51.0–51.5", not "51–51.5"
    places = max(len(end.partition(".")[2]) for end in (first, last))
    if places:
        first, last = (f"{whole}.{decimals.ljust(places, '0')}" for whole, _, decimals in
                       (end.partition(".") for end in (first, last)))
    return f"{first}–{last}"


# The marks that join the parts of a line (a source, a reliability rating) in each language:
# Chinese text takes full-width marks ("官方报告；可靠性：高。"), English its own.
PUNCTUATION = {
    "zh": {"colon": "：", "semicolon": "；", "comma": "，", "stop": "。", "open": "（", "close": "）"},
    "en": {"colon": ": ", "semicolon": "; ", "comma": ", ", "stop": ". ", "open": " (", "close": ")"},
}


def punct(lang: str) -> dict[str, str]:
    """The joining marks of ``lang`` (``PUNCTUATION``; English for any other language)."""
    return PUNCTUATION.get(lang, PUNCTUATION["en"])


def fmt_value(value: float, unit: str, qualifier: str, lang: str) -> str:
    """An observation's value with its qualifier mark and unit: "> 108,000 cases", "1 case"."""
    labels = load_labels(lang)
    mark = labels[f"mark.{qualifier}"]
    unit_text = "" if unit == "count" else unit_label(unit, lang, count=value)
    space = "" if unit in ("percent",) or lang == "zh" else " "
    return f"{mark + ' ' if mark else ''}{fmt_number(value, 6)}{space}{unit_text}"


def counted(n: float, singular: str, plural: str | None = None) -> str:
    """An English count with its noun in the right number: ``counted(1, "sentence")`` ->
    "1 sentence", ``counted(3, "target")`` -> "3 targets", ``counted(2, "batch", "batches")``.
    For prose of English reports, in place of "target(s)"."""
    noun = singular if n == 1 else (plural or f"{singular}s")
    return f"{fmt_number(n, 6)} {noun}"


def fmt_period(start: pd.Timestamp, end: pd.Timestamp, lang: str, *, words: bool = False,
               open_end: bool = False) -> str:
    """A period as a reader says it: "2022" for a calendar year, else its first and last day.

    ``words``: a part of one year as its year and days, for prose and chart labels ("2025 (1 Jan to
    2 Dec)", "2025 年（1月1日至12月2日）"); ``open_end``: the end is only a bound (a figure "to date",
    the ``end_open`` column of the observations), said as "or earlier" / "或之前".
    """
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        years = f"{start.year}" if start.year == end.year else f"{start.year}–{end.year}"
        return f"{years} 年" if lang == "zh" else years
    if start == end:
        return start.strftime("%Y-%m-%d")
    if words and start.year == end.year:
        if lang == "zh":
            return f"{start.year} 年（{start.month}月{start.day}日至{end.month}月{end.day}日{'或之前' if open_end else ''}）"
        return f"{start.year} ({start.day} {start:%b} to {end.day} {end:%b}{' or earlier' if open_end else ''})"
    return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}" + ({"zh": " 或之前", "en": " or earlier"}[lang] if open_end else "")


# -- tables ---------------------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, classes: str = "",
           numeric: Sequence[int] = ()) -> str:
    """An HTML table from already-escaped cells; columns in ``numeric`` are right-aligned."""
    # Inline alignment as well as classes: the table reads right in JupyterLab and any HTML page.
    def cell(tag: str, i: int, content: str) -> str:
        kind, align = ("num", "right") if i in numeric else ("text", "left")
        return f'<{tag} class="{kind}" style="text-align:{align}">{content}</{tag}>'

    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>"
                   for row in rows)
    return (f'<div class="table-scroll"><table class="cg-table {classes}">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


_HAN = re.compile(r"[\u3400-\u9fff]")


def text_lang(value: Any) -> str:
    """The language of a text from the data: "zh" when it holds Chinese characters, else "en"."""
    return "zh" if _HAN.search(str(value)) else "en"


def span(value: Any, tag: str = "span") -> str:
    """``value`` escaped in an element that says its language (``lang="zh"``/``"en"``), so that a
    Chinese source title in an English page (or an English title in a Chinese one) is marked as
    the quoted text it is."""
    return f'<{tag} lang="{text_lang(value)}">{esc(value)}</{tag}>'


def _link(title: str, url: str | None) -> str:
    """``title`` linked to ``url`` when :func:`chengguan.links.safe_href` accepts it (http/https
    only: a ``javascript:`` address from the data must never become a live link), else unlinked."""
    href = safe_href(url)
    if href is not None:
        return f'<a href="{esc(href)}" rel="noopener">{span(title)}</a>'
    return span(title)


def table(frame: pd.DataFrame, *, headers: Sequence[str] | None = None,
          digits: int = 3, quotes: Sequence[str] = ()) -> _HTML:
    """Any frame as a readable HTML table: nothing cut, text left and numbers right-aligned,
    numbers rounded by :func:`fmt_number`, every cell escaped. ``quotes`` names columns of verbatim
    text from a source: their cells are marked as quotations (``<q>``), keeping the source's own
    punctuation out of the page's rules for prose."""
    numeric = [i for i, c in enumerate(frame.columns)
               if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]
    quoted = {i for i, c in enumerate(frame.columns) if c in quotes}
    rows = [[fmt_number(v, digits) if i in numeric
             else f"<q>{esc(v)}</q>" if i in quoted and not _missing(v)
             else esc("" if _missing(v) else v)
             for i, v in enumerate(row)] for row in frame.itertuples(index=False)]
    names = list(headers) if headers is not None else [str(c) for c in frame.columns]
    return _HTML(_table([esc(h) for h in names], rows, numeric=numeric))


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and math.isnan(value))


# The site's data explorer in each language, relative to a report page (reportbuild.site.EXPLORER):
# each observation's id in an evidence table links to its row there (#obs-<observation_id>).
EXPLORER = {"zh": "data/explorer.html", "en": "data/explorer.en.html"}


def figures(obs: pd.DataFrame, lang: str, *, bounds: pd.DataFrame | None = None) -> _HTML:
    """The figures a report uses, one row per observation: indicator, scope, period, value as
    read, as printed, the verbatim quote and its source (linked), and any note. Each id links
    to its row in the site's data explorer (``EXPLORER``). The table comes collapsed, under a line
    that says how many figures it holds (``<details class="evidence">``).

    ``obs`` is a frame of ``load_observations`` loaded with ``lang``, so that its labels and its
    ``note`` are in the page's language; with ``bounds`` (``chengguan.stats.bounds``) a column
    shows the range each printed figure stands for.
    """
    labels = load_labels(lang)
    mark = punct(lang)
    from chengguan.tables import load_sources  # noqa: PLC0415 - keeps import of display light

    urls = load_sources().set_index("source_id")["url"]
    headers = ["column.indicator", "column.period", "column.value", "column.quote",
               "column.source", "column.note"]
    # Minimum widths that keep the quote readable and the whole table within a 1280 px page.
    wide = 'style="min-width:14em"'
    rows = []
    for index, row in obs.iterrows():
        printed = f'{esc(labels["column.printed"])}{mark["colon"]}{esc(row.number_text)}'
        if bounds is not None:
            low, high = bounds.loc[index, "low"], bounds.loc[index, "high"]
            printed += f" → {esc(fmt_range(low, high, 6))}"
        rows.append([
            f'<div style="min-width:8em">{span(row.indicator)}<br><a class="obs-id" '
            f'href="{esc(EXPLORER[lang])}#obs-{esc(row.observation_id)}">'
            f'<code class="obs-id">{esc(row.observation_id)}</code></a></div>',
            f"{esc(row.scope_name)}<br>{esc(fmt_period(row.period_start, row.period_end, lang))}",
            f'<div style="min-width:7em">{esc(fmt_value(row.value, row.unit, row.qualifier, lang))}'
            f"<br><small>{printed}</small></div>",
            f"<div {wide}>{span(row.quote, 'q')}</div>",
            '<div style="min-width:9em"><cite>' + _link(row.source_title, urls.get(row.source_id)) + "</cite>"
            + "<br><small>" + esc(labels["column.reliability"]) + mark["colon"]
            + esc(labels[f"reliability.{row.reliability}"]) + "</small></div>",
            f'<div style="min-width:10em">{esc("" if _missing(row.note) else row.note)}</div>',
        ])
    # Closed by default: the analysis comes first, and 45 rows of quotes would stand before it.
    summary = esc(labels["text.evidence_summary"].format(n=fmt_number(len(rows))))
    return _HTML(f'<details class="evidence"><summary>{summary}</summary>'
                 f'{_table([esc(labels[h]) for h in headers], rows, classes="figures")}</details>')


def sources(obs: pd.DataFrame, lang: str) -> _HTML:
    """The sources behind ``obs``, most reliable first: linked title, issuer, date, kind,
    reliability and the reason for the rating, in ``lang``."""
    from chengguan.tables import load_sources  # noqa: PLC0415

    labels = load_labels(lang)
    mark = punct(lang)
    order = {"high": 0, "medium": 1, "low": 2}
    used = load_sources()
    used = used[used.source_id.isin(obs.source_id.unique())]
    used = used.assign(_rank=used.reliability.map(order), shown_title=source_titles(used, lang),
                       shown_issuer=source_issuers(used, lang))
    used = used.sort_values(["_rank", "source_id"])
    items = []
    for row in used.itertuples():
        note = getattr(row, f"reliability_note_{lang}")
        note = "" if _missing(note) else note
        issued = "" if pd.isna(row.issued) else f"{row.issued:%Y-%m-%d}"
        doc = "" if _missing(row.doc_number) else f" {span(row.doc_number)}"
        # The title is a name (<cite>): it keeps the punctuation it was published with.
        items.append(
            f"<li><cite>{_link(row.shown_title, row.url)}</cite>{doc} — {span(row.shown_issuer)}"
            f"{mark['comma'] + esc(issued) if issued else ''}{mark['stop']}"
            f"{esc(labels[f'source_kind.{row.kind}'])}{mark['semicolon']}{esc(labels['column.reliability'])}"
            f"{mark['colon']}{esc(labels[f'reliability.{row.reliability}'])}{mark['stop']}"
            f'<span class="note" lang="{lang}">{esc(note)}</span></li>')
    return _HTML(f'<ul class="sources">{"".join(items)}</ul>')


def tables_read_list(lang: str) -> _HTML:
    """Links to the tables this kernel has loaded, relative to the report (``data/<t>.csv``)."""
    labels = load_labels(lang)
    links = " · ".join(f'<a href="data/{esc(t)}.csv"><code>{esc(t)}.csv</code></a>' for t in tables_read())
    return _HTML(f'<p class="tables-read">{esc(labels["heading.tables_read"])}{punct(lang)["colon"]}{links}</p>')


# -- key results ------------------------------------------------------------------------------

_RESULT_COLUMNS = ("name", "label", "value", "unit", "lower", "upper", "headline")

# "at least" / "at most" before a value that is one end of its own range.
_BOUND_WORDS = {"zh": {"at_least": "至少", "at_most": "至多"}, "en": {"at_least": "at least", "at_most": "at most"}}


def fmt_result(value: float | None, unit: str, lower: float | None, upper: float | None, lang: str,
               digits: int = 3) -> str:
    """A key result as a reader reads it: the value with its unit and the range it may take.

    A range never ends at the value itself (referee item 6): a value that is its range's lower
    end is said "at least 85.8" (zh 至少), its upper end "at most 85.8" (至多), with the other
    end after it when there is one; a range whose ends agree is the value alone. Ends that only
    round to the value get digits until they differ from it (up to 6), so that "1,078 (1,078–1,081)"
    becomes "1,078.3 (1,077.9–1,081.2)". Brackets are the language's (zh full-width).
    """
    words = _BOUND_WORDS.get(lang, _BOUND_WORDS["en"])
    mark = punct(lang)
    # a percent sign sits on its number, as in the prose ("16.6%"); a word unit is spaced ("120 起")
    unit_text = unit if unit in ("%", "‰") else f" {unit}" if unit else ""
    if value is None:
        return fmt_number(value) + unit_text
    low = None if lower is None or math.isinf(lower) else lower
    high = None if upper is None or math.isinf(upper) else upper
    for places in range(digits, 7):
        digits = places
        if not any(end is not None and end != value and fmt_number(end, places) == fmt_number(value, places)
                   for end in (low, high)):
            break

    def f(x: float, rounding: Rounding = "nearest") -> str:
        return _bound(x, digits, rounding)

    # what is said "at least" is rounded down, "at most" up: the printed bound stays true
    shown = f(value) + unit_text
    at_low = low is not None and f(low) == f(value)
    at_high = high is not None and f(high) == f(value)
    if at_low and at_high:
        return shown  # a range whose ends agree is one number
    if at_low:
        rest = "" if high is None else f"{mark['open']}{words['at_most']} {f(high, 'up')}{mark['close']}"
        floor = value if low is None else min(value, low)
        return f"{words['at_least']} {f(floor, 'down')}{unit_text}{rest}"
    if at_high:
        rest = "" if low is None else f"{mark['open']}{words['at_least']} {f(low, 'down')}{mark['close']}"
        ceiling = value if high is None else max(value, high)
        return f"{words['at_most']} {f(ceiling, 'up')}{unit_text}{rest}"
    if low is not None and high is not None:
        bound = fmt_range(low, high, digits, outward=True)
    elif low is not None:
        bound = f"≥ {f(low, 'down')}"
    elif high is not None:
        bound = f"≤ {f(high, 'up')}"
    else:
        return shown
    return f"{shown}{mark['open']}{bound}{mark['close']}"


def show_key_results(results: pd.DataFrame, lang: str) -> None:
    """Display the run's key results: a small table for readers and, beside it, the same rows as
    ``application/vnd.chengguan.results+json`` for the engine (``outputs/<run>.results.json``).

    ``results`` has columns name (an id), label (in ``lang``), value, unit (a label, may be
    empty), lower and upper (the range the value may take, NaN when not given) and headline (True
    on exactly one row: the finding the report site shows).
    """
    from IPython.display import display  # noqa: PLC0415

    missing = [c for c in _RESULT_COLUMNS if c not in results]
    if missing:
        raise ValueError(f"key results lack columns {missing}; need {list(_RESULT_COLUMNS)}")
    if int(results["headline"].sum()) != 1:
        raise ValueError("exactly one key result must have headline=True")
    if not results["name"].is_unique:
        raise ValueError("key result names must be unique")
    labels = load_labels(lang)
    payload, rows = [], []
    for row in results.itertuples(index=False):
        value = None if _missing(row.value) else float(row.value)
        lower = None if _missing(row.lower) else float(row.lower)
        upper = None if _missing(row.upper) else float(row.upper)
        shown = fmt_result(value, str(row.unit) if row.unit else "", lower, upper, lang)
        payload.append({"name": str(row.name), "label": str(row.label), "value": value,
                        "unit": str(row.unit), "lower": lower, "upper": upper,
                        "display": shown, "headline": bool(row.headline)})
        rows.append([esc(row.label), esc(shown)])
    body = _table([esc(labels["column.result"]), esc(labels["column.value"])], rows,
                  classes="key-results")
    box = (f'<section class="key-findings"><h2 class="key-findings-title">'
           f'{esc(labels["heading.key_results"])}</h2>{body}</section>')
    display({"text/html": box, "text/plain": "\n".join(f"{p['label']}: {p['display']}"
                                                       for p in payload),
             RESULTS_MIMETYPE: {"results": payload}}, raw=True)


# -- figures ----------------------------------------------------------------------------------


def show_figure(fig: Any, alt: str, *, dpi_scale: float = 2.0) -> None:
    """Display a matplotlib figure as a crisp PNG (``dpi_scale`` x its size) with alt text, and
    close it so that the inline backend does not show it a second time. Bar charts lose the
    gridlines of their category axis (:func:`chengguan.theme.bar_grids`)."""
    import matplotlib.pyplot as plt  # noqa: PLC0415
    from IPython.display import display  # noqa: PLC0415

    if not alt.strip():
        raise ValueError("a chart needs alt text that says what it shows")
    bar_grids(fig)
    buffer = io.BytesIO()
    dpi = fig.get_dpi()
    fig.savefig(buffer, format="png", dpi=dpi * dpi_scale, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    from PIL import Image  # noqa: PLC0415 - matplotlib depends on Pillow

    width = Image.open(io.BytesIO(buffer.getvalue())).size[0] / dpi_scale
    display({"text/html": f'<figure class="chart"><img src="data:image/png;base64,{data}" '
                          f'alt="{esc(alt)}" width="{int(width)}" style="max-width:100%;'
                          f'height:auto"></figure>',
             "text/plain": f"[chart: {alt}]"}, raw=True)
