"""Markup payloads in every text column of every table, for the escaping tests (issue 13.2).

:func:`poison` copies ``data/`` and appends :data:`PAYLOAD` to every free-text cell: names,
titles, descriptions, notes, quotes, sections, urls. Ids, foreign keys, vocabulary
columns, dates and numbers are left alone so that the tables still load and join (the validator
refuses the copy, on purpose: these tests bypass it to check the second line of defence, the
escaping at render time).
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

from chengguan.tables import schema
from chengguan.tables.io import read_csv

PAYLOAD = "<img src=x onerror=alert(4)>"
# The payload as it may appear once escaped for HTML (quote=False or True).
ESCAPED = ("&lt;img src=x onerror=alert(4)&gt;",)
# What must never appear in rendered output: the payload's tag with a real "<" (escaped, it
# starts "&lt;"; the reports' own <img> tags, with the payload escaped in their alt text, are fine).
LIVE = re.compile(r"<img\s+src=x\s+onerror", re.IGNORECASE)
KEPT = {"raw_path", "number_text"}  # machine-read: a file path, a mention the parser reads


def text_columns(table: schema.TableSchema) -> list[str]:
    """The free-text columns of ``table``: strings without vocabulary, pattern or foreign key."""
    keys = {key.column for key in table.foreign_keys} | {table.primary_key}
    return [f.name for f in table.fields
            if f.type == "string" and f.enum is None and f.pattern is None
            and f.name not in keys and f.name not in KEPT]


def poison(source: Path, dest: Path, payload: str = PAYLOAD) -> Path:
    """Copy the data directory ``source`` to ``dest`` with ``payload`` in every text cell."""
    shutil.copytree(source, dest)
    for table in schema.TABLES:
        columns = text_columns(table)
        csv_file = read_csv(dest / table.filename)
        with open(dest / table.filename, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(csv_file.header)
            for row in csv_file:
                writer.writerow([row[c] + payload if c in columns else row[c]
                                 for c in csv_file.header])
    return dest
