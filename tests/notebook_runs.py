"""Executing the domain notebooks for the tests: papermill runs in parallel, reading their outputs.

Shared by ``test_notebooks_run.py`` and ``test_notebooks_more.py``. Each run is one kernel in its
own process so a module's runs overlap; each notebook ends with a cell tagged ``key-results``
whose output carries its headline numbers as ``application/json``.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
import papermill

from chengguan.theme import find_cjk_font

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "chengguan"

Runs = dict[str, tuple[str, dict[str, Any]]]
"""Run name -> (notebook stem, papermill parameters)."""


def execute(stem: str, parameters: dict[str, Any], output: str | Path) -> None:
    """Run one notebook of ``notebooks/`` through papermill into ``output``."""
    papermill.execute_notebook(
        str(NOTEBOOKS / f"{stem}.ipynb"), str(output), parameters=parameters, kernel_name=KERNEL,
        cwd=str(NOTEBOOKS), progress_bar=False, log_output=False,
    )


def _execute_or_error(stem: str, parameters: dict[str, Any], output: str) -> str | None:
    """Run one notebook; the error text when it fails (for the assertion message), else None.

    A kernel that fails to *start* (a port taken by another kernel starting at the same moment,
    no answer in time, or death before its first reply on a loaded machine) is started again, up to twice: nothing of the
    notebook has run then, so the retry changes no result.
    """
    import zmq

    for attempt in range(3):
        try:
            execute(stem, parameters, output)
        except papermill.PapermillExecutionError as error:
            return f"{error.ename}: {error.evalue}"
        except (zmq.ZMQError, RuntimeError) as error:
            # jupyter_client's two ways of saying the kernel never came up
            starting = isinstance(error, zmq.ZMQError) or any(
                words in str(error) for words in ("didn't respond", "died before replying to kernel_info"))
            if not starting or attempt == 2:
                raise
            continue
        return None
    return None  # pragma: no cover - the loop returns or raises


def execute_all(runs: Runs, out: Path) -> dict[str, nbformat.NotebookNode]:
    """Execute every run in parallel processes into ``out``; the executed notebooks by run name.

    Fails (assertion) with every run's error text when any run fails.
    """
    paths = {name: str(out / f"{name}.ipynb") for name in runs}
    with ProcessPoolExecutor(max_workers=len(runs)) as pool:
        futures = {name: pool.submit(_execute_or_error, stem, params, paths[name])
                   for name, (stem, params) in runs.items()}
        errors = {name: f.result() for name, f in futures.items()}
    failed = {name: e for name, e in errors.items() if e}
    assert not failed, failed
    return {name: nbformat.read(paths[name], as_version=4) for name in runs}


def outputs(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """All outputs of the code cells, in order."""
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


def stderr(nb: nbformat.NotebookNode) -> str:
    """Everything the notebook wrote to stderr (where font and other warnings land)."""
    return "".join(o["text"] for o in outputs(nb)
                   if o["output_type"] == "stream" and o["name"] == "stderr")


def key_results(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """The JSON output of the one cell tagged ``key-results``."""
    cells = [c for c in nb.cells if "key-results" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, "exactly one cell tagged key-results"
    data = [o["data"]["application/json"] for o in cells[0].outputs
            if "application/json" in o.get("data", {})]
    assert len(data) == 1
    return json.loads(json.dumps(data[0]))


def assert_ran_cleanly(nb: nbformat.NotebookNode, requested_lang: str) -> None:
    """No error output, no font (or other) warning on stderr, a figure, the language expected."""
    outs = outputs(nb)
    assert not [o for o in outs if o["output_type"] == "error"]
    errors = stderr(nb)
    assert "missing from font" not in errors
    assert "Warning" not in errors.replace("MissingCJKFontWarning", "")
    assert sum("image/png" in o.get("data", {}) for o in outs) >= 1
    assert key_results(nb)["lang"] == expected_lang(requested_lang)


def expected_lang(requested: str) -> str:
    """The language a run ends up in: Chinese falls back to English without a CJK font."""
    return requested if requested == "en" or find_cjk_font() is not None else "en"


# -- the research-notebook pattern (issue 8): language cells, results as a display bundle ----------

from chengguan.contract import RESULTS_MIMETYPE  # noqa: E402


def for_language(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """``nb`` without the other language's cells (tagged ``lang-zh`` / ``lang-en``), as the build
    engine runs it."""
    other = {"zh": "lang-en", "en": "lang-zh"}[lang]
    kept = [c for c in nb.cells if other not in c.get("metadata", {}).get("tags", [])]
    return nbformat.from_dict({**nb, "cells": kept})


def execute_report(stem: str, parameters: dict[str, Any], output: str | Path,
                   root: Path = ROOT) -> None:
    """Run one notebook as the engine does: in the language of ``parameters["lang"]``.

    The kernel starts in ``root/notebooks``, so the notebook reads ``root``'s tables.
    """
    notebooks = root / "notebooks"
    nb = nbformat.read(notebooks / f"{stem}.ipynb", as_version=4)
    source = Path(output).with_suffix(".in.ipynb")
    nbformat.write(for_language(nb, parameters.get("lang", "zh")), source)
    papermill.execute_notebook(
        str(source), str(output), parameters=parameters, kernel_name=KERNEL,
        cwd=str(notebooks), progress_bar=False, log_output=False,
    )


def _report_or_error(stem: str, parameters: dict[str, Any], output: str) -> str | None:
    try:
        execute_report(stem, parameters, output)
    except papermill.PapermillExecutionError as error:
        return f"{error.ename}: {error.evalue}"
    return None


def execute_reports(runs: Runs, out: Path, workers: int = 2) -> dict[str, nbformat.NotebookNode]:
    """Execute every run as a one-language report, ``workers`` at a time; fail with every error."""
    paths = {name: str(out / f"{name}.ipynb") for name in runs}
    with ProcessPoolExecutor(max_workers=min(workers, len(runs))) as pool:
        futures = {name: pool.submit(_report_or_error, stem, params, paths[name])
                   for name, (stem, params) in runs.items()}
        errors = {name: f.result() for name, f in futures.items()}
    failed = {name: e for name, e in errors.items() if e}
    assert not failed, failed
    return {name: nbformat.read(paths[name], as_version=4) for name in runs}


def results(nb: nbformat.NotebookNode) -> dict[str, dict[str, Any]]:
    """The key results of an executed report by name (the payload the engine publishes)."""
    cells = [c for c in nb.cells if "key-results" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, "exactly one cell tagged key-results"
    payloads = [o["data"][RESULTS_MIMETYPE] for o in cells[0].outputs
                if RESULTS_MIMETYPE in o.get("data", {})]
    assert len(payloads) == 1, "the key-results cell displays one results bundle"
    rows = json.loads(json.dumps(payloads[0]))["results"]
    assert sum(r["headline"] for r in rows) == 1
    return {r["name"]: r for r in rows}


def html_outputs(nb: nbformat.NotebookNode) -> str:
    """Every text/html output of the code cells, joined."""
    return "\n".join(str(o["data"]["text/html"]) for o in outputs(nb)
                     if "text/html" in o.get("data", {}))


def markdown_text(nb: nbformat.NotebookNode) -> str:
    """The markdown a reader sees: markdown cells and Markdown outputs of code cells."""
    cells = [c.source for c in nb.cells if c.cell_type == "markdown"]
    shown = [str(o["data"]["text/markdown"]) for o in outputs(nb)
             if "text/markdown" in o.get("data", {})]
    return "\n".join(cells + shown)


def assert_clean_report(nb: nbformat.NotebookNode, lang: str) -> None:
    """No error, nothing on stderr, every chart with alt text, results present, one language."""
    outs = outputs(nb)
    assert not [o for o in outs if o["output_type"] == "error"]
    assert stderr(nb) == "", stderr(nb)
    assert not [o for o in outs if "image/png" in o.get("data", {})], \
        "charts go through chengguan.display.show_figure (alt text, 2x PNG)"
    html = html_outputs(nb)
    assert '<figure class="chart">' in html
    assert 'alt=""' not in html
    results(nb)
    text = markdown_text(nb)
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    if lang == "zh":
        assert han > latin, "a zh report's prose is Chinese"
    else:
        # quotes and names aside, an en report's prose is English
        assert latin > 5 * han, "an en report's prose is English"


_CACHE: dict[str, nbformat.NotebookNode] = {}
_CACHE_DIR: Path | None = None


def reports(names: list[str] | None = None, workers: int = 2) -> dict[str, nbformat.NotebookNode]:
    """The executed reports of ``report_runs.RUNS`` named ``names`` (all when None).

    Runs not executed yet in this session are executed together, ``workers`` at a time.
    """
    import tempfile  # noqa: PLC0415

    from report_runs import RUNS  # noqa: PLC0415

    global _CACHE_DIR
    wanted = list(RUNS) if names is None else names
    unknown = [n for n in wanted if n not in RUNS]
    assert not unknown, f"not in tests/report_runs.py: {unknown}"
    missing = {n: RUNS[n] for n in wanted if n not in _CACHE}
    if missing:
        if _CACHE_DIR is None:
            _CACHE_DIR = Path(tempfile.mkdtemp(prefix="chengguan-reports-"))
        _CACHE.update(execute_reports(missing, _CACHE_DIR, workers))
    return {n: _CACHE[n] for n in wanted}
