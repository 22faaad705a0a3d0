"""Open-data downloads: every table as CSV, Parquet and one Excel workbook, with a descriptor.

``export(outdir)`` writes, for each table of ``schema.TABLES``:

- ``<table>.csv``: the cells exactly as stored, UTF-8 *with* a byte-order mark, so that Excel
  opens the Chinese text correctly when the file is double-clicked;
- ``<table>.parquet``: typed columns (string, int64, float64, date32, bool; empty cells null);

plus ``raw/``: each stored source file that ``sources.csv`` names (``raw_path``), byte for byte,
so its ``sha256`` can be checked and a quote found in it (for the pages of which only the quoted
sentences are kept, ``raw/cross_year_candidates.csv`` and ``raw/supplementary_figures.csv``, these
are the only record of the source's text); and ``chengguan_tables.xlsx`` (a README sheet, then
one sheet per table, typed cells) and
``datapackage.json``, a Frictionless descriptor of every file with its SHA-256 and (except Parquet,
whose bytes frictionless cannot count) its size: the CSV files with the table schemas of
``data/datapackage.json``, each Parquet file with its table's schema, and each table sheet of the
workbook as a resource of its own pointed at its sheet (``dialect.excel.sheet``), so that
``frictionless validate datapackage.json`` checks every file and never reads the README sheet as a
table. Numbers are exact decimals in the tables; the float64 of Parquet and Excel gives the same
decimal back (``repr``), which the tests check for every value.

Every file is written to a temporary name and renamed, so a reader never sees half a file; the
tables are validated first and an invalid table is never exported.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from chengguan import paths
from chengguan.curation import datapackage
from chengguan.links import safe_href
from chengguan.tables import schema
from chengguan.tables.io import CsvFile, read_csv
from chengguan.tables.schema import Field, TableSchema

WORKBOOK = "chengguan_tables.xlsx"
README_SHEET = "README"
_ARROW_TYPES = {"string": "string", "integer": "int64", "number": "float64", "date": "date32",
                "boolean": "bool_"}


class ExportRefused(ValueError):
    """The tables do not validate; ``problems`` lists why (the validator's messages)."""

    def __init__(self, problems: list[Any]) -> None:
        self.problems = problems
        super().__init__(f"the tables have {len(problems)} problems; nothing was exported:\n"
                         + "\n".join(str(p) for p in problems))


def export(outdir: Path | str, data_dir: Path | str | None = None, *,
           validate: bool = True) -> list[Path]:
    """Write the downloads of every table to ``outdir``; return the files written, in order.

    Raises :class:`ExportRefused` (writing nothing) when the tables do not validate.
    """
    base = Path(data_dir) if data_dir is not None else paths.data_dir()
    if validate:
        from chengguan.curation.validate import validate as run_validation

        problems = run_validation(base)
        if problems:
            raise ExportRefused(problems)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    tables = {t.name: read_csv(base / t.filename) for t in schema.TABLES}
    written: list[Path] = []
    for table in schema.TABLES:
        written.append(_write(out / f"{table.name}.csv", partial(_csv, tables[table.name])))
    for table in schema.TABLES:
        written.append(_write(out / f"{table.name}.parquet", partial(_parquet, table, tables[table.name])))
    raw_paths = sorted({row["raw_path"] for row in tables["sources"]})
    (out / "raw").mkdir(exist_ok=True)
    for raw_path in raw_paths:
        written.append(_write(out / raw_path, partial(_copy, base / raw_path)))
    written.append(_write(out / WORKBOOK, lambda f: _workbook(tables, base, f)))
    written.append(_write(out / datapackage.FILENAME,
                          lambda f: f.write(_descriptor(base, written).encode("utf-8"))))
    return written


# -- writing files ---------------------------------------------------------------------------


def _write(path: Path, fill: Callable[[Any], Any]) -> Path:
    """Write ``path`` through ``fill(binary_file)``, atomically (temporary file, then rename)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            fill(file)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _copy(source: Path, file: Any) -> None:
    file.write(source.read_bytes())


def _csv(table: CsvFile, file: Any) -> None:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")  # RFC 4180 line ends, as Excel writes
    writer.writerow(table.header)
    writer.writerows([row[c] for c in table.header] for row in table)
    file.write(text.getvalue().encode("utf-8-sig"))


def _typed(field: Field, value: str) -> Any:
    """A cell as a Python value of the field's type; "" (missing) is None."""
    if value == "":
        return None
    if field.type == "integer":
        return int(value)
    if field.type == "number":
        return float(value)
    if field.type == "date":
        return date.fromisoformat(value)
    if field.type == "boolean":
        return value in schema.TRUE_VALUES
    return value


def _parquet(table: TableSchema, rows: CsvFile, file: Any) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {
        f.name: pa.array([_typed(f, row[f.name]) for row in rows],
                         type=getattr(pa, _ARROW_TYPES[f.type])())
        for f in table.fields
    }
    arrow_schema = pa.schema(
        [pa.field(f.name, getattr(pa, _ARROW_TYPES[f.type])(), nullable=not f.required,
                  metadata={"description": f.description}) for f in table.fields],
        metadata={"title": table.title, "description": table.description})
    pq.write_table(pa.table(columns, schema=arrow_schema), file)


# -- the workbook ----------------------------------------------------------------------------


def _workbook(tables: dict[str, CsvFile], data_dir: Path, file: Any) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    readme = book.active
    readme.title = README_SHEET
    bold = Font(bold=True)
    for line in _readme_lines(tables, data_dir):
        _append(readme, line)
        if len(line) == 1 or (line and line[0] in {"table", "source_id"}):
            for cell in readme[readme.max_row]:
                cell.font = bold
    _link_urls(readme)
    for column, width in zip("ABCDEF", (24, 40, 12, 10, 70, 40)):
        readme.column_dimensions[column].width = width
    for row in readme.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for table in schema.TABLES:
        sheet = book.create_sheet(table.name)
        sheet.append(list(table.columns))
        for cell in sheet[1]:
            cell.font = bold
        for row in tables[table.name]:
            _append(sheet, [_typed(f, row[f.name]) for f in table.fields])
        for f, cell in zip(table.fields, sheet[1]):
            if f.type == "date":
                for (body,) in sheet.iter_rows(min_row=2, min_col=cell.column,
                                               max_col=cell.column):
                    body.number_format = "yyyy-mm-dd"
            sheet.column_dimensions[cell.column_letter].width = _width(f)
        sheet.freeze_panes = "A2"
    book.save(file)


def _append(sheet: Any, values: list[Any]) -> None:
    """Append a row; strings stay strings (openpyxl stores "=…" as a formula, Excel runs it)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _link_urls(readme: Any) -> None:
    """Make the README sheet's source addresses clickable, each only when
    :func:`chengguan.links.safe_href` accepts it (http/https): a spreadsheet follows any scheme a
    hyperlink names, so a ``javascript:`` or ``file:`` address stays plain text."""
    url_column = None
    for row in readme.iter_rows():
        first = row[0].value
        if first == "source_id":  # the header of the sources list names its url column
            url_column = next((c.column for c in row if c.value == "url"), None)
        elif first is None or url_column is None:
            url_column = None  # a blank line ends the list
        else:
            cell = readme.cell(row=row[0].row, column=url_column)
            href = safe_href(cell.value) if isinstance(cell.value, str) else None
            if href is not None:
                cell.hyperlink = href


def _width(field: Field) -> int:
    # Free text (notes in either language, descriptions) and long verbatim cells get room.
    if field.multiline or field.name in {"quote", "title", "section"}:
        return 60
    return 12 if field.type in {"date", "number", "integer", "boolean"} else 24


def _readme_lines(tables: dict[str, CsvFile], data_dir: Path) -> list[list[Any]]:
    package = datapackage.descriptor(data_dir)
    (licence,) = package["licenses"]
    lines: list[list[Any]] = [
        [package["title"]],
        [package["description"]],
        [],
        ["licence", f"{licence['title']} ({licence['name']}): {licence['path']}"],
        ["cite as", "chengguan-enforcement tables; each figure with its source (sheet sources)"],
        ["sheets", "one per table; empty cells are missing values; dates are YYYY-MM-DD; "
                   "numbers are exact in the canonical unit of the indicator"],
        [],
        ["Sources"],
        ["source_id", "title", "issued", "kind", "url", "issuer"],
    ]
    for row in tables["sources"]:
        lines.append([row["source_id"], row["title"], row["issued"], row["kind"], row["url"],
                      row["issuer"]])
    lines += [[], ["Columns"], ["table", "column", "type", "required", "description",
                                "allowed values"]]
    for table in schema.TABLES:
        lines.append([table.name, f"{table.title}: {table.description}", "", "",
                      f"{len(tables[table.name])} rows", ""])
        for f in table.fields:
            allowed = ", ".join(f.enum) if f.enum else (f"pattern {f.pattern}" if f.pattern
                                                        else "")
            lines.append(["", f.name, f.type, "yes" if f.required else "", f.description,
                          allowed])
    return lines


# -- the descriptor --------------------------------------------------------------------------


def _descriptor(data_dir: Path, written: list[Path]) -> str:
    package = datapackage.descriptor(data_dir)
    schemas = {resource["name"]: resource["schema"] for resource in package["resources"]}
    resources = []
    for resource in package["resources"]:
        resources.append({**resource, "encoding": "utf-8-sig"})
    for path in written:
        if path.suffix == ".parquet":
            # The CSV file's table schema (foreign keys point at the CSV resources, which hold the
            # same rows), so that a validator checks every typed value, not types it guesses from
            # the first rows (it took `value` for an integer column and refused 89.4).
            resources.append({
                "name": f"{path.stem}-parquet", "path": path.name, "profile": "data-resource",
                "format": "parquet", "mediatype": "application/vnd.apache.parquet",
                "description": f"The {path.stem} table with typed columns (Apache Parquet).",
                "schema": schemas[path.stem]})
        elif path.parent.name == "raw":
            resources.append({
                "name": f"raw-{path.stem.replace('_', '-').lower()}", "path": f"raw/{path.name}",
                "profile": "data-resource", "format": path.suffix.lstrip("."),
                "mediatype": "text/csv" if path.suffix == ".csv" else "text/plain",
                "encoding": "utf-8",
                "description": "A source as stored, byte for byte (sources.csv: raw_path, sha256)."})
        elif path.suffix == ".xlsx":
            # One resource per table sheet, each pointed at its sheet: a reader of the file takes
            # the first sheet, which is the README (prose, not a table).
            resources.extend({
                "name": f"workbook-{table.name}", "path": path.name, "profile": "data-resource",
                "format": "xlsx",
                "mediatype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "dialect": {"excel": {"sheet": table.name}},
                "description": f"The {table.name} table: sheet {table.name} of the Excel workbook, "
                               f"whose first sheet ({README_SHEET}) explains every column.",
                "schema": schemas[table.name]} for table in schema.TABLES)
    by_path = {(f"raw/{p.name}" if p.parent.name == "raw" else p.name): p for p in written}
    digests = {name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in by_path.items()}
    for resource in resources:
        target = by_path[resource["path"]]
        # Frictionless reads Parquet through pyarrow, not through its byte stream, so it counts no
        # bytes and reports any declared count as wrong; the SHA-256 still pins the file.
        if resource["format"] != "parquet":
            resource["bytes"] = target.stat().st_size
        resource["hash"] = "sha256:" + digests[resource["path"]]
    # Parquet and Excel files are resources but not tabular (CSV) ones.
    package["profile"] = "data-package"
    package["resources"] = resources
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"
