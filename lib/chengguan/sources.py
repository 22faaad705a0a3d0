"""The raw text of each source, and the normalized text that quotes are matched against.

A source is a row of ``data/sources.csv``; its ``raw_path`` (relative to ``data/``) names the file
kept byte for byte in ``data/raw/``. Two kinds of raw file exist:

- a document (the primary source): its text is the file itself;
- a phrase file (:data:`PHRASE_FILES`), a CSV of short phrases from public pages shared by several
  sources: ``raw/supplementary_figures.csv`` (columns ``source_url``, ``phrase``) and
  ``raw/cross_year_candidates.csv`` (``url``, ``quote``). The text of one such source is the
  phrase of every row whose url is the source's ``url``, each distinct phrase once, one per line
  (a quote never contains a newline, so it cannot run from one phrase into the next).

Normalization (docs/architecture.md) removes every whitespace run that contains a newline (the
page breaks of the printed original) and every ``**`` (bold markers); :class:`NormalizedText`
keeps the offset of each kept character so that matches map back to raw spans.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from chengguan import paths
from chengguan.quantities import chinese_numeral

if TYPE_CHECKING:
    import pandas as pd

PRIMARY_SOURCE_ID = "cgzf_2022_summary"
SUPPLEMENTARY_RAW_PATH = "raw/supplementary_figures.csv"
CROSS_YEAR_RAW_PATH = "raw/cross_year_candidates.csv"
PHRASE_FILES: dict[str, tuple[str, str]] = {
    SUPPLEMENTARY_RAW_PATH: ("source_url", "phrase"),
    CROSS_YEAR_RAW_PATH: ("url", "quote"),
}
"""Phrase files by raw path: (the column naming the page, the column holding its phrase)."""

# One pass over the text: a bold marker, or a whitespace run holding a newline. The leading
# ``[^\S\n]*`` lets a match start at the first blank of the run, so the whole run goes.
_REMOVED = re.compile(r"\*\*|[^\S\n]*\n\s*")


class UnknownSourceError(KeyError):
    """A source id that ``sources.csv`` does not list."""

    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0])


@dataclass(frozen=True)
class Source:
    """The provenance fields of a source that this module needs."""

    source_id: str
    title: str
    url: str
    raw_path: str
    sha256: str

    @property
    def is_supplementary(self) -> bool:
        """Whether the source's raw file is a phrase file shared with other sources."""
        return self.raw_path in PHRASE_FILES


@dataclass(frozen=True, eq=False)
class NormalizedText:
    """A source's raw text, its normalized form, and the map between their offsets.

    ``raw_lines[k]`` is the file line on which line ``k`` (0-based) of ``raw`` stands; for a
    document that is ``k + 1``, for supplementary phrases the CSV line of the phrase's row.
    """

    source_id: str
    raw: str
    text: str
    offsets: array  # raw offset of each character of ``text``
    raw_lines: tuple[int, ...]

    def to_raw(self, i: int) -> int:
        """The raw offset of normalized offset ``i``; ``len(text)`` maps to ``len(raw)``."""
        if i == len(self.text):
            return len(self.raw)
        if not 0 <= i < len(self.text):
            raise IndexError(f"offset {i} outside the normalized text (length {len(self.text)})")
        return self.offsets[i]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span ``[start', end')`` running from text[start] to text[end - 1] inclusive.

        Removed characters *inside* the span (a page break within a quote) are part of it;
        removed characters just after its end are not.
        """
        if start >= end:
            raise ValueError(f"empty span [{start}, {end})")
        return self.to_raw(start), self.to_raw(end - 1) + 1

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Normalized spans of every occurrence of ``quote`` (overlapping ones included)."""
        spans: list[tuple[int, int]] = []
        if not quote:
            return spans
        start = self.text.find(quote)
        while start != -1:
            spans.append((start, start + len(quote)))
            start = self.text.find(quote, start + 1)
        return spans

    def raw_regions(self, quote: str) -> list[tuple[int, int]]:
        """Raw spans of every occurrence of ``quote`` in the normalized text."""
        return [self.raw_span(start, end) for start, end in self.find_all(quote)]

    def line_of(self, raw_offset: int) -> int:
        """The file line of a raw offset."""
        return self.raw_lines[self.raw.count("\n", 0, raw_offset)]


