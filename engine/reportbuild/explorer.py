"""The data explorer: every figure of ``data/`` on one offline page per language.

``outputs/data/explorer.html`` (zh) and ``outputs/data/explorer.en.html`` (en) sit beside the
downloads they describe. Each indicator is a section (anchor ``#ind-<indicator_id>``) with its
metadata (domain, unit, definition, notes) and a table of its observations, one row each
(anchor ``#obs-<observation_id>``): scope, period, status, value, the figure as printed and the
range it stands for (``chengguan.stats.printed_bounds``), the verbatim quote, the source (linked
only when ``chengguan.links.safe_href`` accepts its address) with its reliability, and the reports
that use it. A series (indicator, scope and status) with more than one observation gets a small
chart drawn here as inline SVG: a zero-based value axis, a time axis on which each figure is a
span over its period, with the printed range as a whisker.

"The reports that use it" is read from the reports as last built: a report uses an observation
when its evidence table (``chengguan.display.figures``) lists the observation's id. The pages say
so. Filters (domain, scope, year, source) are a small inline script; with scripts off every row
is shown and the filter form stays hidden. Every string from the data is escaped (Jinja2
autoescaping; the SVG is built with :func:`html.escape`).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from reportbuild.render import SITE_NAME
from reportbuild.site import (
    EXPLORER,
    HOME,
    LANGS,
    SiteRun,
    _environment,
    asset,
    group_reports,
    write_if_changed,
)

PAGES = {lang: Path(path).name for lang, path in EXPLORER.items()}  # names inside outputs/data/
# The tables the page is drawn from: without any of them (a project of other data) there is no page.
TABLES = ("observations", "indicators", "sources", "scopes", "domains", "labels")
# The tables the page offers as downloads, when the export has written them beside it.
DOWNLOADS = ("observations.csv", "indicators.csv", "sources.csv", "scopes.csv", "domains.csv")
WORKBOOK = "chengguan_tables.xlsx"
# How the evidence table of a report names each observation it shows (chengguan.display.figures).
_OBS_ID = re.compile(r'<code class="obs-id">([^<]+)</code>')
# In a note: a run of Chinese in an English note ("read as 立案查处 …": CJK characters and
# punctuation, with the digits, dots and spaces between them), or a name from the tables
# ("compare epidemic_site_code_checks (2022)": an indicator, observation or source id).
_HAN = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef…]"
_NOTE_TOKEN = re.compile(
    r"(?P<quote>“[^“”]+”)"  # words quoted from a source: a quotation, whatever its punctuation
    r"|(?P<file>\b[\w-]+(?:/[\w.-]+)*\.(?:md|csv|json|xlsx|parquet|txt|py|ipynb)\b)"
    r"|(?P<id>\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b)"
    rf"|(?P<han>{_HAN}+(?:[\s\d.…]*{_HAN}+)*)")


def marked_terms(text: str, lang: str, anchors: Mapping[str, str] | None = None) -> Markup:
    """``text`` escaped, with the ids of the tables it names as code, linked to their place on the
    page (``anchors``: id -> anchor), and, when the page is English, its runs of Chinese marked
    ``lang="zh"``: the Chinese words an English note quotes are quotations, not the page's prose;
    words in “…” are a quotation (``<q>``), file names code."""
    out, at = [], 0
    for token in _NOTE_TOKEN.finditer(text):
        if token.group("han") and lang == "zh":
            continue
        out.append(escape(text[at:token.start()]))
        if token.group("quote"):
            quoted = token.group()[1:-1]
            out.append(Markup('<q lang="{}">{}</q>').format("zh" if re.search(_HAN, quoted) else "en", quoted))
        elif token.group("han"):
            out.append(Markup('<span lang="zh">{}</span>').format(token.group()))
        elif anchors and token.group() in anchors:
            out.append(Markup('<a href="#{}"><code>{}</code></a>').format(anchors[token.group()], token.group()))
        else:
            out.append(Markup("<code>{}</code>").format(token.group()))
        at = token.end()
    out.append(escape(text[at:]))
    return Markup("").join(out)


def page_path(lang: str) -> str:
    """The explorer page of ``lang`` relative to ``outputs/``: ``data/explorer.html``."""
    return EXPLORER[lang]


def can_draw(data_dir: Path) -> bool:
    """Whether ``data_dir`` holds every table the explorer reads."""
    return all((data_dir / f"{name}.csv").is_file() for name in TABLES)


def is_explorer_page(relative: str) -> bool:
    """Whether ``relative`` (a path under ``outputs/``) is one of the explorer pages, not a download."""
    return relative in {page_path(lang) for lang in LANGS}


# -- which reports use which observation ------------------------------------------------------


@dataclass(frozen=True)
class ReportRef:
    """A report as the explorer links it: the run to open, its title and language."""

    run: str
    title: str  # a short name in the page's language (the manifest's title, or the district's name)
    lang: str | None
    full_title: str = ""  # the report's own title, shown on hover


def observations_in(page: str) -> set[str]:
    """The observation ids a report page's evidence tables list."""
    return {html.unescape(found) for found in _OBS_ID.findall(page)}


