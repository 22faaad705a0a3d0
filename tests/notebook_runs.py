"""Executing the domain notebooks for the tests: once per session, by the build engine, shared.

Every executed report a test reads comes from one of two engine builds made once per test session
(``session_build``) into a folder shared by the session's processes (pytest-xdist workers too):

- ``site``: the runs of ``reports.toml`` that the site tests read (``site_runs``: every notebook in
  both languages, the district profile for ``SITE_DISTRICTS``), built as ``chengguan-build`` builds
  them, home pages, downloads and data explorer included;
- ``runs``: the runs of ``tests/report_runs.py`` that are not one of those (their parameters
  differ), built from a manifest written for them.

So each notebook × parameters is executed once per session, by the engine's warm kernels, however
many tests read it; ``reports(names)`` hands the executed notebooks out by their name in
``report_runs.RUNS``. The first process that needs a build makes it, for every run the session's
collected tests will read (``conftest.py`` fills ``WANTED``), under a file lock; another process
waiting on the lock then finds the engine's outputs up to date (a no-op build). Each notebook ends
with a cell tagged ``key-results`` whose output carries its headline numbers.
"""

from __future__ import annotations

import functools
import io
import json
import os
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chengguan.theme import find_cjk_font

if TYPE_CHECKING:
    import nbformat

# nbformat and papermill are imported where they are used: every test process imports this module
# through conftest.py, and they cost seconds of CPU at import.

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "chengguan"

Runs = dict[str, tuple[str, dict[str, Any]]]
"""Run name -> (notebook stem, papermill parameters)."""


def execute(stem: str, parameters: dict[str, Any], output: str | Path) -> None:
    """Run one notebook of ``notebooks/`` through papermill into ``output``."""
    import papermill

    papermill.execute_notebook(
        str(NOTEBOOKS / f"{stem}.ipynb"), str(output), parameters=parameters, kernel_name=KERNEL,
        cwd=str(NOTEBOOKS), progress_bar=False, log_output=False,
    )


def execute_all(runs: Runs, out: Path) -> dict[str, nbformat.NotebookNode]:
    """Execute every run with the build engine into ``out``; the executed notebooks by run name.

    The project is the one ``chengguan.paths.project_root`` names (``CHENGGUAN_ROOT`` when set, so
    a test can point it at a copy with other tables); only the runs are built (no table
    validation, no site pages). Fails (assertion) with every run's error text when any run fails.
    """
    import nbformat

    from chengguan.paths import project_root

    root = project_root()
    manifest = out / "reports.toml"
    manifest.write_text(manifest_text(root / "reports.toml", runs, site=False, validate=False), encoding="utf-8")
    built = engine_build(root, manifest, out / "outputs", list(runs))
    failed = built.failures(runs)
    assert not failed, failed
    return {name: nbformat.read(built.layout.ipynb(name), as_version=4) for name in runs}


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
    import nbformat

    other = {"zh": "lang-en", "en": "lang-zh"}[lang]
    kept = [c for c in nb.cells if other not in c.get("metadata", {}).get("tags", [])]
    return nbformat.from_dict({**nb, "cells": kept})


def execute_report(stem: str, parameters: dict[str, Any], output: str | Path,
                   root: Path = ROOT) -> None:
    """Run one notebook as the engine does: in the language of ``parameters["lang"]``.

    The kernel starts in ``root/notebooks``, so the notebook reads ``root``'s tables.
    """
    import nbformat
    import papermill

    notebooks = root / "notebooks"
    nb = nbformat.read(notebooks / f"{stem}.ipynb", as_version=4)
    source = Path(output).with_suffix(".in.ipynb")
    nbformat.write(for_language(nb, parameters.get("lang", "zh")), source)
    papermill.execute_notebook(
        str(source), str(output), parameters=parameters, kernel_name=KERNEL,
        cwd=str(notebooks), progress_bar=False, log_output=False,
    )


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


# -- the session's builds ---------------------------------------------------------------------------

SITE_DISTRICTS = ("pudong", "others")
"""The district profiles the site tests build: one district's own page and the page the districts
without figures of their own share (the others are the same notebook with another parameter)."""

BUILDS_ENV = "CHENGGUAN_TEST_BUILDS"
"""The folder the session's processes share for their builds (set by conftest.py before any
pytest-xdist worker starts); unset, a process uses a temporary folder of its own."""

WANTED: set[str] = set()
"""Names of ``report_runs.RUNS`` that the session's collected tests read (conftest.py)."""
WANTS_SITE = False
"""Whether a collected test reads the site (conftest.py)."""


@dataclass(frozen=True)
class Built:
    """One engine build: its layout, exit code and what it printed."""

    layout: Any  # reportbuild.layout.Layout
    code: int
    out: str
    err: str

    def failures(self, names: Iterable[str]) -> dict[str, str]:
        """The runs of ``names`` without an executed notebook, with the build's account of why."""
        from reportbuild.state import BuildState

        state = BuildState.load(self.layout.state_file)
        missing = [n for n in names if not self.layout.ipynb(n).is_file()]
        return {n: (state.runs[n].error if n in state.runs and state.runs[n].error else self.out + self.err)
                for n in missing}


