"""Read the project's CSV files while remembering where each row stands in the file.

Validation messages must name the *physical* line of a row (the header is line 1), and a quoted
field may span several lines, so the row index is not enough: the line is taken from the csv
module's count of lines consumed before the row began.

Encoding rule, the same for the validator, the loader, the sources and the build: a file is
UTF-8, and a leading UTF-8 byte-order mark is accepted and ignored (Excel's "CSV UTF-8" writes
one). Any other encoding (GBK from Excel's plain "CSV" on a Chinese system, UTF-16 from "Unicode
text") is refused with one :class:`TableReadError` naming the file, the encoding it looks like
and the first line that is not UTF-8.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


class TableReadError(ValueError):
    """A file that cannot be read as a table: wrong encoding or broken CSV quoting.

    ``str(error)`` is one line: ``FILE[:LINE]: message``; ``rule`` is "encoding" or "csv".
    """

    def __init__(self, file: str, line: int | None, message: str, rule: str = "csv") -> None:
        self.file = file
        self.line = line
        self.message = message
        self.rule = rule
        where = file if line is None else f"{file}:{line}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Row:
    """One data row: its first physical line in the file and its cells by column name.

    ``width`` is the number of fields the row really had; when it differs from the header's,
    missing cells read as "" and surplus ones are dropped (validation reports the mismatch).
    ``end_line`` is the last physical line the row takes (a quoted field may hold line breaks).
    """

    line: int
    cells: dict[str, str]
    width: int
    end_line: int = 0

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")

    def line_breaks(self, allowed: Iterable[str] = ()) -> Iterator[tuple[str, int]]:
        """(column, line where the cell opens) of every cell that holds a line break.

        Outside the ``allowed`` (free-text) columns such a cell is nearly always a quote left
        open that has swallowed the rows after it; the line where it opens is where to look.
        """
        allowed = set(allowed)
        line = self.line
        for column, value in self.cells.items():
            if column not in allowed and ("\n" in value or "\r" in value):
                yield column, line
            line += value.count("\n")


@dataclass(frozen=True)
class CsvFile:
    """A CSV file read whole: header (line 1) and rows in file order."""

    path: Path
    header: tuple[str, ...]
    rows: tuple[Row, ...]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def shown_path(path: Path) -> str:
    """How messages name a file: its folder and name, e.g. ``data/scopes.csv``."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def decode(data: bytes, shown: str) -> str:
    """The text of a file's bytes under the encoding rule (UTF-8, optional BOM).

    Raises :class:`TableReadError` naming ``shown``, the encoding the bytes look like and the
    line of the first byte that is not UTF-8.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TableReadError(shown, None, f"the file is UTF-16 (it starts with a UTF-16 "
                             f"byte-order mark), not UTF-8; {_advice(shown)}", "encoding")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise TableReadError(shown, line, f"the file is not UTF-8 (its first other byte is on this line): "
                             f"{_guess(data)}; {_advice(shown)}", "encoding") from None


def _advice(shown: str) -> str:
    convert = "iconv -f GB18030 -t UTF-8 OLD > NEW"
    if shown.lower().endswith(".csv"):
        return f"save it as \"CSV UTF-8\" in Excel, or convert it: {convert}"
    return f"convert it to UTF-8: {convert}"


def _guess(data: bytes) -> str:
    """Which encoding undecodable bytes look like, for the message."""
    half = len(data) // 4
    if len(data) >= 4 and (data[1::2].count(0) > half or data[0::2].count(0) > half):
        return "it looks like UTF-16 without a byte-order mark"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return "its encoding is unknown (neither UTF-8 nor GBK/GB18030)"
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return "it is GBK/GB18030 (what Excel's plain \"CSV\" writes on a Chinese system)"
    return "it reads as GB18030 but holds no Chinese text, so its encoding is unclear"


def read_text(path: Path, shown: str | None = None) -> str:
    """The text of ``path`` under the encoding rule; errors name ``shown`` (default: dir/name)."""
    return decode(Path(path).read_bytes(), shown or shown_path(Path(path)))


def read_csv(path: Path, shown: str | None = None) -> CsvFile:
    """Read ``path`` (UTF-8, optional BOM, RFC 4180) into a :class:`CsvFile`; blank lines skipped.

    An empty file has an empty header and no rows. Raises :class:`TableReadError` for another
    encoding and for a quote still open at the end of the file (naming the line it opens on).
    """
    path = Path(path)
    shown = shown or shown_path(path)
    text = read_text(path, shown)
    # newline="" hands line endings inside quoted fields to the csv module untouched.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: tuple[str, ...] = ()
    rows: list[Row] = []
    consumed = 0  # physical lines consumed before the current record
    while True:
        start = consumed + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise TableReadError(shown, start, _csv_error(str(error), reader.line_num)) from None
        consumed = reader.line_num
        if not record:
            continue
        if not header:
            header = tuple(record)
            continue
        cells = {name: (record[i] if i < len(record) else "") for i, name in enumerate(header)}
        rows.append(Row(line=start, cells=cells, width=len(record), end_line=consumed))
    return CsvFile(path=path, header=header, rows=tuple(rows))


def _csv_error(reason: str, line: int) -> str:
    """The csv module's complaint as advice; ``line`` is how far the reader had got."""
    if "unexpected end of data" in reason:
        return ("a quoted field opens in this row and is never closed: it swallows every "
                "line to the end of the file; add the closing quote")
    if "expected after" in reason:
        return (f"a quoted field opens in this row and runs on to line {line}, where a quote "
                f"is followed by more text; a closing quote is probably missing in this row")
    return f"is not valid CSV ({reason}, reading on to line {line}); check the quotes of this row"