def normalize(raw: str) -> tuple[str, array]:
    """Normalize ``raw``: return the text and the raw offset of each of its characters."""
    pieces: list[str] = []
    offsets = array("l")
    kept_from = 0
    for removed in _REMOVED.finditer(raw):
        pieces.append(raw[kept_from:removed.start()])
        offsets.extend(range(kept_from, removed.start()))
        kept_from = removed.end()
    pieces.append(raw[kept_from:])
    offsets.extend(range(kept_from, len(raw)))
    return "".join(pieces), offsets


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _data_dir(data_dir: Path | str | None) -> Path:
    return Path(data_dir) if data_dir is not None else paths.data_dir()


def load_sources(data_dir: Path | str | None = None) -> dict[str, Source]:
    """Every source of ``sources.csv`` by id, in file order."""
    path = (_data_dir(data_dir) / "sources.csv").resolve()
    return dict(_load_sources(path, _stamp(path)))


def _stamp(path: Path) -> tuple[int, int]:
    """What changes when a file is rewritten: part of every cache key."""
    status = path.stat()
    return status.st_mtime_ns, status.st_size


@lru_cache(maxsize=16)
def _load_sources(path: Path, stamp: tuple[int, int]) -> dict[str, Source]:
    # Imported here: chengguan.tables imports this module, so a top-level import would be a cycle.
    from chengguan.tables.io import read_csv

    return {
        row["source_id"]: Source(row["source_id"], row["title"], row["url"], row["raw_path"],
                                 row["sha256"])
        for row in read_csv(path)
    }


def source(source_id: str, data_dir: Path | str | None = None) -> Source:
    """The source ``source_id``; :class:`UnknownSourceError` lists the known ids otherwise."""
    known = load_sources(data_dir)
    try:
        return known[source_id]
    except KeyError:
        raise UnknownSourceError(
            f"unknown source {source_id!r}; sources.csv lists: {', '.join(known)}"
        ) from None


def raw_file(source_id: str, data_dir: Path | str | None = None) -> Path:
    """The raw file holding ``source_id`` (shared by all supplementary sources)."""
    return _data_dir(data_dir) / source(source_id, data_dir).raw_path


def checksum_matches(source_id: str, data_dir: Path | str | None = None) -> bool:
    """Whether the raw file's SHA-256 is the one ``sources.csv`` records."""
    return sha256_of(raw_file(source_id, data_dir)) == source(source_id, data_dir).sha256


def raw_text(source_id: str, data_dir: Path | str | None = None) -> str:
    """The source's raw text: the document, or its supplementary phrases one per line."""
    return normalized_text(source_id, data_dir).raw


def normalized_text(source_id: str, data_dir: Path | str | None = None) -> NormalizedText:
    """The normalized text of ``source_id``, cached until sources.csv or the raw file changes."""
    base = _data_dir(data_dir).resolve()
    record = source(source_id, base)
    path = base / record.raw_path
    return _normalized_text(source_id, record, path, _stamp(path))


@lru_cache(maxsize=64)
def _normalized_text(
    source_id: str, record: Source, path: Path, stamp: tuple[int, int]
) -> NormalizedText:
    # ``record`` carries the url and ``stamp`` the raw file's state: a change to either is a
    # new cache key.
    del stamp
    if record.is_supplementary:
        return _supplementary_text(source_id, record.url, path, *PHRASE_FILES[record.raw_path])
    from chengguan.tables.io import read_text

    # Decoding the bytes ourselves keeps every character, "\r" included, at its raw offset;
    # the encoding rule is the tables' (UTF-8, a byte-order mark ignored, anything else refused).
    data_name = path.parents[len(Path(record.raw_path).parts) - 1].name
    raw = read_text(path, f"{data_name}/{record.raw_path}")
    text, offsets = normalize(raw)
    lines = tuple(range(1, raw.count("\n") + 2))
    return NormalizedText(source_id, raw, text, offsets, lines)