_LANG_SUFFIX = re.compile(r"\s*\((?:zh|en)\)\s*$")


def short_title(run: SiteRun, lang: str, scopes: Mapping[str, tuple[str, str]]) -> str:
    """A report named briefly in ``lang``: a district profile by its district ("闵行区 · 区级概况",
    "Minhang: district profile"), any other by its side of the manifest's "中文 · English (lang)"
    title; the report's own title where the manifest's has no two sides."""
    district = run.parameters.get("district")
    if isinstance(district, str):
        names = scopes.get(district, (district, district))
        return f"{names[0]} · 区级概况" if lang == "zh" else f"{names[1]}: district profile"
    sides = [_LANG_SUFFIX.sub("", side).strip() for side in run.title.split(" · ", 1)]
    if len(sides) == 2 and all(sides):
        return sides[0] if lang == "zh" else sides[1]
    return run.shown_title


def report_uses(runs: Sequence[SiteRun], outputs: Path,
                scopes: Mapping[str, tuple[str, str]] | None = None) -> dict[str, dict[str, list[ReportRef]]]:
    """``{lang: {observation_id: [reports]}}``: for each page language, the reports whose evidence
    table (as last built, in any language) lists the observation, each linked in that language
    when it is built in it, else in the other."""
    used: dict[str, dict[str, list[ReportRef]]] = {lang: {} for lang in LANGS}
    for report in group_reports(runs):
        ids: set[str] = set()
        for run in report.runs.values():
            if run.has_report:
                try:
                    ids |= observations_in((outputs / f"{run.name}.html").read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    continue  # a page being replaced: the next build reads it
        if not ids:
            continue
        for lang in LANGS:
            run = report.run_for(lang)
            if not run.has_report:
                run = next((r for r in report.runs.values() if r.has_report), run)
            ref = ReportRef(run.name, short_title(run, lang, scopes or {}), run.lang, run.shown_title)
            for obs_id in ids:
                used[lang].setdefault(obs_id, []).append(ref)
    return used


# -- the words of the page ----------------------------------------------------------------------

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "数据浏览：全部数字",
        "site": SITE_NAME["zh"],
        "switch": "English",
        "data": "数据下载",
        "intro": "本页列出数据表中的每一个指标和每一个数字：数值、原文写法及其所代表的区间、原句、出处（附可靠性评级）"
                 "以及引用它的报告。本页不需联网，也不需运行任何代码。",
        "counts": "共 {indicators} 个指标、{observations} 个数字，出自 {sources} 份来源。",
        "rule_reports": "“引用它的报告”：某份报告的证据表（最近一次构建）列出了这个数字，即视为引用。",
        "rule_range": "“区间”：原文写法所代表的真实数值范围，例如“13.1 万余次”为 131,000 至 132,000，"
                      "“以上”没有上限（记为 ≥）。",
        "rule_chart": "同一指标、同一范围、同一状态有两个及以上数字时附小图：纵轴从零开始，横线表示统计期，竖线表示区间。",
        "downloads": "下载",
        "dl_workbook": "Excel 工作簿",
        "filters": "筛选",
        "filters_note": "四个条件同时生效；选“全部”即不按该项筛选。",
        "domain": "领域",
        "scope": "范围",
        "year": "年份",
        "source": "来源",
        "all": "全部",
        "domain_help": "只显示所选领域的指标",
        "scope_help": "只显示所选区或全市的数字",
        "year_help": "只显示统计期与所选年份重叠的数字",
        "source_help": "只显示出自所选来源的数字",
        "reset": "清除筛选",
        "shown": "显示 {obs} 个数字（{ind} 个指标）",
        "none": "没有符合条件的数字。",
        "contents": "领域",
        "indicator_id": "指标编号",
        "unit": "单位",
        "definition": "定义（英文原文）",
        "other_name": "英文名称",
        "note": "说明",
        "parent": "上级指标",
        "observations": "{n} 个数字",
        "status": "状态",
        "range": "区间",
        "reports": "引用它的报告",
        "no_reports": "无",
        "chart": "{scope}，{status}：{n} 个数字的时间分布（单位：{unit}）",
        "chart_alt": "{indicator}（{scope}，{status}）：{points}",
        "colon": "：", "comma": "，", "semicolon": "；", "stop": "。",
    },
    "en": {
        "title": "Data explorer: every figure",
        "site": SITE_NAME["en"],
        "switch": "中文",
        "data": "Data",
        "intro": "Every indicator and every figure of the data tables: the value, the figure as printed and the "
                 "range it stands for, the verbatim quote, the source with its reliability, and the reports that "
                 "use it. This page needs no network and runs no code.",
        "counts": "{indicators} indicators, {observations} figures, from {sources} sources.",
        "rule_reports": "“Reports that use it”: a report is listed when its evidence table (as last built) shows "
                        "the figure.",
        "rule_range": "“Range”: the true values a printed figure stands for; “13.1 万余次” (more than 131,000) is "
                      "131,000 to 132,000, and “以上” (at least) has no upper bound (shown as ≥).",
        "rule_chart": "A series (one indicator, scope and status) with two or more figures has a small chart: the "
                      "value axis starts at zero, a horizontal line is the period, a vertical line the range.",
        "downloads": "Download",
        "dl_workbook": "Excel workbook",
        "filters": "Filter",
        "filters_note": "All four apply together; “All” does not filter on that item.",
        "domain": "Domain",
        "scope": "Scope",
        "year": "Year",
        "source": "Source",
        "all": "All",
        "domain_help": "Show only the indicators of this domain",
        "scope_help": "Show only the figures for this district or the city",
        "year_help": "Show only the figures whose period overlaps this year",
        "source_help": "Show only the figures read from this source",
        "reset": "Clear filters",
        "shown": "{obs} figures shown ({ind} indicators)",
        "none": "No figure matches.",
        "contents": "Domains",
        "indicator_id": "Indicator id",
        "unit": "Unit",
        "definition": "Definition",
        "other_name": "Chinese name",
        "note": "Note",
        "parent": "Part of",
        "observations": "{n} figures",
        "status": "status",
        "range": "range",
        "reports": "Reports that use it",
        "no_reports": "none",
        "chart": "{scope}, {status}: {n} figures over time (unit: {unit})",
        "chart_alt": "{indicator} ({scope}, {status}): {points}",
        "colon": ": ", "comma": ", ", "semicolon": "; ", "stop": ".",
    },
}


