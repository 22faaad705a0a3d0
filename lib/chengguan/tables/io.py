"""Read the project's CSV files while remembering where each row stands in the file.

Validation messages must name the *physical* line of a row (the header is line 1), and a quoted
field may span several lines, so the row index is not enough: the line is taken from the csv
module's count of lines consumed before the row began.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Row:
    """One data row: its first physical line in the file and its cells by column name.

    ``width`` is the number of fields the row really had; when it differs from the header's,
    missing cells read as "" and surplus ones are dropped (validation reports the mismatch).
    """

    line: int
    cells: dict[str, str]
    width: int

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


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


def read_csv(path: Path) -> CsvFile:
    """Read ``path`` (UTF-8, RFC 4180) into a :class:`CsvFile`; blank lines are skipped.

    An empty file has an empty header and no rows.
    """
    # newline="" hands line endings inside quoted fields to the csv module untouched.
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header: tuple[str, ...] = ()
        rows: list[Row] = []
        consumed = 0  # physical lines consumed before the current record
        for record in reader:
            start = consumed + 1
            consumed = reader.line_num
            if not record:
                continue
            if not header:
                header = tuple(record)
                continue
            cells = {name: (record[i] if i < len(record) else "") for i, name in enumerate(header)}
            rows.append(Row(line=start, cells=cells, width=len(record)))
    return CsvFile(path=path, header=header, rows=tuple(rows))
