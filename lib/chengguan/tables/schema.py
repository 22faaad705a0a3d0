"""The declared columns of every table in ``data/``: the single source of truth.

Validation (``validate.py``), typed loading (``load.py``) and the Frictionless descriptor
``data/datapackage.json`` (``datapackage.py``) are all derived from the declarations below, so a
column is added or constrained here and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

from chengguan import units

FieldType = Literal["string", "integer", "number", "date", "boolean"]

# The canonical unit ids, in the order of the unit catalog (chengguan.units), "count" last.
UNITS = tuple(dict.fromkeys([u.id for u in units.UNITS] + [units.COUNT]))
QUALIFIERS = ("exact", "more_than", "at_least", "approximate", "at_most")
# plan_restatement: a plan sentence whose number is not a goal for the plan year but repeats what
# exists or is in force (6066 workrooms, the 14 categories of a regulation, a class-hour rule).
STATUSES = ("actual", "target", "plan_restatement")
# emergency: a period (lockdown, emergency response) whose weeks every rate of it includes; law,
# reform, policy: a change that takes effect on one day and moves rates from then on.
EVENT_KINDS = ("emergency", "law", "reform", "policy")
EXCLUSION_REASONS = ("date", "year", "document_number", "plan_period", "edition", "programme_name",
                     "ordinal", "heading", "name", "word", "repeated")

# Frictionless reads these as booleans by default; validation accepts exactly the same spellings.
TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")


@dataclass(frozen=True)
class Field:
    """One column: its type and constraints. Empty cells are missing values."""

    name: str
    type: FieldType
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None  # a regular expression the whole cell must match
    unique: bool = False
    # A name or label shown as such on web pages: plain text, no markup (see MARKUP).
    plain: bool = False
    # Free text that may run over several lines; in any other cell a line break means a quote
    # left open that swallowed the rows after it.
    multiline: bool = False
    # A web address that pages show as a link: only an absolute http/https URL may stand here
    # (chengguan.links.is_web_url); a javascript: or data: address would be a script once clicked.
    url: bool = False


# What a name or label may not hold: HTML tags, entities and Markdown code spans. Quotes and
# notes are verbatim or free text and may hold anything; the pages escape them when they render.
MARKUP = re.compile(r"[<>`]|&#?[A-Za-z0-9]+;")

_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")
_INTEGER = re.compile(r"[-+]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def type_problem(field: Field, value: str) -> str | None:
    """Why the non-empty cell ``value`` is not of the field's declared type, or None."""
    if field.type == "integer" and not _INTEGER.fullmatch(value):
        return "is not an integer"
    if field.type == "number":
        if not _NUMBER.fullmatch(value):
            return "is not a number (digits with an optional decimal point)"
        try:
            Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern already rules this out
            return "is not a number"
    if field.type == "date":
        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            return "is not a date (YYYY-MM-DD)"
    if field.type == "boolean" and value not in TRUE_VALUES + FALSE_VALUES:
        return "is not a boolean (true or false)"
    return None


@dataclass(frozen=True)
class ForeignKey:
    """``column`` of this table must name an existing ``target_column`` of ``target_table``."""

    column: str
    target_table: str
    target_column: str


@dataclass(frozen=True)
class TableSchema:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: str
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def language_pairs(self) -> tuple[tuple[str, str], ...]:
        """The ``(<name>_zh, <name>_en)`` columns: one text in two languages, both or neither."""
        names = set(self.columns)
        return tuple((name, f"{name[:-3]}_en") for name in self.columns
                     if name.endswith("_zh") and f"{name[:-3]}_en" in names)

    def field(self, name: str) -> Field:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(f"{self.name} has no column {name!r}")


def _id(name: str, what: str) -> Field:
    # Ids are snake_case ASCII so that they work as notebook parameters and file names.
    return Field(name, "string", f"Identifier of the {what}.", required=True,
                 pattern=r"[a-z0-9]+(_[a-z0-9]+)*", unique=True)


def _ref(name: str, what: str, required: bool = True) -> Field:
    return Field(name, "string", f"The {what} (foreign key).", required=required)