# -- the page's model ---------------------------------------------------------------------------


@dataclass
class Row:
    """One observation as a row of the page (every text already in the page's language)."""

    obs_id: str
    scope_id: str
    scope: str
    period: str
    status: str
    status_label: str
    value: str
    printed: str
    range: str
    quote: str
    quote_lang: str
    section: str
    source_id: str
    source: str
    source_lang: str
    source_href: str | None
    reliability: str
    reliability_label: str
    note: str
    years: list[int]
    reports: list[ReportRef]


@dataclass(frozen=True)
class Chart:
    scope_id: str
    svg: str  # inline SVG in its <figure>, every text already escaped


@dataclass
class Indicator:
    indicator_id: str
    name: str
    other_name: str
    domain_id: str
    unit: str
    definition: str
    note: str
    parent: tuple[str, str] | None  # (indicator_id, name)
    rows: list[Row] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Domain:
    domain_id: str
    name: str
    indicators: list[Indicator] = field(default_factory=list)


def _text(value: Any) -> str:
    """A cell as text; missing values (NA, NaN, None) are ""."""
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _years(start: date, end: date) -> list[int]:
    return list(range(start.year, end.year + 1))


def range_text(low: float, high: float, fmt_range: Callable[[float, float, int], str]) -> str:
    """The range as ``fmt_range`` writes it, with as many digits as its ends need to be written
    exactly ("62,897.805–62,897.815" for the figure printed 62897.81, never "62,897.8–62,897.8");
    one number when the ends are equal."""
    def exact(text: str, value: float) -> bool:
        try:
            return math.isclose(float(text.strip("≥ ").replace(",", "")), value, rel_tol=1e-12, abs_tol=1e-12)
        except ValueError:
            return False

    text = fmt_range(low, high, 6)
    for digits in range(6, 16):
        text = fmt_range(low, high, digits)
        ends = text.split("–")
        if exact(ends[0], low) and (len(ends) == 1 or exact(ends[1], high)):
            return text
    return text


