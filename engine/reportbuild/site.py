"""The report site: ``index.html`` (zh), ``index.en.html`` (en) and ``build.html`` in ``outputs/``.

Reports are grouped: one *report* is a notebook with its parameters, in each language it is built
in (runs that differ only in ``lang``); reports with a ``district`` parameter form the district
section, the others the topics. Each card shows the report's title in both languages (district
names from ``data/scopes.csv``), its headline finding with its number (the ``headline: true`` row
of ``<run>.results.json``), links to each language, and a mark when it is degraded, failed or not
built. Build metadata sits on ``build.html``, out of the reader's way.

Every page is one self-contained file (CSS and the filter script inline; no network request);
Jinja2 autoescaping escapes every string that comes from the data or the manifest.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from chengguan.links import safe_href, unlink_unsafe  # the one gate for links from the data
from reportbuild.render import SITE_NAME, PageLinks
from reportbuild.results import headline

LANGS = ("zh", "en")
HOME = {"zh": "index.html", "en": "index.en.html"}
BUILD_PAGE = "build.html"
# The data explorer (reportbuild.explorer), among the downloads it describes; relative to outputs/.
EXPLORER = {"zh": "data/explorer.html", "en": "data/explorer.en.html"}
TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class SiteRun:
    """One run of the manifest as the site shows it."""

    name: str
    notebook: str
    parameters: Mapping[str, Any]
    title: str  # the manifest's title (used when the report has none of its own)
    description: str
    status: str  # "ok" | "failed" | "not built"
    has_report: bool  # an HTML report exists (for "failed": the last good one)
    degraded: bool = False  # a zh report built without a CJK font (English chart labels)
    report_title: str | None = None  # the report's own title, in its language
    headline: Mapping[str, Any] | None = None  # the key result marked headline
    built_at: str | None = None
    duration: float | None = None
    commit: str | None = None
    error: str | None = None

    @property
    def lang(self) -> str | None:
        lang = self.parameters.get("lang")
        return lang if lang in LANGS else None

    @property
    def shown_title(self) -> str:
        return self.report_title or self.title

    @property
    def marks(self) -> list[str]:
        """Why this run is not simply current: "degraded", "failed", "not built"."""
        marks = []
        if self.status in ("failed", "not built"):
            marks.append(self.status)
        if self.degraded and self.has_report:
            marks.append("degraded")
        return marks


@dataclass
class Report:
    """A notebook with its parameters, in the languages it is built in."""

    key: str
    notebook: str
    district: str | None
    runs: dict[str | None, SiteRun] = field(default_factory=dict)  # lang -> run

    def run_for(self, lang: str) -> SiteRun:
        """The run to show on the ``lang`` page: that language's, else any."""
        return self.runs.get(lang) or next(iter(self.runs.values()))

    def other(self, run: SiteRun) -> SiteRun | None:
        """The same report in the other language, when it is built."""
        for lang, candidate in self.runs.items():
            if lang is not None and candidate is not run:
                return candidate
        return None


@dataclass(frozen=True)
class Source:
    title: str
    issuer: str
    doc_number: str
    issued: str
    url: str
    issuer_zh: str = ""  # how a page in that language names the issuer, when issuer is not in it
    issuer_en: str = ""

    def issuer_in(self, lang: str) -> str:
        return (self.issuer_zh if lang == "zh" else self.issuer_en) or self.issuer

    @property
    def href(self) -> str | None:
        """``url`` when :func:`chengguan.links.safe_href` lets it be a link (http/https), else None:
        the title is then shown unlinked."""
        return safe_href(self.url)


@dataclass(frozen=True)
class SiteInfo:
    """What the home page says besides the reports."""

    scopes: Mapping[str, tuple[str, str]]  # scope_id -> (name_zh, name_en)
    primary_source: Source | None
    other_sources: int
    data_files: Sequence[tuple[str, int]] = ()  # path relative to outputs/, size in bytes
    explorer: bool = False  # the data explorer pages are written (EXPLORER)


def report_key(notebook: str, parameters: Mapping[str, Any]) -> str:
    """The key shared by the runs of one report: notebook plus parameters other than ``lang``."""
    rest = sorted((k, repr(v)) for k, v in parameters.items() if k != "lang")
    return notebook + "".join(f"|{k}={v}" for k, v in rest)