SOURCES = TableSchema(
    name="sources",
    title="Sources",
    description="Every document a figure is taken from, with its provenance and the checksum "
    "of the raw file kept in data/raw/.",
    primary_key="source_id",
    fields=(
        _id("source_id", "source"),
        Field("title", "string", "Title of the document or page, verbatim; where the stored text "
              "shows none, the curators' description of it (then title_zh and title_en are given).",
              required=True, plain=True),
        Field("title_zh", "string", "How a Chinese report names the source when title is not a "
              "verbatim Chinese title (a curators' description, or a title in another language); "
              "empty otherwise.", plain=True),
        Field("title_en", "string", "The same in English, for English reports.", plain=True),
        Field("issuer", "string", "Who published it, as the source names itself.", required=True, plain=True),
        Field("issuer_zh", "string", "How a Chinese report names the issuer (given with issuer_en; "
              "where both are empty, reports show issuer).", plain=True),
        Field("issuer_en", "string", "The same in English, for English reports.", plain=True),
        Field("doc_number", "string", "Official document number (文号), when it has one."),
        Field("issued", "date", "Date of issue or publication (YYYY-MM-DD)."),
        Field("url", "string", "Public address of the document.", unique=True,
              url=True),
        _ref("scope_id", "area or unit the document reports on"),
        Field("kind", "string", "What kind of document it is.", required=True,
              enum=("official_report", "district_report", "news_release", "news_article",
                    "reprint", "compilation")),
        Field("reliability", "string", "How far its figures can be trusted.", required=True,
              enum=("high", "medium", "low")),
        Field("reliability_note_zh", "string", "Why it has that reliability (in Chinese).",
              multiline=True),
        Field("reliability_note_en", "string", "The same note in English.", multiline=True),
        Field("raw_path", "string", "The raw file, relative to data/.", required=True),
        Field("sha256", "string", "SHA-256 of the raw file.", required=True,
              pattern=r"[0-9a-f]{64}"),
    ),
    foreign_keys=(ForeignKey("scope_id", "scopes", "scope_id"),),
)

SCOPES = TableSchema(
    name="scopes",
    title="Scopes",
    description="Areas and units a figure can refer to: the city, its 16 districts and the "
    "enforcement units directly under the bureau.",
    primary_key="scope_id",
    fields=(
        _id("scope_id", "scope"),
        Field("kind", "string", "City, district or unit.", required=True,
              enum=("city", "district", "unit", "subdistrict")),
        Field("name_zh", "string", "Chinese name.", required=True, plain=True),
        Field("name_en", "string", "English name.", required=True, plain=True),
    ),
)

DOMAINS = TableSchema(
    name="domains",
    title="Domains",
    description="Areas of work of the enforcement system, following the sections of the "
    "annual summary.",
    primary_key="domain_id",
    fields=(
        _id("domain_id", "domain"),
        Field("name_zh", "string", "Chinese name.", required=True, plain=True),
        Field("name_en", "string", "English name.", required=True, plain=True),
        Field("part", "string", "The section of the summary the domain follows.", plain=True),
        Field("description", "string", "What the domain covers.", multiline=True),
    ),
)

SERIES = TableSchema(
    name="series",
    title="Series",
    description="What an indicator measures: one measure, with one unit and one definition, that "
    "one or several indicators (sources, periods, unit spellings) report.",
    primary_key="series_id",
    fields=(
        _id("series_id", "series"),
        _ref("domain_id", "domain"),
        Field("name_zh", "string", "Chinese name.", required=True, plain=True),
        Field("name_en", "string", "English name.", required=True, plain=True),
        Field("unit", "string", "Canonical unit of the measure (chengguan.units); an indicator of "
              "the series counts it, or is a bare number (count) of the same thing.",
              required=True, enum=UNITS),
        Field("definition_zh", "string", "What is counted, when the indicators' own descriptions "
              "do not say it for all of them (in Chinese).", multiline=True),
        Field("definition_en", "string", "The same definition in English.", multiline=True),
        Field("note_zh", "string", "How the indicators of the series differ in wording, scope or "
              "source, and what that does to a comparison (in Chinese).", multiline=True),
        Field("note_en", "string", "The same note in English.", multiline=True),
    ),
    foreign_keys=(ForeignKey("domain_id", "domains", "domain_id"),),
)

