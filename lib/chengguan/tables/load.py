"""Typed pandas DataFrames of the tables, for notebooks (docs/architecture.md, "Loading API").

Each CSV is read once per process with every column as text (no type inference) and converted
by the types declared in ``schema.py``; the result is cached until a file's mtime or size
changes. Loading checks only what it needs to load (encoding, CSV quoting, columns, cell types),
and a refusal names file, line and column (:class:`TableReadError`); it does not import the
quantity parser: ``chengguan-data validate`` is the place where rows are checked against the
rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from chengguan import paths
from chengguan.tables import schema
from chengguan.tables.io import TableReadError, read_csv, shown_path
from chengguan.tables.schema import TableSchema

LANGS = ("zh", "en")
OBSERVATION_COLUMNS = (
    "observation_id", "indicator_id", "indicator", "indicator_zh", "indicator_en", "series_id",
    "series", "domain_id",
    "domain_name", "parent_id", "unit", "value", "qualifier", "status", "scope_id", "scope_name",
    "scope_kind", "period_start", "period_end", "days", "end_open", "source_id", "source_title",
    "source_kind", "reliability", "number_text", "quote", "section", "note", "indicator_note",
    "series_note",
)

Ids = str | Iterable[str] | None
Period = int | tuple[Any, Any] | None


@dataclass(frozen=True)
class Observation:
    """One observation, with its exact value, provenance and period."""

    observation_id: str
    indicator_id: str
    indicator_zh: str
    indicator_en: str
    unit: str
    value: Decimal
    qualifier: str
    status: str
    scope_id: str
    period_start: date
    period_end: date
    source_id: str
    source_title: str
    reliability: str
    number_text: str
    quote: str
    section: str
    note_zh: str = ""
    note_en: str = ""

    @property
    def value_float(self) -> float:
        return float(self.value)

    def __float__(self) -> float:
        return float(self.value)

    @property
    def period(self) -> tuple[date, date]:
        return self.period_start, self.period_end

    @property
    def days(self) -> int:
        """Length of the period in days, both ends included."""
        return (self.period_end - self.period_start).days + 1

    def note(self, lang: str) -> str:
        """The observation's note (definitions, caveats) in ``lang``; "" when it has none."""
        _check_lang(lang)
        return self.note_zh if lang == "zh" else self.note_en


# -- reading and caching ---------------------------------------------------------------------


@dataclass
class _Snapshot:
    """The tables of one data directory as they were when its files had ``stamp``."""

    stamp: tuple[tuple[int, int], ...]
    text: dict[str, pd.DataFrame]  # every cell as read, "" for empty
    typed: dict[str, pd.DataFrame] = field(default_factory=dict)
    joined: pd.DataFrame | None = None


class _LazyTables(dict[str, pd.DataFrame]):
    """Tables read on first use: a notebook opens only the files it needs, so the build engine,
    which records the files a notebook reads, re-runs it only when one of those changes."""

    def __init__(self, files: dict[str, tuple[schema.TableSchema, Path]]) -> None:
        super().__init__()
        self._files = files

    def __missing__(self, name: str) -> pd.DataFrame:
        table, path = self._files[name]
        frame = self[name] = _read(table, path)
        return frame


_snapshots: dict[Path, _Snapshot] = {}


def _snapshot(data_dir: Path | str | None) -> _Snapshot:
    """The cached tables of ``data_dir``, read again when any file's mtime or size changed."""
    base = (Path(data_dir) if data_dir is not None else paths.data_dir()).resolve()
    files = [base / t.filename for t in schema.TABLES]
    stamp = tuple((s.st_mtime_ns, s.st_size) for s in (f.stat() for f in files))
    snapshot = _snapshots.get(base)
    if snapshot is None or snapshot.stamp != stamp:
        snapshot = _Snapshot(stamp, _LazyTables({t.name: (t, f) for t, f in zip(schema.TABLES, files)}))
        _snapshots[base] = snapshot
    return snapshot


