"""The Frictionless Data Package descriptor of ``data/``, generated from ``schema.py``.

``data/datapackage.json`` is never edited by hand: ``chengguan-data datapackage`` writes it and
``chengguan-data datapackage --check`` (and the test suite) fails when the committed file differs
from what the schema and ``sources.csv`` generate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chengguan.tables import schema
from chengguan.tables.io import read_csv
from chengguan.tables.schema import Field, TableSchema

FILENAME = "datapackage.json"

_PACKAGE = {
    "profile": "tabular-data-package",
    "name": "chengguan-enforcement",
    "title": "Shanghai city-management enforcement (城管执法) in numbers you can trace",
    "description": (
        "Every figure of the Shanghai Municipal Bureau of City Management Administrative Law "
        "Enforcement's work summary for 2022 (沪城管执〔2023〕14号), and figures of other public "
        "pages, each with its verbatim quote, source, scope and period. The source documents "
        "are public government information, kept unchanged in raw/ with their SHA-256 in "
        "sources.csv; the tables are licensed CC-BY-4.0."
    ),
    "licenses": [{
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0 International",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    }],
}


def descriptor(data_dir: Path) -> dict[str, Any]:
    """The package descriptor for ``data_dir`` (its sources are read from ``sources.csv``)."""
    return {
        **_PACKAGE,
        "sources": _sources(data_dir / schema.SOURCES.filename),
        "resources": [_resource(table) for table in schema.TABLES],
    }


def render(data_dir: Path) -> str:
    """The descriptor as the exact text of ``datapackage.json``."""
    return json.dumps(descriptor(data_dir), ensure_ascii=False, indent=2) + "\n"


def write(data_dir: Path) -> Path:
    path = data_dir / FILENAME
    path.write_text(render(data_dir), encoding="utf-8")
    return path


def is_current(data_dir: Path) -> bool:
    """Whether the committed ``datapackage.json`` is what the schema generates."""
    path = data_dir / FILENAME
    return path.is_file() and path.read_text(encoding="utf-8") == render(data_dir)


def _sources(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    return [
        {"title": row["title"], "path": row["url"]} if row["url"] else {"title": row["title"]}
        for row in read_csv(path)
    ]


def _resource(table: TableSchema) -> dict[str, Any]:
    table_schema: dict[str, Any] = {
        "fields": [_field(f) for f in table.fields],
        "primaryKey": [table.primary_key],
    }
    if table.foreign_keys:
        table_schema["foreignKeys"] = [
            {
                "fields": [key.column],
                # "" is the Table Schema spelling of "this resource" (indicators.parent_id).
                "reference": {
                    "resource": "" if key.target_table == table.name else key.target_table,
                    "fields": [key.target_column],
                },
            }
            for key in table.foreign_keys
        ]
    return {
        "name": table.name,
        "title": table.title,
        "description": table.description,
        "path": table.filename,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": table_schema,
    }


def _field(field: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"name": field.name, "type": field.type,
                           "description": field.description}
    if field.type == "boolean":
        out["trueValues"] = list(schema.TRUE_VALUES)
        out["falseValues"] = list(schema.FALSE_VALUES)
    constraints: dict[str, Any] = {}
    if field.required:
        constraints["required"] = True
    if field.unique:
        constraints["unique"] = True
    if field.enum is not None:
        constraints["enum"] = list(field.enum)
    if field.pattern is not None:
        constraints["pattern"] = field.pattern
    if constraints:
        out["constraints"] = constraints
    return out