def build_model(data_dir: Path, lang: str, uses: Mapping[str, Sequence[ReportRef]]) -> dict[str, Any]:
    """What the page of ``lang`` shows: domains with their indicators and rows, filter choices, counts."""
    from chengguan.display import fmt_period, fmt_range, fmt_value, text_lang
    from chengguan.links import safe_href
    from chengguan.stats import bounds
    from chengguan.tables import (
        load_domains,
        load_indicators,
        load_labels,
        load_observations,
        load_scopes,
        load_sources,
        source_titles,
    )
    from chengguan.units import unit_label

    labels = load_labels(lang, data_dir)
    obs = load_observations(lang=lang, data_dir=data_dir)
    ranges = bounds(obs)
    sources = load_sources(data_dir)
    titles = dict(zip(sources.source_id, source_titles(sources, lang), strict=True))
    folder = Path(page_path(lang)).parent.as_posix()  # the page's folder in outputs/, for relative links
    hrefs = {row.source_id: safe_href(_text(row.url), folder) for row in sources.itertuples()}
    catalog = load_indicators(data_dir)
    names = dict(zip(catalog.indicator_id, catalog[f"name_{lang}"], strict=True))
    other = "en" if lang == "zh" else "zh"

    indicators: dict[str, Indicator] = {}
    for item in catalog.itertuples():
        parent = _text(item.parent_id)
        indicators[item.indicator_id] = Indicator(
            indicator_id=item.indicator_id, name=_text(getattr(item, f"name_{lang}")),
            other_name=_text(getattr(item, f"name_{other}")), domain_id=item.domain_id,
            unit=unit_label(item.unit, lang, count=2),  # "cases", not "case(s)"
            definition=_text(item.description), note=_text(getattr(item, f"note_{lang}")),
            parent=(parent, _text(names.get(parent, parent))) if parent else None)
    points: dict[tuple[str, str, str], list[tuple[Any, ...]]] = {}
    scope_names: dict[str, str] = {}
    for index, row in obs.sort_values(["period_start", "period_end", "scope_id", "observation_id"]).iterrows():
        low, high = float(ranges.loc[index, "low"]), float(ranges.loc[index, "high"])
        start, end = row.period_start.date(), row.period_end.date()
        indicators[row.indicator_id].rows.append(Row(
            obs_id=row.observation_id, scope_id=row.scope_id, scope=_text(row.scope_name),
            period=fmt_period(row.period_start, row.period_end, lang, open_end=bool(row.end_open)),
            status=row.status, status_label=labels[f"status.{row.status}"],
            value=fmt_value(row.value, row.unit, row.qualifier, lang),
            printed=_text(row.number_text), range=range_text(low, high, fmt_range),
            quote=_text(row.quote), quote_lang=text_lang(row.quote), section=_text(row.section),
            source_id=row.source_id, source=_text(titles.get(row.source_id, row.source_id)),
            source_lang=text_lang(titles.get(row.source_id, row.source_id)),
            source_href=hrefs.get(row.source_id), reliability=row.reliability,
            reliability_label=labels[f"reliability.{row.reliability}"], note=_text(row.note),
            years=_years(start, end), reports=list(uses.get(row.observation_id, []))))
        scope_names[row.scope_id] = _text(row.scope_name)
        points.setdefault((row.indicator_id, row.scope_id, row.status), []).append(
            (start, end, float(row.value), low, high, row.observation_id,
             f"{_text(row.scope_name)} {fmt_period(row.period_start, row.period_end, lang)}"
             f"{TEXT[lang]['colon']}{_text(row.number_text)}"))
    for (indicator_id, scope_id, status), series in points.items():
        if len(series) > 1:
            item = indicators[indicator_id]
            scope_name = scope_names[scope_id]
            words = TEXT[lang]
            caption = words["chart"].format(scope=scope_name, status=labels[f"status.{status}"], n=len(series),
                                            unit=item.unit)
            alt = words["chart_alt"].format(indicator=item.name, scope=scope_name, status=labels[f"status.{status}"],
                                            points=words["semicolon"].join(p[6] for p in series))
            item.charts.append(Chart(scope_id, chart_svg(series, caption, alt, item.unit)))

    domains = [Domain(d.domain_id, _text(getattr(d, f"name_{lang}"))) for d in load_domains(data_dir).itertuples()]
    by_id = {d.domain_id: d for d in domains}
    for item in indicators.values():
        if item.rows and item.domain_id in by_id:
            by_id[item.domain_id].indicators.append(item)
    domains = [d for d in domains if d.indicators]
    scopes = load_scopes(data_dir)
    used_scopes = set(obs.scope_id)
    years = sorted({y for item in indicators.values() for r in item.rows for y in r.years})
    used_sources = set(obs.source_id)
    return {
        "domains": domains,
        "scopes": [(s.scope_id, _text(getattr(s, f"name_{lang}"))) for s in scopes.itertuples()
                   if s.scope_id in used_scopes],
        "years": years,
        "sources": [(s.source_id, titles[s.source_id]) for s in sources.itertuples() if s.source_id in used_sources],
        "labels": labels,
        "shown_ids": {i.indicator_id for d in domains for i in d.indicators},
        "counts": {"indicators": sum(len(d.indicators) for d in domains), "observations": len(obs),
                   "sources": len(used_sources)},
    }