def _read(table: TableSchema, path: Path) -> pd.DataFrame:
    """Every cell of the table as text ("" when empty), refusing what cannot be loaded.

    The file is read by the validator's reader (same encoding rule, same line numbers), so a
    refusal names the file, the line and the column: another encoding, a quote left open, a
    missing column, a cell that is not of its declared type.
    """
    shown = shown_path(path)
    csv_file = read_csv(path, shown)
    missing = [c for c in table.columns if c not in csv_file.header]
    if missing:
        raise TableReadError(shown, 1, f"column {', '.join(missing)} is missing from the "
                             f"header; {_VALIDATE}")
    multiline = [f.name for f in table.fields if f.multiline]
    for row in csv_file:
        for column, line in row.line_breaks(multiline):
            raise TableReadError(shown, line, f"column {column}: a quoted field opens on this "
                                 f"line and runs on to line {row.end_line}; close the quote")
        for declared in table.fields:
            value = row[declared.name]
            problem = schema.type_problem(declared, value) if value else None
            if problem:
                raise TableReadError(shown, row.line, f"column {declared.name}: {value!r} "
                                     f"{problem}; {_VALIDATE}")
    columns = {c: [row[c] for row in csv_file] for c in table.columns}
    return pd.DataFrame(columns, columns=list(table.columns), dtype=str)


_VALIDATE = "run `chengguan-data validate` for every problem"


