"""Check every row of every table against the schema and the sources; report all problems.

Structural checks (columns, types, required cells, vocabularies, patterns, unique keys, foreign
keys) come from ``schema.py``; the semantic ones are the observation rules of
docs/architecture.md: each quote stands in its source, and the parser reads from it exactly the
row's number, value, qualifier and the catalog's unit. A row whose cells already failed a
structural check is not checked further on those cells, so one mistake gives one problem.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from chengguan import paths, sources, units
from chengguan.links import is_web_url
from chengguan.tables import schema
from chengguan.tables.io import CsvFile, Row, TableReadError, read_csv
from chengguan.tables.schema import Field, TableSchema, type_problem

if TYPE_CHECKING:  # the parser itself is imported when a validation runs, not with this module
    from chengguan.quantities import Quantity

_SHOWN = 80  # longer values are shortened in messages; the line number finds the rest
# Control characters other than tab and line breaks (which have rules of their own): what the
# Excel workbook refuses (openpyxl raises), plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_RAW_PATH = re.compile(r"raw/[A-Za-z0-9_][A-Za-z0-9_.-]*")  # a file directly in data/raw/

# What a spreadsheet reads as the start of a formula when it opens a CSV (OWASP "CSV injection":
# = + - @, and tab or carriage return before them). The downloads keep every cell exact for the
# programs that read them, so no such text is prefixed or quoted there: validation refuses it in
# text cells instead (no quote, note or name of the data begins with one; numbers may be signed).
FORMULA_STARTS = frozenset("=+-@\t\r")


@dataclass(frozen=True)
class Problem:
    """One broken rule, located as precisely as the rule allows.

    ``str(problem)`` is the one fixed format of every message::

        data/observations.csv:12: column value: '2504701' is not what ... [value-matches-quote]
    """

    file: str  # as shown: "data/observations.csv"
    line: int | None  # physical line, header = 1; None for the file as a whole
    column: str | None
    value: str | None
    message: str
    rule: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.column is None:
            return f"{where}: {self.message} [{self.rule}]"
        shown = _show(self.value or "")
        return f"{where}: column {self.column}: {shown} {self.message} [{self.rule}]"


def _show(value: str) -> str:
    if len(value) > _SHOWN:
        value = value[: _SHOWN - 1] + "…"
    return repr(value)


def _decimal_text(value: Decimal) -> str:
    """A Decimal as plain digits without exponent or trailing zeros: 2504700, 89.4."""
    return format(value.normalize(), "f")


def validate(data_dir: Path | str | None = None) -> list[Problem]:
    """Every problem of the tables in ``data_dir`` (default: the project's ``data/``)."""
    return _Validation(Path(data_dir) if data_dir is not None else paths.data_dir()).run()


Message = Problem


def validate_project(root: Path | str) -> list[Message]:
    """Every problem of the tables of the project checkout at ``root`` (its ``data/``).

    The entry point for the build, which refuses to run on invalid tables: all rules, no
    exceptions for bad files (an unreadable file is one problem), a fraction of a second.
    """
    return validate(Path(root) / "data")


class _Validation:
    """One validation run: the tables read once, the problems found so far."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.problems: list[Problem] = []
        self.files: dict[str, CsvFile] = {}
        # (table, line) -> columns whose cell failed a structural check
        self.bad: dict[tuple[str, int], set[str]] = defaultdict(set)
        # Sources whose raw_path is refused: the text behind their quotes is not read.
        self.unusable_sources: set[str] = set()
        # indicators whose unit a quote contradicts (unit-matches-catalog): not checked again
        # against their series, so that one wrong unit gives one problem
        self.unit_contradicted: set[str] = set()

    # -- reporting ------------------------------------------------------------------------------

    def shown(self, table: str) -> str:
        return f"{self.data_dir.name}/{table}.csv"

    def report(self, table: str, row: Row | None, column: str | None, message: str,
               rule: str, *, line: int | None = None, value: str | None = None) -> None:
        """Record a problem; a row's problem marks its cell as bad for the later checks."""
        if row is not None:
            line = row.line
            if column is not None:
                self.bad[(table, row.line)].add(column)
                value = row[column]
        self.problems.append(Problem(self.shown(table), line, column, value, message, rule))

    def unchecked(self, name: str) -> str:
        """The tail of the one message for a table that is missing, unreadable or empty: the
        tables whose references to it are not checked until it is fixed."""
        users = [t.name for t in schema.TABLES
                 if t.name != name and any(k.target_table == name for k in t.foreign_keys)]
        if name == "sources":  # quotes are checked against the sources' stored text
            users += [t.name for t in schema.TABLES
                      if "quote" in t.columns and "source_id" in t.columns and t.name not in users]
        if not users:
            return ""
        return ("; what refers to it (" + ", ".join(self.shown(u) for u in users)
                + ") is not checked against it until it is fixed")

    def ok(self, table: str, row: Row, *columns: str) -> bool:
        """Whether the named cells passed the structural checks and are not empty."""
        failed = self.bad.get((table, row.line), set())
        return all(c not in failed and row[c] != "" for c in columns)

    # -- the run --------------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        for table in schema.TABLES:
            path = self.data_dir / table.filename
            if not path.is_file():
                self.problems.append(
                    Problem(self.shown(table.name), None, None, None,
                            "file is missing" + self.unchecked(table.name), "file")
                )
                continue
            try:
                csv_file = read_csv(path, self.shown(table.name))
            except TableReadError as error:
                # The table is unreadable as a whole: one problem, and no cascade from its rows.
                self.problems.append(Problem(self.shown(table.name), error.line, None, None,
                                             error.message + self.unchecked(table.name),
                                             error.rule))
                continue
            if not csv_file.header or not len(csv_file):
                # Empty or header-only: one problem, not one per missing column or per row of
                # every table that refers to it (an empty observations.csv gave 83).
                what = ("is empty (no header, no rows)" if not csv_file.header
                        else "has a header but no rows")
                self.problems.append(Problem(self.shown(table.name), None, None, None,
                                             what + self.unchecked(table.name), "empty-table"))
                continue
            if table.primary_key not in csv_file.header:
                # Without its key column no row can be named or referred to: a table of another
                # kind, or a header lost in editing. One problem, as for an unreadable file.
                shown_header = ", ".join(csv_file.header[:6]) + (", …" if len(csv_file.header) > 6 else "")
                self.problems.append(Problem(
                    self.shown(table.name), 1, None, None,
                    f"has no column {table.primary_key} in its header (it reads: {shown_header}); "
                    f"the columns of {table.filename} are {', '.join(table.columns)}"
                    + self.unchecked(table.name), "header"))
                continue
            self.files[table.name] = csv_file
            self.check_structure(table)
        for table in schema.TABLES:
            if table.name in self.files:
                self.check_foreign_keys(table)
        self.check_sources()
        self.check_indicators()
        self.check_observations()
        self.check_series()
        self.check_exclusions()
        self.check_periods("recognitions")
        self.found_quotes("recognitions")
        self.check_supplementary_map()
        self.check_events()
        order = {self.shown(t.name): i for i, t in enumerate(schema.TABLES)}
        # Stable sort: within a line, problems keep the order the checks found them in.
        return sorted(self.problems, key=lambda p: (order[p.file], p.line or 0))

    # -- structure ------------------------------------------------------------------------------

    def check_structure(self, table: TableSchema) -> None:
        csv_file = self.files[table.name]
        for name in table.columns:
            if name not in csv_file.header:
                self.report(table.name, None, name, "is missing from the header", "header",
                            line=1, value=name)
        for name in csv_file.header:
            if name not in table.columns:
                self.report(table.name, None, name, "is not a column of this table", "header",
                            line=1, value=name)
        first_seen: dict[str, dict[str, int]] = defaultdict(dict)
        for row in csv_file:
            if self.check_line_breaks(table, row):
                continue
            if row.width != len(csv_file.header):
                self.report(table.name, row, None,
                            f"row has {row.width} fields, the header {len(csv_file.header)}",
                            "row-shape")
            for field in table.fields:
                if field.name in csv_file.header:
                    self.check_cell(table.name, row, field)
                    self.check_unique(table.name, row, field, first_seen[field.name])
            self.check_languages(table, row)

    def check_line_breaks(self, table: TableSchema, row: Row) -> bool:
        """Report a cell holding a line break (an unclosed quote); True if the row had one.

        Such a row has swallowed the lines after it, so its other cells are not checked.
        """
        broken = list(row.line_breaks(f.name for f in table.fields if f.multiline))
        for column, line in broken:
            why = ("; quotes are normalized and hold no page breaks" if column == "quote"
                   else "")
            self.problems.append(Problem(
                self.shown(table.name), line, column, _first_line(row[column]),
                f"holds a line break (the field runs from this line to line {row.end_line}): a "
                f"quoted field left open swallows the rows after it, so close the quote{why}",
                "line-break"))
        if broken:
            self.bad[(table.name, row.line)].update(table.columns)
        return bool(broken)

    def check_cell(self, table: str, row: Row, field: Field) -> None:
        value = row[field.name]
        if value == "":
            if field.required:
                self.report(table, row, field.name, "is empty but required", "required")
            return
        if control := _CONTROL.search(value):
            self.report(table, row, field.name,
                        f"holds the control character U+{ord(control.group()):04X}: no text needs "
                        f"one, it is invisible on a page, and the Excel download cannot hold it",
                        "control-character")
            return
        problem = type_problem(field, value)
        if problem:
            self.report(table, row, field.name, problem, "type")
        elif field.url and not is_web_url(value):
            self.report(table, row, field.name,
                        "is not an http or https address: pages show it as a link, and any "
                        "other scheme (javascript:, data:, file:...) would run or open from a "
                        "click", "url-scheme")
        elif field.type == "string" and value[0] in FORMULA_STARTS:
            self.report(table, row, field.name,
                        f"begins with {value[0]!r}, which a spreadsheet opening the CSV download "
                        f"reads as a formula; no real text needs it here: quote from the next "
                        f"character or reword", "no-formula")
        elif field.plain and (markup := schema.MARKUP.search(value)):
            self.report(table, row, field.name,
                        f"holds markup ({markup.group()!r}): names and labels are plain text, "
                        f"shown on web pages; write it without < > ` or &…;", "no-markup")
        elif field.enum is not None and value not in field.enum:
            self.report(table, row, field.name, f"is not one of: {', '.join(field.enum)}",
                        "enum")
        elif field.pattern is not None and not re.fullmatch(field.pattern, value):
            self.report(table, row, field.name, f"does not match the pattern {field.pattern}",
                        "pattern")

    def check_languages(self, table: TableSchema, row: Row) -> None:
        """A text given in one language is given in the other: a zh report is Chinese throughout
        and an en report English, so a note only one of them would show is a caveat lost."""
        header = self.files[table.name].header
        for zh, en in table.language_pairs:
            if zh not in header or en not in header:
                continue  # reported with the header
            failed = self.bad.get((table.name, row.line), set())
            if zh in failed or en in failed or (row[zh] == "") == (row[en] == ""):
                continue
            given, empty = (zh, en) if row[zh] else (en, zh)
            self.report(table.name, row, empty,
                        f"is empty but {given} is not: write the same text in both languages",
                        "both-languages")

    def check_unique(self, table: str, row: Row, field: Field, seen: dict[str, int]) -> None:
        value = row[field.name]
        if not field.unique or value == "":
            return
        if value in seen:
            self.report(table, row, field.name, f"is a duplicate of line {seen[value]}", "unique")
        else:
            seen[value] = row.line

    def check_foreign_keys(self, table: TableSchema) -> None:
        for key in table.foreign_keys:
            target = self.files.get(key.target_table)
            if target is None:
                continue  # its absence is already a problem
            known = {row[key.target_column] for row in target}
            for row in self.files[table.name]:
                if self.ok(table.name, row, key.column) and row[key.column] not in known:
                    self.report(table.name, row, key.column,
                                f"matches no {key.target_column} of "
                                f"{self.shown(key.target_table)}", "foreign-key")

    # -- sources --------------------------------------------------------------------------------

    def check_sources(self) -> None:
        raw_urls: dict[Path, set[str]] = {}
        for row in self.files.get("sources", ()):
            if not self.ok("sources", row, "raw_path"):
                continue
            if not _RAW_PATH.fullmatch(row["raw_path"]):
                # The export copies the raw file to downloads/<raw_path>: a "../" would read and
                # write outside data/ and outputs/.
                self.report("sources", row, "raw_path",
                            "is not raw/<file name> (letters, digits, _ . -; no folder, no ../)",
                            "raw-path")
                self.unusable_sources.add(row["source_id"])  # its quotes are not looked up
                continue
            path = self.data_dir / row["raw_path"]
            if not path.is_file():
                self.report("sources", row, "raw_path",
                            f"is not a file under {self.data_dir.name}/", "raw-file")
                continue
            if self.ok("sources", row, "sha256"):
                actual = sources.sha256_of(path)
                if actual != row["sha256"]:
                    self.report("sources", row, "sha256",
                                f"is not the SHA-256 of {row['raw_path']} ({actual})", "checksum")
            phrase_file = sources.PHRASE_FILES.get(row["raw_path"])
            try:
                if phrase_file is not None:
                    if path not in raw_urls:
                        raw_urls[path] = {r[phrase_file[0]] for r in read_csv(path)}
                else:
                    sources.normalized_text(row["source_id"], self.data_dir)
            except TableReadError as error:
                self.report("sources", row, "raw_path", f"cannot be read: {error}", "raw-file")
                continue
            if phrase_file is not None and row["url"] not in raw_urls[path]:
                self.report("sources", row, "url",
                            f"is not a {phrase_file[0]} of {row['raw_path']}", "supplementary-url")

    # -- indicators -----------------------------------------------------------------------------

    def check_indicators(self) -> None:
        rows = {row["indicator_id"]: row for row in self.files.get("indicators", ())}
        for row in rows.values():
            if not self.ok("indicators", row, "parent_id"):
                continue
            parent = rows.get(row["parent_id"])
            if parent is None:
                continue  # a foreign-key problem
            if self.ok("indicators", row, "unit") and self.ok("indicators", parent, "unit") \
                    and parent["unit"] != row["unit"]:
                self.report("indicators", row, "parent_id",
                            f"counts {parent['unit']}, not {row['unit']} like this indicator",
                            "parent-same-unit")
            if _in_cycle(row["indicator_id"], rows):
                self.report("indicators", row, "parent_id",
                            "leads back to this indicator (parents form a cycle)", "parent-cycle")

    # -- series ---------------------------------------------------------------------------------

    def check_series(self) -> None:
        """The indicators of one series count one thing: each counts the series' unit, or is a
        bare number (``count``: the source printed no counting word) of the same thing, and the
        series' unit is the unit of at least one of them. Every series has an indicator."""
        if "indicators" not in self.files:
            return  # missing, unreadable or empty: one problem already, no cascade here
        series = {row["series_id"]: row for row in self.files.get("series", ())}
        members: dict[str, list[Row]] = defaultdict(list)
        for row in self.files.get("indicators", ()):
            if self.ok("indicators", row, "series_id") and row["series_id"] in series:
                members[row["series_id"]].append(row)
        for series_id, row in series.items():
            if not members.get(series_id):
                self.report("series", row, "series_id", "is the series of no indicator of "
                            f"{self.shown('indicators')}", "series-used")
                continue
            if not self.ok("series", row, "unit"):
                continue
            unit = row["unit"]
            counted = [m for m in members[series_id] if self.ok("indicators", m, "unit")
                       and m["indicator_id"] not in self.unit_contradicted]
            agreeing = [m for m in counted if m["unit"] == unit]
            for member in counted:
                if member["unit"] in (unit, units.COUNT):
                    continue
                like = (f", like {agreeing[0]['indicator_id']} on line {agreeing[0].line}"
                        if agreeing else "")
                self.report("indicators", member, "unit",
                            f"is not the unit of its series {series_id} ({unit}"
                            f"{like}): one series counts one thing in one unit; give the "
                            f"indicator its own series, or fix the unit", "series-same-unit")
            if counted and not agreeing and all(m["unit"] == units.COUNT for m in counted):
                self.report("series", row, "unit",
                            "is the unit of none of its indicators (they are all bare numbers, "
                            "count): write count, or the unit an indicator reads",
                            "series-same-unit")

    # -- observations ---------------------------------------------------------------------------

    def check_observations(self) -> None:
        from chengguan.quantities import find_quantities  # the parser: only when validating

        indicators = {row["indicator_id"]: row for row in self.files.get("indicators", ())}
        self.check_periods("observations")
        # An observation's quote must point at one place: coverage credits the mention there.
        for row in self.found_quotes("observations", once=True):
            if not self.ok("observations", row, "number_text"):
                continue
            # 达到 before a number is a floor in a target only (chengguan.quantities).
            found = find_quantities(row["quote"], target=row["status"] == "target")
            mention = next((m for m in found if m.text == row["number_text"]), None)
            if mention is None:
                listed = ", ".join(repr(m.text) for m in found) or "none"
                self.report("observations", row, "number_text",
                            f"is not a mention the parser finds in the quote (it finds {listed})",
                            "number-in-quote")
            else:
                self.check_reading(row, mention, indicators.get(row["indicator_id"]))
        self.check_breakdowns(indicators)

    def check_reading(self, row: Row, mention: Quantity, indicator: Row | None) -> None:
        """The row's value, qualifier and catalog unit are what the parser reads."""
        def reads(what: str) -> str:
            return f"the parser reads {what} from {mention.text!r}"

        if self.ok("observations", row, "value") and Decimal(row["value"]) != mention.value:
            self.report("observations", row, "value",
                        f"is not what the quote says ({reads(_decimal_text(mention.value))})",
                        "value-matches-quote")
        if self.ok("observations", row, "qualifier") and row["qualifier"] != mention.qualifier:
            self.report("observations", row, "qualifier",
                        f"is not what the quote says ({reads(mention.qualifier)})",
                        "qualifier-matches-quote")
        if (indicator is not None and self.ok("observations", row, "indicator_id")
                and self.ok("indicators", indicator, "unit")
                and indicator["unit"] != mention.unit):
            self.unit_contradicted.add(indicator["indicator_id"])
            self.report("observations", row, "indicator_id",
                        f"counts {indicator['unit']}, but {reads(mention.unit)}",
                        "unit-matches-catalog")

    def check_breakdowns(self, indicators: dict[str, Row]) -> None:
        rows = [r for r in self.files.get("observations", ())
                if self.ok("observations", r, "indicator_id", "value", "period_start",
                           "period_end")]

        def key(row: Row, indicator_id: str) -> tuple[str, ...]:
            return (indicator_id, row["source_id"], row["scope_id"], row["period_start"],
                    row["period_end"], row["status"])

        by_key: dict[tuple[str, ...], list[Row]] = defaultdict(list)
        for row in rows:
            by_key[key(row, row["indicator_id"])].append(row)
        for row in rows:
            indicator = indicators.get(row["indicator_id"])
            if indicator is None or not self.ok("indicators", indicator, "parent_id"):
                continue  # no parent, or one already reported as wrong
            for parent in by_key.get(key(row, indicator["parent_id"]), ()):
                if Decimal(row["value"]) > Decimal(parent["value"]):
                    self.report("observations", row, "value",
                                f"is larger than its parent {indicator['parent_id']} "
                                f"({parent['value']}, line {parent.line})",
                                "breakdown-not-larger")

    # -- supplementary_map ----------------------------------------------------------------------

    def check_supplementary_map(self) -> None:
        """Each raw row has one map row, and its observation says what the raw row says."""
        raw_path = self.data_dir / sources.SUPPLEMENTARY_RAW_PATH
        if "supplementary_map" not in self.files or not raw_path.is_file():
            return
        try:
            raw_rows = {row.line: row for row in read_csv(raw_path)}
        except TableReadError:
            return  # reported with the sources
        observations = {row["observation_id"]: row for row in self.files.get("observations", ())}
        urls = {row["source_id"]: row["url"] for row in self.files.get("sources", ())}
        shown_raw = sources.SUPPLEMENTARY_RAW_PATH
        mapped: set[int] = set()
        for row in self.files["supplementary_map"]:
            if not self.ok("supplementary_map", row, "raw_line"):
                continue
            raw = raw_rows.get(int(row["raw_line"]))
            if raw is None:
                self.report("supplementary_map", row, "raw_line",
                            f"is not the line of a row of {shown_raw}", "supplementary-row")
                continue
            mapped.add(raw.line)
            if self.ok("supplementary_map", row, "source_id") \
                    and urls.get(row["source_id"], raw["source_url"]) != raw["source_url"]:
                self.report("supplementary_map", row, "source_id",
                            f"is not the source of {shown_raw}:{raw.line} "
                            f"(its url is {raw['source_url']})", "supplementary-row")
            observation = observations.get(row["observation_id"])
            if observation is not None and self.ok("supplementary_map", row, "observation_id"):
                self.check_mapped_observation(row, observation, raw)
        for line in sorted(raw_rows.keys() - mapped):
            self.problems.append(Problem(self.shown("supplementary_map"), None, None, None,
                                         f"has no row for {shown_raw}:{line}",
                                         "supplementary-row"))

    def check_mapped_observation(self, row: Row, observation: Row, raw: Row) -> None:
        where = f"{sources.SUPPLEMENTARY_RAW_PATH}:{raw.line}"
        for column in ("indicator_id", "source_id"):
            if self.ok("supplementary_map", row, column) and row[column] != observation[column]:
                self.report("supplementary_map", row, column,
                            f"is not the {column} of {row['observation_id']} "
                            f"({observation[column]})", "supplementary-observation")
        # The raw row is immutable: when they disagree, the observation is what is wrong.
        for column, raw_column in (("scope_id", "scope"), ("period_start", "period_start"),
                                   ("period_end", "period_end")):
            if self.ok("observations", observation, column) \
                    and observation[column] != raw[raw_column]:
                self.report("observations", observation, column,
                            f"is not the {raw_column} of its raw row {where} "
                            f"({raw[raw_column]})", "supplementary-observation")
        if self.ok("observations", observation, "quote") \
                and observation["quote"] not in raw["phrase"]:
            self.report("observations", observation, "quote",
                        f"is not in the phrase of its raw row {where} ({raw['phrase']!r})",
                        "supplementary-observation")

    # -- events ---------------------------------------------------------------------------------

    def check_events(self) -> None:
        """An emergency is a period, dated at both ends by quotes; a law, reform or policy takes
        effect on one day (period_end = period_start) and has no end quote."""
        self.check_periods("events")
        end = ("end_quote", "end_url", "end_publisher")
        for row in self.files.get("events", ()):
            if not self.ok("events", row, "kind"):
                continue
            if row["kind"] == "emergency":
                for column in end:
                    if row[column] == "" and column not in self.bad.get(("events", row.line), ()):
                        self.report("events", row, column, "is empty: an emergency is dated at "
                                    "its end by a quote too", "event-dates")
                continue
            if self.ok("events", row, "period_start", "period_end") \
                    and row["period_end"] != row["period_start"]:
                self.report("events", row, "period_end",
                            f"is not period_start ({row['period_start']}): a {row['kind']} takes "
                            f"effect on one day", "event-dates")
            for column in end:
                if row[column] != "" and column not in self.bad.get(("events", row.line), ()):
                    self.report("events", row, column, f"is given, but a {row['kind']} has no "
                                "end: leave it empty", "event-dates")

    # -- shared ---------------------------------------------------------------------------------

    def check_periods(self, table: str) -> None:
        for row in self.files.get(table, ()):
            if self.ok(table, row, "period_start", "period_end") \
                    and row["period_start"] > row["period_end"]:
                self.report(table, row, "period_end",
                            f"is before period_start {row['period_start']}", "period-order")

    def check_exclusions(self) -> None:
        from chengguan.quantities import find_quantities

        for row in self.found_quotes("exclusions"):
            if not find_quantities(row["quote"]):
                self.report("exclusions", row, "quote", "has no numeral to exclude",
                            "exclusion-has-mention")

    def found_quotes(self, table: str, *, once: bool = False) -> list[Row]:
        """Check that each row's quote stands in its source (``once``: in one place only).

        Returns the rows whose quote was found.
        """
        found: list[Row] = []
        for row in self.files.get(table, ()):
            if not self.ok(table, row, "quote", "source_id") or row["source_id"] in self.unusable_sources:
                continue
            try:
                text = sources.normalized_text(row["source_id"], self.data_dir)
            except (KeyError, OSError, TableReadError):
                continue  # an unknown source, a missing or unreadable raw file: reported already
            occurrences = len(text.find_all(row["quote"]))
            if occurrences == 0:
                self.report(table, row, "quote",
                            f"does not occur in the normalized text of {row['source_id']}",
                            "quote-in-source")
                continue
            if once and occurrences > 1:
                self.report(table, row, "quote",
                            f"occurs {occurrences} times in the normalized text of "
                            f"{row['source_id']}; quote enough to name one place", "quote-once")
            found.append(row)
        return found


def _first_line(value: str) -> str:
    return value.splitlines()[0] if value else value


def _in_cycle(start: str, rows: dict[str, Row]) -> bool:
    seen = {start}
    current = rows[start]["parent_id"]
    while current in rows:
        if current in seen:
            return current == start
        seen.add(current)
        current = rows[current]["parent_id"]
    return False