def group_reports(runs: Sequence[SiteRun]) -> list[Report]:
    """Runs grouped into reports, in manifest order of each report's first run."""
    reports: dict[str, Report] = {}
    for run in runs:
        key = report_key(run.notebook, run.parameters)
        district = run.parameters.get("district")
        report = reports.setdefault(key, Report(key, run.notebook, district if isinstance(district, str) else None))
        report.runs.setdefault(run.lang, run)
    return list(reports.values())


def counterparts(runs: Mapping[str, tuple[str, Mapping[str, Any]]]) -> dict[str, str]:
    """Run name -> the run of the same report in the other language, for the runs that have one.

    ``runs`` maps every run name of the manifest to its notebook and resolved parameters.
    """
    by_key: dict[str, dict[str, str]] = {}
    for name, (notebook, parameters) in runs.items():
        lang = parameters.get("lang")
        if lang in LANGS:
            by_key.setdefault(report_key(notebook, parameters), {}).setdefault(lang, name)
    found = {}
    for langs in by_key.values():
        if len(langs) == 2:
            found[langs["zh"]], found[langs["en"]] = langs["en"], langs["zh"]
    return found


def all_links(runs: Sequence[tuple[str, str, Mapping[str, Any]]], downloads: Path) -> dict[str, dict[str, str | None]]:
    """The top-bar links of every run's report, by run name. ``runs``: (name, notebook,
    parameters) of every run in the manifest; ``downloads``: the data folder the site links."""
    pairs = counterparts({name: (notebook, parameters) for name, notebook, parameters in runs})
    pages = {Path(page).name for page in EXPLORER.values()}  # the explorer alone is no downloads
    has_data = downloads.is_dir() and any(p.name not in pages for p in downloads.iterdir())
    return {name: page_links(name, parameters.get("lang"), pairs.get(name), has_data).to_dict()
            for name, _notebook, parameters in runs}


def page_links(run: str, lang: Any, counterpart: str | None, has_data: bool) -> PageLinks:
    """The top bar of a report: the home page in its language, the other language, the data."""
    home = HOME.get(lang, HOME["zh"]) if isinstance(lang, str) else HOME["zh"]
    return PageLinks(home=home, other_lang=f"{counterpart}.html" if counterpart else None,
                     data=f"{home}#data" if has_data else None)


# -- data the home page reads ---------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
    except (OSError, csv.Error, UnicodeDecodeError):
        return []  # the home page does without; `chengguan-data validate` reports the file


def read_site_info(data_dir: Path, outputs: Path, primary_source: str | None) -> SiteInfo:
    """Scope names and the primary source from ``data/``, and the exported files in ``outputs/data``."""
    scopes = {row["scope_id"]: (row.get("name_zh", ""), row.get("name_en", ""))
              for row in _read_csv(data_dir / "scopes.csv") if row.get("scope_id")}
    sources = _read_csv(data_dir / "sources.csv")
    primary = next((row for row in sources if row.get("source_id") == primary_source), None)
    source = None if primary is None else Source(
        primary.get("title", ""), primary.get("issuer", ""), primary.get("doc_number", ""),
        primary.get("issued", ""), primary.get("url", ""), primary.get("issuer_zh", ""),
        primary.get("issuer_en", ""))
    return SiteInfo(scopes=scopes, primary_source=source,
                    other_sources=max(len(sources) - (1 if primary else 0), 0),
                    data_files=data_files(outputs),
                    explorer=all((outputs / page).is_file() for page in EXPLORER.values()))