def _toml(value: Any) -> str:
    """``value`` as a TOML value (the scalars, lists and tables a manifest holds)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML for {value!r}")


def manifest_text(source: Path, runs: Runs, site: bool = True, validate: bool = True) -> str:
    """The text of a manifest with ``source``'s settings and parameter constraints and ``runs`` as
    its runs; without ``site``, no site downloads (nor data explorer), without ``validate``, no
    table validation."""
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    build = {k: v for k, v in data.get("build", {}).items() if validate or k != "validate"}
    lines = ["[build]", *(f"{k} = {_toml(v)}" for k, v in build.items())]
    settings = {k: v for k, v in data.get("site", {}).items() if site or k != "downloads"}
    lines += ["", "[site]", *(f"{k} = {_toml(v)}" for k, v in settings.items())]
    for stem, table in data.get("notebooks", {}).items():
        lines += ["", f"[notebooks.{stem}.parameters]",
                  *(f"{k} = {_toml(v)}" for k, v in table.get("parameters", {}).items())]
    for name, (stem, parameters) in runs.items():
        lines += ["", "[[runs]]", f"name = {_toml(name)}", f"notebook = {_toml(stem)}",
                  f"title = {_toml(name)}", f"parameters = {_toml(parameters)}"]
    return "\n".join(lines) + "\n"


def engine_build(root: Path, manifest: Path, outputs: Path, patterns: list[str]) -> Built:
    """Build ``patterns`` of ``manifest`` into ``outputs`` with the engine, every core a worker."""
    from reportbuild.build import BuildOptions, build
    from reportbuild.layout import Layout

    layout = Layout.create(root=root, manifest=manifest, outputs=outputs)
    out, err = io.StringIO(), io.StringIO()
    code = build(layout, BuildOptions(patterns=patterns), out=out, err=err)
    return Built(layout, code, out.getvalue(), err.getvalue())


@functools.cache
def _site_runs() -> tuple[str, ...]:
    from reportbuild.manifest import load_manifest

    manifest = load_manifest(ROOT / "reports.toml", ROOT)
    return tuple(run.name for run in manifest.runs
                 if run.notebook != "district_profile" or run.parameters.get("district") in SITE_DISTRICTS)


def site_runs() -> list[str]:
    """The runs of ``reports.toml`` the site tests build: every notebook in both languages, the
    district profile for ``SITE_DISTRICTS``."""
    return list(_site_runs())


@functools.cache
def _sources() -> dict[str, str]:
    """Where each run of ``report_runs.RUNS`` is built: the site run with its notebook and
    parameters (by name), or ``""`` for the build of the remaining runs."""
    from report_runs import RUNS
    from reportbuild.manifest import load_manifest

    selected = set(site_runs())
    site = {(run.notebook, json.dumps(run.parameters, sort_keys=True)): run.name
            for run in load_manifest(ROOT / "reports.toml", ROOT).runs if run.name in selected}
    return {name: site.get((stem, json.dumps(params, sort_keys=True)), "") for name, (stem, params) in RUNS.items()}


_BUILDS: dict[str, Built] = {}  # this process's last build of each kind
_ENSURED: set[str] = set()  # what this process has built or found built ("site": all site runs)


def _folder() -> Path:
    folder = os.environ.get(BUILDS_ENV)
    if not folder:
        folder = tempfile.mkdtemp(prefix="chengguan-tests-")
        os.environ[BUILDS_ENV] = folder  # this process's later calls, and nobody else
    return Path(folder)


def session_build(names: Iterable[str] = (), site: bool = False) -> dict[str, Built]:
    """The session's builds, made (or found made) for ``names`` of ``report_runs.RUNS`` and, with
    ``site``, for every site run; the first call builds what every collected test will read.

    Returns ``{"site": ..., "runs": ...}`` (a kind is absent until something needed it).
    """
    from filelock import FileLock

    from report_runs import RUNS

    needed = set(names) | (set(WANTED) if not _ENSURED else set())
    site = site or (WANTS_SITE and not _ENSURED)
    if site:
        needed.add("site")
    if not needed - _ENSURED:
        return _BUILDS
    sources = _sources()
    folder = _folder()
    with FileLock(str(folder / "builds.lock")):
        site_patterns = site_runs() if "site" in needed else sorted({sources[n] for n in needed - {"site"} if sources.get(n)})
        if site_patterns:
            _BUILDS["site"] = engine_build(ROOT, ROOT / "reports.toml", folder / "site" / "outputs", site_patterns)
        extra = sorted(n for n in needed - {"site"} if n in RUNS and not sources[n])
        if extra:
            manifest = folder / "runs" / "reports.toml"
            if not manifest.is_file():
                manifest.parent.mkdir(parents=True, exist_ok=True)
                others = {n: RUNS[n] for n in RUNS if not sources[n]}
                manifest.write_text(manifest_text(ROOT / "reports.toml", others, site=False), encoding="utf-8")
            _BUILDS["runs"] = engine_build(ROOT, manifest, folder / "runs" / "outputs", extra)
    _ENSURED.update(needed)
    return _BUILDS


def site_build() -> Built:
    """The session's build of the site (``site_runs()`` of ``reports.toml``)."""
    return session_build(site=True)["site"]


def reports(names: list[str] | None = None) -> dict[str, nbformat.NotebookNode]:
    """The executed reports of ``report_runs.RUNS`` named ``names`` (all when None), from the
    session's builds; fails with the build's account of every run that did not execute."""
    import nbformat

    from report_runs import RUNS

    wanted = list(RUNS) if names is None else names
    unknown = [n for n in wanted if n not in RUNS]
    assert not unknown, f"not in tests/report_runs.py: {unknown}"
    builds = session_build(wanted)
    sources = _sources()
    where = {n: (builds["site"], sources[n]) if sources[n] else (builds["runs"], n) for n in wanted}
    failed = {name: error for name, (built, run) in where.items() for error in built.failures([run]).values()}
    assert not failed, failed
    return {n: nbformat.read(built.layout.ipynb(run), as_version=4) for n, (built, run) in where.items()}