def _typed(table: TableSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """Apply the declared types (cells already checked by _read); optional empty text -> NA."""
    out = frame.copy()
    for declared in table.fields:
        column = out[declared.name]
        if declared.type == "date":
            out[declared.name] = pd.to_datetime(column.replace("", None), format="%Y-%m-%d")
        elif declared.type == "number":
            out[declared.name] = pd.to_numeric(column.replace("", None)).astype("float64")
        elif declared.type == "integer":
            out[declared.name] = pd.to_numeric(column.replace("", None)).astype("Int64")
        elif declared.type == "boolean":
            out[declared.name] = column.isin(schema.TRUE_VALUES)
        elif not declared.required:
            out[declared.name] = column.replace("", None)
    return out


_read_tables: dict[str, None] = {}  # insertion-ordered set of the tables this process loaded


def tables_read() -> list[str]:
    """The names of the tables this process has loaded so far, in the order first loaded.

    A report lists them (with links) so a reader can open exactly the files behind it.
    """
    return list(_read_tables)


def _load(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """A typed copy of table ``name``: callers may change it without touching the cache."""
    _read_tables.setdefault(name)
    snapshot = _snapshot(data_dir)
    if name not in snapshot.typed:
        snapshot.typed[name] = _typed(schema.table(name), snapshot.text[name])
    return snapshot.typed[name].copy()


def load_indicators(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The indicator catalog."""
    return _load("indicators", data_dir)


def load_series(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The series: what each indicator measures, with one unit and definition per measure.

    Several indicators share a series when they report the same measure from different sources,
    periods or unit spellings (a press figure without a counting word beside the summary's);
    ``load_observations(series=...)`` selects all their rows at once.
    """
    return _load("series", data_dir)


def load_sources(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The sources with their provenance and reliability."""
    return _load("sources", data_dir)


def source_titles(sources: pd.DataFrame, lang: str) -> pd.Series:
    """How a report in ``lang`` names each source of ``sources`` (columns title, title_zh,
    title_en): ``title_<lang>`` where the curators gave one (``title`` is then their description
    or in another language), else the verbatim ``title``."""
    return _in_language(sources, "title", lang)


def source_issuers(sources: pd.DataFrame, lang: str) -> pd.Series:
    """How a report in ``lang`` names the issuer of each source (columns issuer, issuer_zh,
    issuer_en): ``issuer_<lang>`` where the curators gave one, else ``issuer`` as published."""
    return _in_language(sources, "issuer", lang)


def _in_language(sources: pd.DataFrame, column: str, lang: str) -> pd.Series:
    _check_lang(lang)
    named = sources[f"{column}_{lang}"]
    return named.where(named.notna() & (named.astype("string").str.strip() != ""), sources[column])


def load_scopes(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The city, districts and units."""
    return _load("scopes", data_dir)


def load_domains(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The domains of work."""
    return _load("domains", data_dir)


def load_labels(lang: str = "zh", data_dir: Path | str | None = None) -> dict[str, str]:
    """The label of every ``label_id`` (``"qualifier.more_than"``) in ``lang``."""
    _check_lang(lang)
    frame = _load("labels", data_dir)
    return dict(zip(frame.label_id, frame[lang].fillna("")))


def load_events(data_dir: Path | str | None = None) -> pd.DataFrame:
    """What changes what a rate means, with sources: emergencies (periods: lockdowns, emergency
    responses) and laws, reforms and policies (``kind``; they take effect on ``period_start``,
    which ``period_end`` repeats)."""
    return _load("events", data_dir)


def days_inside(start: Any, end: Any, event: Any) -> int:
    """How many days of ``event`` (a row of ``load_events``: period_start, period_end, both
    included) fall in the period from ``start`` to ``end`` (both included); 0 when none do.
    A daily rate "outside the lockdown" divides by the period's days less these."""
    first, last = _period((start, end))
    overlap = (min(last, event.period_end) - max(first, event.period_start)).days + 1
    return max(0, overlap)


def events_between(start: Any, end: Any, *, kind: Ids = None, lang: str = "zh",
                   data_dir: Path | str | None = None) -> pd.DataFrame:
    """The events a comparison from ``start`` to ``end`` (dates, both included) crosses, keyed by
    ``event_id`` and in date order, with ``name`` in ``lang``.

    An emergency is crossed when its period overlaps the interval. A law, reform or policy is
    crossed when it takes effect after ``start`` and on or before ``end``: a change in force from
    the first day on is the rule of the whole interval, not a break in it. For a comparison of
    two periods pass the first one's start and the second one's end, then name each event in the
    chart or the caveats (``events_between("2021-01-01", "2023-12-31")`` for 2021 against 2023).
    """
    _check_lang(lang)
    first, last = _period((start, end))
    events = load_events(data_dir)
    if kind is not None:
        events = events[events.kind.isin(
            _ids("kind", kind, list(schema.EVENTS.field("kind").enum or ())))]
    point = events.kind != "emergency"
    crossed = ((point & (events.period_start > first) & (events.period_start <= last))
               | (~point & (events.period_start <= last) & (events.period_end >= first)))
    out = events[crossed]
    out = out.assign(name=out[f"name_{lang}"])  # from the subset: an empty one stays empty
    return out.sort_values(["period_start", "event_id"]).set_index("event_id")


def load_exclusions(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The numerals of the sources that are not observations, and why."""
    return _load("exclusions", data_dir)


def load_supplementary_map(data_dir: Path | str | None = None) -> pd.DataFrame:
    """How each row of ``raw/supplementary_figures.csv`` maps to an indicator and observation."""
    return _load("supplementary_map", data_dir)


def load_recognitions(*, lang: str = "zh", data_dir: Path | str | None = None) -> pd.DataFrame:
    """Recognitions with ``scope_name`` and ``domain_name`` labels in ``lang``."""
    _check_lang(lang)
    frame = _load("recognitions", data_dir)
    scopes = load_scopes(data_dir).set_index("scope_id")[f"name_{lang}"]
    domains = load_domains(data_dir).set_index("domain_id")[f"name_{lang}"]
    frame.insert(frame.columns.get_loc("scope_id") + 1, "scope_name", frame.scope_id.map(scopes))
    frame.insert(frame.columns.get_loc("domain_id") + 1, "domain_name",
                 frame.domain_id.map(domains))
    return frame


# -- observations ----------------------------------------------------------------------------


def _joined(data_dir: Path | str | None) -> pd.DataFrame:
    """Observations joined with the catalog, scopes, domains and sources, labels in both languages.

    Cached with the tables it is built from; ``value_text`` keeps the exact decimal.
    """
    snapshot = _snapshot(data_dir)
    if snapshot.joined is None:
        snapshot.joined = _join(data_dir)
    return snapshot.joined


def _join(data_dir: Path | str | None) -> pd.DataFrame:
    obs = _load("observations", data_dir)
    obs["value_text"] = _snapshot(data_dir).text["observations"]["value"]
    indicators = _load("indicators", data_dir).rename(
        columns={"name_zh": "indicator_zh", "name_en": "indicator_en",
                 "note_zh": "indicator_note_zh", "note_en": "indicator_note_en"})
    series = _load("series", data_dir).rename(
        columns={"name_zh": "series_zh", "name_en": "series_en",
                 "note_zh": "series_note_zh", "note_en": "series_note_en"})
    domains = _load("domains", data_dir).rename(
        columns={"name_zh": "domain_zh", "name_en": "domain_en"})
    scopes = _load("scopes", data_dir).rename(
        columns={"name_zh": "scope_zh", "name_en": "scope_en", "kind": "scope_kind"})
    sources = _load("sources", data_dir).rename(
        columns={"title": "source_title", "kind": "source_kind"})
    joined = (
        obs.merge(indicators[["indicator_id", "indicator_zh", "indicator_en", "domain_id",
                              "parent_id", "unit", "indicator_note_zh", "indicator_note_en",
                              "series_id"]],
                  on="indicator_id", how="left")
        .merge(series[["series_id", "series_zh", "series_en", "series_note_zh",
                       "series_note_en"]], on="series_id", how="left")
        .merge(domains[["domain_id", "domain_zh", "domain_en"]], on="domain_id", how="left")
        .merge(scopes[["scope_id", "scope_zh", "scope_en", "scope_kind"]], on="scope_id",
               how="left")
        .merge(sources[["source_id", "source_title", "title_zh", "title_en", "source_kind",
                        "reliability", "issued"]],
               on="source_id", how="left")
    )
    joined["days"] = ((joined.period_end - joined.period_start).dt.days + 1).astype("int64")
    # A figure "to date" (截至目前) ends on the day its source was issued; the count may stop
    # earlier, so that end is only a bound ("on or before").
    joined["end_open"] = joined.period_end.eq(joined.issued).astype(bool)
    return joined


def load_observations(
    *,
    domain: Ids = None,
    indicator: Ids = None,
    series: Ids = None,
    scope: Ids = None,
    status: Ids = None,
    period: Period = None,
    source: Ids = None,
    lang: str = "zh",
    data_dir: Path | str | None = None,
) -> pd.DataFrame:
    """Observations joined with their labels and provenance, filtered.

    Each filter takes one id or a list of ids; ``series`` selects every indicator of a measure
    (``series="street_vending_cases"``: the summary's cases and the press figure of the same
    kind), and ``series_note`` says how its indicators differ. ``period`` is a year (rows whose period overlaps
    it) or a ``(start, end)`` pair of dates (rows overlapping that interval). An unknown id
    raises ValueError naming the allowed ones. ``lang`` chooses the labels (``indicator``,
    ``domain_name``, ``scope_name``) and the text of ``note`` and ``indicator_note``: the tables
    hold each note in both languages, a report shows the one in its own.
    """
    for name in ("observations", "indicators", "series", "domains", "scopes", "sources"):
        _read_tables.setdefault(name)
    frame = _filtered(_joined(data_dir), data_dir, domain=domain, indicator=indicator,
                      series=series, scope=scope, status=status, period=period, source=source)
    return _labelled(frame, lang)


def _labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    _check_lang(lang)
    out = frame.assign(indicator=frame[f"indicator_{lang}"], domain_name=frame[f"domain_{lang}"],
                       scope_name=frame[f"scope_{lang}"],
                       note=frame[f"note_{lang}"],
                       indicator_note=frame[f"indicator_note_{lang}"].fillna(""),
                       series=frame[f"series_{lang}"],
                       series_note=frame[f"series_note_{lang}"].fillna(""),
                       source_title=source_titles(frame.rename(columns={"source_title": "title"}), lang))
    return out[list(OBSERVATION_COLUMNS)].reset_index(drop=True)


def _filtered(frame: pd.DataFrame, data_dir: Path | str | None, **filters: Any) -> pd.DataFrame:
    tables = _snapshot(data_dir).text
    allowed = {
        "domain": ("domain_id", tables["domains"].domain_id),
        "indicator": ("indicator_id", tables["indicators"].indicator_id),
        "series": ("series_id", tables["series"].series_id),
        "scope": ("scope_id", tables["scopes"].scope_id),
        "status": ("status", schema.OBSERVATIONS.field("status").enum or ()),
        "source": ("source_id", tables["sources"].source_id),
    }
    keep = pd.Series(True, index=frame.index)
    for name, given in filters.items():
        if given is None:
            continue
        if name == "period":
            start, end = _period(given)
            keep &= (frame.period_start <= end) & (frame.period_end >= start)
            continue
        column, known = allowed[name]
        keep &= frame[column].isin(_ids(name, given, list(known)))
    return frame[keep]


def _ids(name: str, given: str | Iterable[str], known: list[str]) -> list[str]:
    ids = [given] if isinstance(given, str) else list(given)
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ValueError(f"unknown {name} {', '.join(map(repr, unknown))}; "
                         f"allowed: {', '.join(known)}")
    return ids


def _period(period: int | tuple[Any, Any]) -> tuple[pd.Timestamp, pd.Timestamp]:
    if isinstance(period, int) and not isinstance(period, bool):
        return pd.Timestamp(period, 1, 1), pd.Timestamp(period, 12, 31)
    if isinstance(period, tuple) and len(period) == 2:
        start, end = pd.Timestamp(period[0]), pd.Timestamp(period[1])
        if start > end:
            raise ValueError(f"period {period!r} starts after it ends")
        return start, end
    raise ValueError(f"period must be a year (int) or a (start, end) pair of dates, "
                     f"not {period!r}")


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown lang {lang!r}; allowed: {', '.join(LANGS)}")


def whole_years(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of an observations frame whose period is one whole calendar year.

    Part-year figures (January–September from a press report, a district report written before
    the year ended) stand beside the year's figure of the same indicator; an analysis that wants
    one figure per year keeps these rows. The index is kept, so the rows join back.
    """
    start, end = frame["period_start"], frame["period_end"]
    whole = ((start.dt.month == 1) & (start.dt.day == 1) & (end.dt.month == 12)
             & (end.dt.day == 31) & (start.dt.year == end.dt.year))
    return frame[whole]


def value_of(indicator_id: str, *, data_dir: Path | str | None = None,
             **filters: Any) -> Observation:
    """The one observation of ``indicator_id`` matching ``filters`` (as for load_observations).

    Raises LookupError when none or several match, naming the candidates.
    """
    unexpected = set(filters) - {"domain", "series", "scope", "status", "period", "source"}
    if unexpected:
        raise TypeError(f"value_of() got unexpected filters: {', '.join(sorted(unexpected))}")
    rows = _filtered(_joined(data_dir), data_dir, indicator=indicator_id, **filters)
    described = ", ".join(f"{k}={v!r}" for k, v in filters.items()) or "no filters"
    if rows.empty:
        raise LookupError(f"no observation of {indicator_id} with {described}")
    if len(rows) > 1:
        candidates = "; ".join(
            f"{r.observation_id} ({r.scope_id}, {r.status}, {r.period_start.date()}.."
            f"{r.period_end.date()}, {r.source_id})" for r in rows.itertuples())
        raise LookupError(f"{len(rows)} observations of {indicator_id} with {described}: "
                          f"{candidates}; narrow with scope=, status=, period= or source=")
    row = rows.iloc[0]
    return Observation(
        observation_id=row.observation_id, indicator_id=row.indicator_id,
        indicator_zh=row.indicator_zh, indicator_en=row.indicator_en, unit=row.unit,
        value=Decimal(row.value_text), qualifier=row.qualifier, status=row.status,
        scope_id=row.scope_id, period_start=row.period_start.date(),
        period_end=row.period_end.date(), source_id=row.source_id,
        source_title=row.source_title, reliability=row.reliability,
        number_text=row.number_text, quote=row.quote,
        section=row.section if isinstance(row.section, str) else "",
        note_zh=row.note_zh if isinstance(row.note_zh, str) else "",
        note_en=row.note_en if isinstance(row.note_en, str) else "",
    )
