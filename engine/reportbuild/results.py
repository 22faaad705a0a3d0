"""A run's key results: read from the executed notebook, written to ``outputs/<run>.results.json``.

The notebook's cell tagged ``key-results`` displays one bundle whose
``application/vnd.chengguan.results+json`` part is ``{"results": [...]}`` (see
docs/architecture.md, "Contracts"). The engine checks its shape, adds the run's name, notebook,
language, parameters and the report's title, and writes it beside the report. The site reads the
row marked ``headline`` for the report's one-line finding.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from chengguan.contract import RESULTS_MIMETYPE

KEY_RESULTS_TAG = "key-results"
FIELDS = ("name", "value", "unit", "label", "display", "lower", "upper", "headline")
FORMAT = 1


class ResultsError(ValueError):
    """The key results a notebook displayed do not follow the contract."""


def find_results(nb: Any) -> list[dict[str, Any]] | None:
    """The ``results`` list of the notebook's key-results output, or None when it shows none.

    Raises :class:`ResultsError` when there are several, or one of the wrong shape.
    """
    found = []
    for number, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {})
            if RESULTS_MIMETYPE in data:
                found.append((number, data[RESULTS_MIMETYPE]))
    if not found:
        return None
    if len(found) > 1:
        cells = ", ".join(str(n) for n, _ in found)
        raise ResultsError(f"key results are displayed more than once (cells {cells}); display them once")
    number, payload = found[0]
    if isinstance(payload, str):  # nbformat may keep JSON mimetypes as text
        try:
            payload = json.loads(payload)
        except ValueError as err:
            raise ResultsError(f"cell {number}: the key results are not JSON: {err}") from None
    return _checked(payload, number)


def _checked(payload: Any, cell: int) -> list[dict[str, Any]]:
    where = f"cell {cell}: key results"
    if not isinstance(payload, Mapping) or not isinstance(payload.get("results"), list):
        raise ResultsError(f'{where} must be {{"results": [...]}}')
    rows = payload["results"]
    names = set()
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise ResultsError(f"{where}, row {i}: not an object")
        missing = [f for f in FIELDS if f not in row]
        if missing:
            raise ResultsError(f"{where}, row {i} ({row.get('name', '?')}): missing {', '.join(missing)}")
        if not isinstance(row["name"], str) or not row["name"]:
            raise ResultsError(f"{where}, row {i}: name must be a non-empty string")
        if row["name"] in names:
            raise ResultsError(f"{where}: name {row['name']!r} appears twice")
        names.add(row["name"])
        for key in ("value", "lower", "upper"):
            value = row[key]
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not math.isfinite(value)):
                raise ResultsError(f"{where}, {row['name']}: {key} must be a finite number or null, not {value!r}")
        for key in ("label", "display", "unit"):
            if not isinstance(row[key], str):
                raise ResultsError(f"{where}, {row['name']}: {key} must be text")
        if not isinstance(row["headline"], bool):
            raise ResultsError(f"{where}, {row['name']}: headline must be true or false")
    headlines = [row["name"] for row in rows if row["headline"]]
    if rows and len(headlines) != 1:
        raise ResultsError(f"{where}: exactly one row must have headline true, not {len(headlines)} ({headlines})")
    return [dict(row) for row in rows]


def results_document(*, run: str, notebook: str, parameters: Mapping[str, Any],
                     results: list[dict[str, Any]], title: str | None) -> dict[str, Any]:
    """What ``outputs/<run>.results.json`` holds."""
    lang = parameters.get("lang")
    return {"format": FORMAT, "run": run, "notebook": notebook, "lang": lang if isinstance(lang, str) else None,
            "title": title, "parameters": dict(parameters), "results": results}


def headline(document: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The row marked headline, or None."""
    if not document:
        return None
    row = next((row for row in document.get("results", []) if isinstance(row, Mapping) and row.get("headline")), None)
    return None if row is None else dict(row)


def dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