def _supplementary_text(source_id: str, url: str, path: Path, url_column: str = "source_url",
                        phrase_column: str = "phrase") -> NormalizedText:
    # Imported here: chengguan.tables imports this module, so a top-level import would be a cycle.
    from chengguan.tables.io import read_csv

    rows, seen = [], set()
    for row in read_csv(path):
        # Several rows may quote the same sentence (one row per figure): it stands once.
        if row[url_column] == url and row[phrase_column] not in seen:
            seen.add(row[phrase_column])
            rows.append(row)
    raw = "\n".join(row[phrase_column] for row in rows)
    texts: list[str] = []
    offsets = array("l")
    at = 0  # raw offset where the current phrase starts
    for row in rows:
        # Each phrase is normalized on its own; the "\n" between phrases is kept, not removed.
        text, phrase_offsets = normalize(row[phrase_column])
        if texts:
            offsets.append(at - 1)
        texts.append(text)
        offsets.extend(at + o for o in phrase_offsets)
        at += len(row[phrase_column]) + 1
    # A phrase spanning lines (none so far) goes on over the following lines of the file.
    lines = tuple(row.line + k for row in rows
                  for k in range(row[phrase_column].count("\n") + 1))
    lines = lines or (1,)
    return NormalizedText(source_id, raw, "\n".join(texts), offsets, lines)


# -- the sections of a document ------------------------------------------------------------------

_PARTS = {"2022 年工作总结": "summary_2022", "2023 年工作计划": "plan_2023"}
_NUMERALS = "一二三四五六七八九十"
_LEVEL1 = re.compile(rf"^([{_NUMERALS}]+)、")
_LEVEL2 = re.compile(rf"^（([{_NUMERALS}]+)）")
# A part's closing review (回顾 …: achievements and shortcomings of the whole year) belongs to no
# numbered section; the distribution list (抄送) closes the document.
_CLOSING = ("回顾",)
_FOOTER = ("抄送",)


def sections(source_id: str = PRIMARY_SOURCE_ID,
             data_dir: Path | str | None = None) -> pd.DataFrame:
    """The document's sections, one row per numbered heading, in order.

    Headings are recognised at line starts of the raw text: a part ("2022 年工作总结",
    "2023 年工作计划"), "一、" (level 1) and "（一）" (level 2). Columns: section_id
    ("summary_2022.2.6"; the part's or a level-1 heading's own text before its first sub-heading
    is "….0"), part, level1, level2 (ints, 0 where absent), heading (the text up to the first
    "。", at most 40 characters), raw_start, raw_end, text (normalized), chars (characters of
    ``text`` other than whitespace and punctuation, a transparent measure of how much the
    document says). Text before the first part (the covering notice) is part "preamble"; a
    part's closing review (a paragraph opening with 回顾) is section "<part>.closing" (levels 0);
    the distribution list from 抄送 on is part "footer".
    """
    import pandas as pd  # noqa: PLC0415 - the rest of this module works without pandas

    doc = normalized_text(source_id, data_dir)
    raw = doc.raw
    starts: list[tuple[int, str, int, int]] = [(0, "preamble", 0, 0)]
    part, level1 = "preamble", 0
    offset = 0
    for line in raw.splitlines(keepends=True):
        stripped = line.strip().replace("**", "")
        if part != "preamble" and stripped.startswith(_FOOTER):
            part, level1 = "footer", 0
            starts.append((offset, part, 0, 0))
        elif part not in ("preamble", "footer") and stripped.startswith(_CLOSING):
            starts.append((offset, part, -1, -1))
        elif stripped in _PARTS:
            part, level1 = _PARTS[stripped], 0
            starts.append((offset, part, 0, 0))
        elif part != "preamble" and (m := _LEVEL1.match(stripped)):
            level1 = chinese_numeral(m.group(1))
            starts.append((offset, part, level1, 0))
        elif part != "preamble" and (m := _LEVEL2.match(stripped)):
            starts.append((offset, part, level1, chinese_numeral(m.group(1))))
        offset += len(line)
    rows = []
    for (start, part_id, l1, l2), following in zip(starts, [*starts[1:], (len(raw), "", 0, 0)]):
        end = following[0]
        text = normalize(raw[start:end])[0].replace("**", "")
        heading = text.split("。")[0][:40]
        if part_id in ("preamble", "footer"):
            section_id = part_id
        elif l1 < 0:
            section_id, l1, l2 = f"{part_id}.closing", 0, 0
        else:
            section_id = f"{part_id}.{l1}.{l2}"
        rows.append({
            "section_id": section_id,
            "part": part_id, "level1": l1, "level2": l2, "heading": heading,
            "raw_start": start, "raw_end": end, "text": text,
            "chars": len(re.sub(r"[\s\W_]", "", text)),
        })
    return pd.DataFrame(rows)