INDICATORS = TableSchema(
    name="indicators",
    title="Indicator catalog",
    description="What is counted, in which canonical unit; a breakdown names its parent.",
    primary_key="indicator_id",
    fields=(
        _id("indicator_id", "indicator"),
        _ref("domain_id", "domain"),
        Field("name_zh", "string", "Chinese name.", required=True, plain=True),
        Field("name_en", "string", "English name.", required=True, plain=True),
        Field("unit", "string", "Canonical unit (chengguan.units).", required=True, enum=UNITS),
        Field("description", "string", "Definition and caveats.", multiline=True),
        _ref("parent_id", "indicator this one is a part of", required=False),
        Field("note_zh", "string", "What differs between the periods or sources this indicator "
              "joins (in Chinese); shown wherever the series is plotted.", multiline=True),
        Field("note_en", "string", "The same note in English.", multiline=True),
        _ref("series_id", "series (measure) the indicator reports"),
    ),
    foreign_keys=(
        ForeignKey("domain_id", "domains", "domain_id"),
        ForeignKey("parent_id", "indicators", "indicator_id"),
        ForeignKey("series_id", "series", "series_id"),
    ),
)

OBSERVATIONS = TableSchema(
    name="observations",
    title="Observations",
    description="One figure of one source: value in the indicator's canonical unit, with the "
    "verbatim (normalized) sentence it was read from.",
    primary_key="observation_id",
    fields=(
        _id("observation_id", "observation"),
        _ref("indicator_id", "indicator"),
        _ref("source_id", "source"),
        _ref("scope_id", "scope"),
        Field("period_start", "date", "First day of the period.", required=True),
        Field("period_end", "date", "Last day of the period (inclusive).", required=True),
        Field("status", "string", "An outcome (actual), a 2023 target, or a plan sentence "
              "that restates a stock, scope or standard already in force (plan_restatement).",
              required=True, enum=STATUSES),
        Field("value", "number", "Exact value in the canonical unit.", required=True),
        Field("qualifier", "string", "How the source qualifies the number (余 -> more_than, ...).",
              required=True, enum=QUALIFIERS),
        Field("number_text", "string", "The mention as the parser finds it in the quote.",
              required=True),
        Field("quote", "string", "Verbatim sentence of the normalized source text.",
              required=True),
        Field("section", "string", "Heading of the section the quote stands in."),
        Field("note_zh", "string", "Anything worth knowing about the figure: definitions, "
              "caveats, part-year periods (in Chinese).", multiline=True),
        Field("note_en", "string", "The same note in English.", multiline=True),
    ),
    foreign_keys=(
        ForeignKey("indicator_id", "indicators", "indicator_id"),
        ForeignKey("source_id", "sources", "source_id"),
        ForeignKey("scope_id", "scopes", "scope_id"),
    ),
)

EXCLUSIONS = TableSchema(
    name="exclusions",
    title="Exclusions",
    description="Numerals of a source that are not observations (dates, years, document "
    "numbers, ...): every mention inside every occurrence of the quote is accounted for.",
    primary_key="exclusion_id",
    fields=(
        _id("exclusion_id", "exclusion"),
        _ref("source_id", "source"),
        Field("quote", "string", "Verbatim text of the normalized source.", required=True),
        Field("reason", "string", "Why these numerals are not observations.", required=True,
              enum=EXCLUSION_REASONS),
        Field("note", "string", "Anything worth knowing.", multiline=True),
    ),
    foreign_keys=(ForeignKey("source_id", "sources", "source_id"),),
)

