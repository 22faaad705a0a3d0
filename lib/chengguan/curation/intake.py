"""Bring new material into ``data/``: a source document, and reviewed rows for the tables.

Both steps of the new-source workflow that write to ``data/`` are here (README, "Adding a source
document"), and both keep the tables valid: the new rows are first written to a scratch copy of
the tables and validated there with every rule; only when that copy is valid are the real files
replaced (each atomically), otherwise nothing changes and the problems are returned, located in
the files the user edits (a draft row's problem names the draft file and line).

- :func:`add_source` stores a document byte for byte in ``data/raw/`` under a name carrying its
  checksum, and appends its ``sources.csv`` row (with the SHA-256) and the regenerated
  ``datapackage.json``.
- :func:`append_rows` appends rows to tables (the reviewed draft of ``chengguan.curation.draft``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from chengguan import paths
from chengguan.curation import datapackage
from chengguan.curation.validate import Problem, validate
from chengguan.tables import schema
from chengguan.tables.io import TableReadError, decode, read_csv, read_text

RAW_NAME = re.compile(r"([0-9]{3})_")
# A source document is a report or a page of text (the 2022 summary is 35 kB). Far larger input is
# a mistake (a whole site, a log) that would make every later validation and draft crawl.
MAX_DOCUMENT_BYTES = 5_000_000
# The suffix of a stored name: a plain extension, so that no raw_path holds a space, markup or
# a path separator whatever the name of the file given.
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")
# Control characters that no text document holds (tab, line and page breaks are text).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class IntakeRefused(ValueError):
    """The new material would leave the tables invalid; nothing was written."""

    def __init__(self, problems: list[Problem | str]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class DraftRow:
    """A row to append, and where it was written by the user (for messages)."""

    cells: dict[str, str]
    origin: str = ""  # "drafts/x/observations.csv:4"; "" when it has none


@dataclass
class Appended:
    """What :func:`append_rows` wrote: rows per table."""

    counts: dict[str, int] = field(default_factory=dict)


# -- sources -----------------------------------------------------------------------------------


def add_source(document: Path | str, *, source_id: str, title: str, issuer: str, issued: str,
               url: str, title_zh: str = "", title_en: str = "", issuer_zh: str = "",
               issuer_en: str = "", scope_id: str = "city",
               kind: str = "official_report",
               reliability: str, reliability_note_zh: str, reliability_note_en: str,
               doc_number: str = "",
               data_dir: Path | str | None = None) -> dict[str, str]:
    """Store ``document`` in ``raw/`` and add its ``sources.csv`` row; return that row.

    The reliability is the curator's choice, with its reason in both languages (each report shows
    it in its own); ``title_zh`` and ``title_en`` are given both or neither, the names reports give a source whose
    ``title`` is a description rather than its verbatim title; ``issuer_zh`` and ``issuer_en`` name the
    issuer in a report's language where ``issuer`` is not in it.

    The raw file is named ``raw/NNN_<first 16 hex digits of its SHA-256><suffix>`` (NNN: the
    next free number) and is never changed afterwards. Raises :class:`IntakeRefused` when the
    text is not UTF-8, is already stored, or the row is invalid (nothing is written then).
    """
    base = Path(data_dir) if data_dir is not None else paths.data_dir()
    if not (reliability_note_zh.strip() and reliability_note_en.strip()):
        raise IntakeRefused([f"{source_id}: the reliability needs its reason in both languages "
                             "(--reliability-note-zh and --reliability-note-en)"])
    document = Path(document)
    if not document.is_file():  # a folder, /dev/zero, a pipe: nothing to store byte for byte
        raise IntakeRefused([f"{document}: is not a file" if document.exists()
                             else f"{document}: no such file"])
    size = document.stat().st_size
    if size > MAX_DOCUMENT_BYTES:  # checked before reading it into memory
        raise IntakeRefused([f"{document}: is {size / 1e6:.1f} MB; a source document is at most "
                             f"{MAX_DOCUMENT_BYTES / 1e6:.0f} MB (the 2022 summary is 35 kB): store "
                             "the report itself, not a site or a collection"])
    suffix = document.suffix or ".txt"
    if not _SUFFIX.fullmatch(suffix):
        raise IntakeRefused([f"{document}: its suffix {suffix!r} is not a plain extension (letters "
                             "and digits, e.g. .txt): rename the file"])
    data = document.read_bytes()
    try:
        text = decode(data, str(document))  # quotes must be matched against it: UTF-8 only
    except TableReadError as error:
        raise IntakeRefused([str(error)]) from None
    if not text.strip():
        raise IntakeRefused([f"{document}: is empty: there is nothing to quote"])
    if control := _CONTROL.search(text):
        line = text.count("\n", 0, control.start()) + 1
        raise IntakeRefused([f"{document}:{line}: holds the control character "
                             f"{control.group()!r}: not a text document (binary data?); store the "
                             "text of the report"])
    digest = hashlib.sha256(data).hexdigest()
    for stored in read_csv(base / schema.SOURCES.filename):
        if stored["sha256"] == digest and not stored["raw_path"].endswith(".csv"):
            raise IntakeRefused([f"{document}: already stored as {stored['raw_path']} "
                                 f"(source {stored['source_id']})"])
    raw_dir = base / "raw"
    numbers = [int(m.group(1)) for p in raw_dir.iterdir() if (m := RAW_NAME.match(p.name))]
    raw_path = f"raw/{max(numbers, default=-1) + 1:03d}_{digest[:16]}{suffix}"
    row = {
        "source_id": source_id, "title": title, "title_zh": title_zh, "title_en": title_en,
        "issuer": issuer, "issuer_zh": issuer_zh, "issuer_en": issuer_en, "doc_number": doc_number,
        "issued": issued, "url": url, "scope_id": scope_id, "kind": kind,
        "reliability": reliability, "reliability_note_zh": reliability_note_zh,
        "reliability_note_en": reliability_note_en,
        "raw_path": raw_path, "sha256": digest,
    }
    target = base / raw_path
    shutil.copyfile(document, target)
    try:
        append_rows({"sources": [DraftRow(row, "the new sources.csv row")]}, base)
    except BaseException:
        target.unlink()
        raise
    datapackage.write(base)  # its "sources" list is generated from sources.csv
    return row


# -- appending rows ----------------------------------------------------------------------------


def read_draft(draft_dir: Path | str) -> dict[str, list[DraftRow]]:
    """The rows of every table file in ``draft_dir`` (columns: the table's, plus ``review``).

    ``review`` (the drafting notes) is dropped; a row whose cells are all empty is skipped.
    """
    draft_dir = Path(draft_dir)
    rows: dict[str, list[DraftRow]] = {}
    for table in schema.TABLES:
        path = draft_dir / table.filename
        if not path.is_file():
            continue
        shown = f"{draft_dir.name}/{table.filename}"
        csv_file = read_csv(path, shown)
        unknown = [c for c in csv_file.header if c not in table.columns and c != "review"]
        missing = [c for c in table.columns if c not in csv_file.header]
        if unknown or missing:
            raise IntakeRefused([f"{shown}:1: the header must be the columns of {table.filename} "
                                 f"(and review); unknown: {', '.join(unknown) or 'none'}, "
                                 f"missing: {', '.join(missing) or 'none'}"])
        rows[table.name] = [
            DraftRow({c: row[c] for c in table.columns}, f"{shown}:{row.line}")
            for row in csv_file if any(row[c] for c in table.columns)
        ]
    return rows


def append_rows(rows: dict[str, list[DraftRow]], data_dir: Path | str | None = None) -> Appended:
    """Append ``rows`` to the tables if every table then validates; else raise, writing nothing.

    Problems on appended rows are reported at their origin (the draft file and line).
    """
    base = Path(data_dir) if data_dir is not None else paths.data_dir()
    rows = _with_own_series(rows)
    new_text: dict[str, str] = {}
    origins: dict[tuple[str, int], str] = {}  # (shown table file, line) -> origin of the row
    for name, table_rows in rows.items():
        if not table_rows:
            continue
        table = schema.table(name)
        text = read_text(base / table.filename)
        if text and not text.endswith("\n"):
            text += "\n"
        line = text.count("\n") + 1
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in table_rows:
            start = len(buffer.getvalue())
            writer.writerow([row.cells.get(c, "") for c in table.columns])
            origins[(f"data/{table.filename}", line)] = row.origin
            line += buffer.getvalue().count("\n", start)
        new_text[name] = text + buffer.getvalue()
    problems = _validate_with(base, new_text)
    if problems:
        raise IntakeRefused([_located(p, origins) for p in problems])
    for name, text in new_text.items():
        _replace(base / schema.table(name).filename, text)
    return Appended({name: len(r) for name, r in rows.items() if r})


def _with_own_series(rows: dict[str, list[DraftRow]]) -> dict[str, list[DraftRow]]:
    """A new indicator whose ``series_id`` is left empty is a series of its own: the series row
    (same id, domain, names and unit) is appended with it. A draft that names a series joins it."""
    own = [row for row in rows.get("indicators", []) if not row.cells.get("series_id")]
    if not own:
        return rows
    added = [DraftRow({"series_id": row.cells.get("indicator_id", ""),
                       **{c: row.cells.get(c, "") for c in ("domain_id", "name_zh", "name_en",
                                                              "unit")}}, row.origin)
             for row in own]
    for row in own:
        row.cells["series_id"] = row.cells.get("indicator_id", "")
    merged = {**rows, "series": [*rows.get("series", []), *added]}
    return {t.name: merged[t.name] for t in schema.TABLES if t.name in merged}


def _validate_with(base: Path, new_text: dict[str, str]) -> list[Problem]:
    """Validate the tables of ``base`` with some files' text replaced, in a scratch copy."""
    with tempfile.TemporaryDirectory(prefix="chengguan-intake-") as scratch:
        copy = Path(scratch) / "data"  # named data/ so that messages read data/<table>.csv
        copy.mkdir()
        for table in schema.TABLES:
            source = base / table.filename
            if table.name in new_text:
                (copy / table.filename).write_text(new_text[table.name], encoding="utf-8")
            elif source.exists():
                shutil.copyfile(source, copy / table.filename)
        for entry in base.iterdir():  # raw/ and anything else the rows refer to, unchanged
            if not (copy / entry.name).exists():
                (copy / entry.name).symlink_to(entry.resolve())
        return validate(copy)


def _located(problem: Problem, origins: dict[tuple[str, int], str]) -> Problem | str:
    origin = origins.get((problem.file, problem.line or 0))
    if not origin:
        return problem
    text = str(problem)
    return f"{origin}: {text.split(': ', 1)[1]}"


def _replace(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