def site_run(*, name: str, notebook: str, parameters: Mapping[str, Any], title: str, description: str,
             status: str, has_report: bool, degraded: bool, built_at: str | None, duration: float | None,
             commit: str | None, error: str | None, results_file: Path) -> SiteRun:
    """A run as the site shows it, with its title and headline from ``results_file`` when readable."""
    document = None
    if has_report:
        try:
            document = json.loads(results_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            document = None
    row = headline(document if isinstance(document, dict) else None)
    title_of_report = document.get("title") if isinstance(document, dict) else None
    return SiteRun(
        name=name, notebook=notebook, parameters=dict(parameters), title=title, description=description,
        status=status, has_report=has_report, degraded=degraded,
        report_title=title_of_report if isinstance(title_of_report, str) and title_of_report else None,
        headline={"label": card_label(str(row.get("label", "")), parameters.get("lang")),
                  "display": str(row.get("display", ""))} if row else None,
        built_at=built_at, duration=duration, commit=commit, error=error)


def card_label(label: str, lang: Any) -> str:
    """A headline label as a card shows it: it opens the card's line, so an English one starts
    with a capital ("existing illegal structures …" -> "Existing illegal structures …"); the
    key-results table of the report keeps the label as written, mid-sentence style."""
    # Only a plain lower-case word: a unit ("m² per case", "km") or a name keeps its letters.
    if lang == "zh" or not _PLAIN_FIRST_WORD.match(label):
        return label
    return label[0].upper() + label[1:]


_PLAIN_FIRST_WORD = re.compile(r"[a-z][a-z'-]+(?=[\s,.:;()]|$)")


def data_files(outputs: Path) -> list[tuple[str, int]]:
    """The downloads in ``outputs/data`` (relative paths and sizes), sorted; the explorer pages
    written beside them are pages, not downloads."""
    folder = outputs / "data"
    if not folder.is_dir():
        return []
    found = []
    pages = set(EXPLORER.values())
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(outputs).as_posix()
        if path.is_file() and not path.name.startswith(".") and relative not in pages:
            found.append((relative, path.stat().st_size))
    return found


def grouped_downloads(files: Sequence[tuple[str, int]]) -> dict[str, list[tuple[str, int]]]:
    """The downloads by kind: the workbook, CSV, Parquet, the descriptor, the stored source files
    (``raw/``, whatever their format), anything else."""
    groups: dict[str, list[tuple[str, int]]] = {"xlsx": [], "csv": [], "parquet": [], "json": [], "raw": [],
                                                "other": []}
    for path, size in files:
        if "/raw/" in f"/{path}":
            groups["raw"].append((path, size))
            continue
        suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
        groups[suffix if suffix in groups else "other"].append((path, size))
    return groups


# -- rendering ------------------------------------------------------------------------------


@cache
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["size"] = human_size
    return env


@cache
def asset(name: str) -> str:
    """A CSS or JS file of ``templates/``, to be inlined."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} B"


TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "site": SITE_NAME["zh"],
        "home": "首页",
        "switch": "English",
        "data": "数据下载",
        "explorer": "数据浏览",
        "explorer_line": "数据浏览：逐一查看每个指标和每个数字（原句、出处、区间、引用它的报告，可按领域、范围、年份、来源筛选）",
        "intro": "本站汇集对上海市城市管理行政执法（城管执法）公开数字的研究笔记。每个数字都来自一份公开文件，"
                 "附有它所出自的原句、出处和统计期；"
                 "每份报告都是一本带参数的 Jupyter 笔记本，分析代码可见、可改、可重跑。",
        "source_h": "来源",
        "source_main": "主要来源",
        "source_more": "另有 {n} 份补充来源（历年总结、区级报告、第三方转载），"
                       "在各报告的“来源”一节列出并附可靠性评级。",
        "cite_h": "如何引用",
        "cite": "引用某份报告时，请写明报告标题、构建日期与原始文件，例如：",
        "cite_example": "《{title}》，上海城管执法数据报告，{date} 构建（提交 {commit}）。原始数据：{source}。",
        "filter": "筛选报告（标题、区名、结论）",
        "filter_label": "筛选",
        "no_match": "没有符合的报告。",
        "topics_h": "专题报告",
        "districts_h": "各区概况",
        "data_h": "数据下载",
        "data_intro": "报告所用的全部表格，每个数字附原句与出处：",
        "dl_excel": "Excel 工作簿（说明页与全部表格）",
        "dl_csv": "CSV（UTF-8，Excel 可直接打开）",
        "dl_parquet": "Parquet",
        "dl_descriptor": "数据包描述（Frictionless）",
        "dl_raw": "原始来源文件（逐字节保存；SHA-256 见来源表）",
        "read_zh": "中文",
        "read_en": "English",
        "mark.degraded": "降级：图表为英文标签",
        "mark.failed": "最近一次构建失败",
        "mark.not built": "尚未构建",
        "degraded_note": "本机缺少中文字体时生成，图表标签为英文。",
        "failed_note": "最近一次构建失败，显示的是上一次成功的版本。",
        "build_link": "构建信息",
        "built": "构建于",
        "colon": "：", "comma": "，", "open": "（", "close": "）", "stop": "。",
        "no_headline": "",
    },
    "en": {
        "site": SITE_NAME["en"],
        "home": "Home",
        "switch": "中文",
        "data": "Data",
        "explorer": "Data explorer",
        "explorer_line": "Data explorer: every indicator and every figure, with its quote, source, range and the reports "
                         "that use it, filtered by domain, scope, year and source",
        "intro": "Research notes on the figures Shanghai's city-management law-enforcement bureau (城管执法) "
                 "publishes. Every number comes from a public document, with the sentence it was read from, "
                 "its source and its period; every report is a parameterized Jupyter notebook whose analysis "
                 "code is visible, editable and can be run again.",
        "source_h": "Source",
        "source_main": "Primary source",
        "source_more": "{n} further sources (other years' summaries, district reports, third-party reprints) "
                       "are listed, with a reliability rating, in each report's Sources section.",
        "cite_h": "How to cite",
        "cite": "Cite a report by its title, its build date and the original document, for example:",
        "cite_example": "“{title}”, Shanghai city-management enforcement in numbers, built {date} (commit "
                        "{commit}). Original data: {source}.",
        "filter": "Filter reports (title, district, finding)",
        "filter_label": "Filter",
        "no_match": "No report matches.",
        "topics_h": "Topics",
        "districts_h": "Districts",
        "data_h": "Data downloads",
        "data_intro": "Every table the reports use, each figure with its quote and source:",
        "dl_excel": "Excel workbook (a README sheet and every table)",
        "dl_csv": "CSV (UTF-8, opens in Excel)",
        "dl_parquet": "Parquet",
        "dl_descriptor": "Data Package descriptor (Frictionless)",
        "dl_raw": "Source files as stored (byte for byte; SHA-256 in the sources table)",
        "read_zh": "中文",
        "read_en": "English",
        "mark.degraded": "degraded: English chart labels",
        "mark.failed": "last build failed",
        "mark.not built": "not built yet",
        "degraded_note": "Built on a machine without a Chinese font: chart labels are in English.",
        "failed_note": "The last build failed; this is the last good version.",
        "build_link": "Build details",
        "built": "built",
        "colon": ": ", "comma": ", ", "open": " (", "close": ")", "stop": ".",
        "no_headline": "",
    },
}


def _date(iso: str | None) -> str:
    return iso[:10] if iso else ""


def render_home(runs: Sequence[SiteRun], info: SiteInfo, lang: str) -> str:
    """The home page in ``lang``."""
    reports = group_reports(runs)
    topics = [r for r in reports if r.district is None]
    order = {scope: i for i, scope in enumerate(info.scopes)}
    districts = sorted((r for r in reports if r.district is not None),
                       key=lambda r: (order.get(r.district or "", len(order)), r.district or ""))
    dates = [run.built_at for run in runs if run.built_at]
    latest = max(dates) if dates else None
    example = next((r.run_for(lang) for r in topics if r.run_for(lang).has_report), None)
    text = TEXT[lang]
    source = info.primary_source
    source_text = "" if source is None else (
        f"{source.issuer_in(lang)}《{source.title}》（{source.doc_number}），{source.issued}" if lang == "zh" else
        f"{source.issuer_in(lang)}, {source.title} ({source.doc_number}), {source.issued}")
    cite = text["cite_example"].format(
        title=example.shown_title if example else "…", date=_date(example.built_at if example else None) or "…",
        commit=((example.commit if example else None) or "…")[:10], source=source_text)
    # unlink_unsafe: the last gate after the template's own (safe_href on the primary source).
    return unlink_unsafe(_environment().get_template("home.html.j2").render(
        lang=lang, other="en" if lang == "zh" else "zh", t=text, home=HOME, build_page=BUILD_PAGE,
        topics=topics, districts=districts, scopes=info.scopes, info=info, cite=cite, explorer=EXPLORER,
        downloads=grouped_downloads(info.data_files),
        latest=_date(latest), css=asset("base.css") + asset("home.css"), js=asset("filter.js")))


def render_build_page(runs: Sequence[SiteRun], info: SiteInfo) -> str:
    """Build metadata of every run: status, time, duration, parameters, commit, last error."""
    return unlink_unsafe(_environment().get_template("build.html.j2").render(
        runs=runs, info=info, home=HOME, site=SITE_NAME, css=asset("base.css") + asset("home.css")))


def write_site(runs: Sequence[SiteRun], info: SiteInfo, outputs: Path, write: Any) -> list[Path]:
    """Write the home pages and the build page when their text changed; the paths written."""
    pages = {outputs / HOME["zh"]: render_home(runs, info, "zh"),
             outputs / HOME["en"]: render_home(runs, info, "en"),
             outputs / BUILD_PAGE: render_build_page(runs, info)}
    return [path for path, text in pages.items() if write_if_changed(path, text, write)]


def write_if_changed(path: Path, text: str, write: Any) -> bool:
    """Write ``text`` to ``path`` with ``write`` unless the file already holds it (an unchanged
    page keeps its time stamp); True when it was written."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    write(path, text)
    return True