RECOGNITIONS = TableSchema(
    name="recognitions",
    title="Recognitions",
    description="Units the bureau singles out (often in bold): top rankings, meetings hosted, "
    "case examples and initiatives.",
    primary_key="recognition_id",
    fields=(
        _id("recognition_id", "recognition"),
        _ref("source_id", "source"),
        _ref("scope_id", "scope"),
        _ref("domain_id", "domain"),
        Field("kind", "string", "What the unit is recognised for.", required=True,
              enum=("top_ranked", "hosted_meeting", "case_example", "initiative",
                    "good_practice")),
        Field("bold", "boolean", "Whether the source sets the unit in bold.", required=True),
        Field("period_start", "date", "First day of the period.", required=True),
        Field("period_end", "date", "Last day of the period (inclusive).", required=True),
        Field("quote", "string", "Verbatim text of the normalized source.", required=True),
        Field("note", "string", "Anything worth knowing.", multiline=True),
    ),
    foreign_keys=(
        ForeignKey("source_id", "sources", "source_id"),
        ForeignKey("scope_id", "scopes", "scope_id"),
        ForeignKey("domain_id", "domains", "domain_id"),
    ),
)

SUPPLEMENTARY_MAP = TableSchema(
    name="supplementary_map",
    title="Supplementary figures map",
    description="How each data row of raw/supplementary_figures.csv becomes an observation: "
    "its indicator, source and observation.",
    primary_key="raw_line",
    fields=(
        Field("raw_line", "integer", "Line of the row in raw/supplementary_figures.csv "
              "(the header is line 1).", required=True, unique=True),
        _ref("indicator_id", "indicator"),
        _ref("source_id", "source"),
        _ref("observation_id", "observation"),
        Field("note", "string", "How the row's wording maps to the indicator.", multiline=True),
    ),
    foreign_keys=(
        ForeignKey("indicator_id", "indicators", "indicator_id"),
        ForeignKey("source_id", "sources", "source_id"),
        ForeignKey("observation_id", "observations", "observation_id"),
    ),
)

LABELS = TableSchema(
    name="labels",
    title="Labels",
    description="Words of the reports in both languages: the vocabularies of the tables "
    "(qualifiers, reliability, kinds, statuses) and the column headings of the display helpers. "
    "Ids are <vocabulary>.<key>.",
    primary_key="label_id",
    fields=(
        Field("label_id", "string", "Vocabulary and key, e.g. qualifier.more_than.",
              required=True, pattern=r"[a-z_]+\.[a-z0-9_]+", unique=True),
        Field("zh", "string", "The label in Chinese."),
        Field("en", "string", "The label in English."),
    ),
)

EVENTS = TableSchema(
    name="events",
    title="Events",
    description="What changes what a rate means: emergencies (the 2020 emergency response, the "
    "2022 lockdown), laws, reforms and policies, with the public sentences that date them. Time "
    "charts mark them; a comparison across one names it.",
    primary_key="event_id",
    fields=(
        _id("event_id", "event"),
        Field("kind", "string", "emergency (a period), or law, reform, policy (a change that "
              "takes effect on period_start; period_end is the same day).", required=True,
              enum=EVENT_KINDS),
        Field("name_zh", "string", "Name in Chinese.", required=True, plain=True),
        Field("name_en", "string", "Name in English.", required=True, plain=True),
        Field("period_start", "date", "First day.", required=True),
        Field("period_end", "date", "Last day (inclusive).", required=True),
        Field("start_quote", "string", "Sentence that dates the start, verbatim.", required=True),
        Field("start_url", "string", "Page of the start quote.", required=True,
              url=True),
        Field("start_publisher", "string", "Who published the start quote.", required=True),
        Field("end_quote", "string", "Sentence that dates the end, verbatim (an emergency "
              "only)."),
        Field("end_url", "string", "Page of the end quote.", url=True),
        Field("end_publisher", "string", "Who published the end quote."),
        Field("note", "string", "What the event changes for the figures."),
    ),
)

# In dependency order: a table only refers to tables listed before it (or to itself).
TABLES: tuple[TableSchema, ...] = (
    SCOPES, SOURCES, DOMAINS, SERIES, INDICATORS, OBSERVATIONS, EXCLUSIONS, RECOGNITIONS,
    SUPPLEMENTARY_MAP, LABELS, EVENTS,
)


def table(name: str) -> TableSchema:
    """The schema of the table called ``name`` ("observations", ...)."""
    for schema in TABLES:
        if schema.name == name:
            return schema
    raise KeyError(f"unknown table {name!r}; tables: {', '.join(t.name for t in TABLES)}")