# -- charts -------------------------------------------------------------------------------------

_W, _H = 360, 150
_LEFT, _RIGHT, _TOP, _BOTTOM = 52, 12, 10, 24


def _nice_step(span: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about three ticks over ``span``."""
    raw = span / 3
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _tick(value: float) -> str:
    if value >= 10_000 and value % 1000 == 0:
        return f"{value:,.0f}"
    return f"{value:,.10g}" if value < 1000 else f"{value:,.0f}"


def chart_svg(points: Sequence[tuple[Any, ...]], caption: str, alt: str, unit: str) -> str:
    """A small inline SVG of one series: ``points`` are (start, end, value, low, high, obs_id, label).

    Zero-based value axis; each figure a horizontal span over its period at its value, with a
    dot at the span's middle and its printed range as a vertical whisker (a dashed line to the
    top of the plot when the range has no upper bound). Every text is escaped here.
    """
    e = html.escape
    first = min(p[0] for p in points)
    last = max(p[1] for p in points) + timedelta(days=1)
    # Pad the time axis to whole years, so a one-day figure is not drawn on the plot's edge.
    t0, t1 = date(first.year, 1, 1), date(last.year + (0 if last == date(last.year, 1, 1) else 1), 1, 1)
    days = max((t1 - t0).days, 1)
    tops = [p[4] if math.isfinite(p[4]) else p[2] for p in points] + [p[2] for p in points]
    step = _nice_step(max(tops) or 1.0)
    ymax = step * math.ceil(max(tops) / step * 1.0001) if max(tops) > 0 else step
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def x(day: date) -> float:
        return _LEFT + plot_w * (day - t0).days / days

    def y(value: float) -> float:
        return _TOP + plot_h * (1 - min(max(value, 0.0), ymax) / ymax)

    parts = [f'<svg class="chart" viewBox="0 0 {_W} {_H}" role="img" aria-label="{e(alt)}" '
             f'xmlns="http://www.w3.org/2000/svg">']
    ticks = [step * i for i in range(int(round(ymax / step)) + 1)]
    for value in ticks:
        parts.append(f'<line class="grid" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>')
        parts.append(f'<text class="ytick" x="{_LEFT - 4}" y="{y(value) + 3.5:.1f}">{e(_tick(value))}</text>')
    years = list(range(t0.year, t1.year + 1))
    every = max(1, math.ceil(len(years) / 7))
    for year in years:
        at = x(date(year, 1, 1))
        parts.append(f'<line class="year" x1="{at:.1f}" x2="{at:.1f}" y1="{_TOP}" y2="{_H - _BOTTOM + 3}"/>')
        if year < t1.year and (year - t0.year) % every == 0:
            middle = x(date(year, 7, 2)) if year + 1 <= t1.year else at
            parts.append(f'<text class="xtick" x="{middle:.1f}" y="{_H - 8}">{year}</text>')
    for start, end, value, low, high, obs_id, label in points:
        x0, x1 = x(start), x(end + timedelta(days=1))
        middle = (x0 + x1) / 2
        parts.append(f'<g class="point" data-obs="{e(obs_id)}"><title>{e(label)}</title>')
        if x1 - x0 >= 2:
            parts.append(f'<line class="span" x1="{x0:.1f}" x2="{x1:.1f}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>')
        if math.isinf(high):
            parts.append(f'<line class="open" x1="{middle:.1f}" x2="{middle:.1f}" y1="{y(low):.1f}" y2="{_TOP}"/>')
        elif high > low:
            parts.append(f'<line class="range" x1="{middle:.1f}" x2="{middle:.1f}" y1="{y(low):.1f}" '
                         f'y2="{y(high):.1f}"/>')
        parts.append(f'<circle cx="{middle:.1f}" cy="{y(value):.1f}" r="3.2"/></g>')
    parts.append(f'<line class="axis" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}"/></svg>')
    return f'<figure class="chart">{"".join(parts)}<figcaption>{e(caption)}</figcaption></figure>'


# -- the pages ----------------------------------------------------------------------------------


def render_explorer(data_dir: Path, lang: str, uses: Mapping[str, Sequence[ReportRef]],
                    downloads: Sequence[str] = ()) -> str:
    """The explorer page of ``lang``. ``uses``: observation id -> reports (see :func:`report_uses`);
    ``downloads``: the files of ``outputs/data`` the page may link (names in that folder)."""
    model = build_model(data_dir, lang, uses)
    other = "en" if lang == "zh" else "zh"
    present = set(downloads)
    anchors = {i.indicator_id: f"ind-{i.indicator_id}" for d in model["domains"] for i in d.indicators}
    anchors.update({r.obs_id: f"obs-{r.obs_id}" for d in model["domains"] for i in d.indicators for r in i.rows})

    def terms(text: str, in_lang: str = lang) -> Markup:
        return marked_terms(text, in_lang, anchors)

    return _environment().get_template("explorer.html.j2").render(
        lang=lang, other=other, t=TEXT[lang], pages=PAGES, home=HOME, terms=terms, **model,
        downloads=[name for name in DOWNLOADS if name in present],
        workbook=WORKBOOK if WORKBOOK in present else None,
        css=asset("base.css") + asset("explorer.css"), js=asset("explorer.js"))


def write_explorer(runs: Sequence[SiteRun], data_dir: Path, outputs: Path,
                   write: Callable[[Path, str], Any]) -> list[Path]:
    """Write both explorer pages into ``outputs/data/`` where their text changed; the paths written."""
    from reportbuild.site import read_site_info

    uses = report_uses(runs, outputs, read_site_info(data_dir, outputs, None).scopes)
    folder = (outputs / page_path("zh")).parent
    folder.mkdir(parents=True, exist_ok=True)
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    written = []
    for lang in LANGS:
        path = outputs / page_path(lang)
        if write_if_changed(path, render_explorer(data_dir, lang, uses[lang], names), write):
            written.append(path)
    return written
