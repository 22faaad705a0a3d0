"""Fixtures shared by the tests: the real observations, a plotting language, and a notebook module's
report executed in both languages; and the session's shared builds (tests/notebook_runs.py).

Markers, so that ``make test-quick`` (``-m "not notebooks and not browser"``) can leave out what
is slow: ``notebooks`` on a test that executes notebooks in Jupyter kernels (given here to every
test that reads the session's builds: the ``executed`` fixture, or a module that imports
``notebook_runs.reports`` or ``notebook_runs.site_build``; other tests carry it themselves),
``browser`` on a test that drives Chromium (the ``browser`` fixture).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

# jsonschema (under nbformat, which most test modules import) imports the optional rfc3987_syntax,
# which builds a grammar at import: about 1.5 s of CPU in every test process. It only checks the
# "iri" string formats, which no schema here uses; the engine's workers go without it too
# (reportbuild.workers._block_slow_import).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import matplotlib  # noqa: E402

# Before any test imports pyplot: figures are drawn off-screen.
matplotlib.use("Agg")

import pytest  # noqa: E402

import notebook_runs  # noqa: E402
from chengguan.theme import use_theme  # noqa: E402

if TYPE_CHECKING:  # imported where used: every process loads this file, test or not (pytest-xdist)
    import nbformat
    import pandas as pd
    from reportbuild.forkserver import SharedServers


def pytest_configure(config: pytest.Config) -> None:
    """The controlling process makes the folder the session's builds share, and starts the fork
    servers they share, before any pytest-xdist worker starts (workers inherit the environment)."""
    if hasattr(config, "workerinput"):
        return
    # The processes the tests start (commands, kernels) go without rfc3987_syntax (tests/stubs).
    stubs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stubs")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (stubs, os.environ.get("PYTHONPATH")) if p)
    if not os.environ.get(notebook_runs.BUILDS_ENV):
        folder = tempfile.mkdtemp(prefix="chengguan-tests-")
        os.environ[notebook_runs.BUILDS_ENV] = folder
        config.stash[_BUILDS_KEY] = folder
    _start_fork_servers(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_BUILDS_KEY, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(notebook_runs.BUILDS_ENV, None)
    servers = config.stash.get(_SERVERS_KEY, None)
    if servers is not None:
        from reportbuild.build import FORK_SERVERS_ENV

        servers.close()
        os.environ.pop(FORK_SERVERS_ENV, None)


_BUILDS_KEY = pytest.StashKey[str]()
_SERVERS_KEY = pytest.StashKey["SharedServers"]()


def _start_fork_servers(config: pytest.Config) -> None:
    """One fork server per kind of kernel the session's builds start (the project's manifest and
    the engine tests' fixture manifest), shared by every build of the session: each build would
    otherwise start its own and import pandas and matplotlib again (about 1.5 s of CPU a server,
    some 35 servers a session). A server imports only when its first kernel is asked for, so a
    session that builds nothing (``make test-quick``) pays two bare interpreters.

    Tests of the engine's own process tree (a worker's server and kernels below the build) build
    without them: tests/fixtures/project.py, ``own_fork_servers``."""
    from reportbuild import forkserver
    from reportbuild.build import FORK_SERVERS_ENV
    from reportbuild.manifest import load_manifest

    if os.environ.get(FORK_SERVERS_ENV) or not forkserver.available():
        return
    tests = os.path.dirname(os.path.abspath(__file__))
    servers = forkserver.SharedServers()
    for path in (os.path.join(tests, "..", "reports.toml"), os.path.join(tests, "fixtures", "reports.toml")):
        build = load_manifest(Path(path)).build
        interpreter = forkserver.kernel_interpreter(build.kernel)
        if interpreter is not None:
            servers.start(interpreter, build.preload)
    os.environ[FORK_SERVERS_ENV] = servers.folder
    config.stash[_SERVERS_KEY] = servers


def _uses(item: pytest.Item, function: object) -> bool:
    """Whether ``item``'s module imports ``function`` of tests/notebook_runs.py."""
    return any(value is function for value in vars(getattr(item, "module", None) or object).values())


def _reads_builds(item: pytest.Item) -> bool:
    """Whether ``item`` reads the session's builds: through this file's ``executed`` (a module with
    a ``STEM``), ``notebook_runs.reports`` or ``notebook_runs.site_build``."""
    uses_executed = "executed" in getattr(item, "fixturenames", ()) and hasattr(getattr(item, "module", None), "STEM")
    return uses_executed or _uses(item, notebook_runs.reports) or _uses(item, notebook_runs.site_build)


def pytest_itemcollected(item: pytest.Item) -> None:
    if _reads_builds(item):
        item.add_marker(pytest.mark.notebooks)
    if "browser" in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the slow files first, and tell tests/notebook_runs.py what the selected tests will read,
    so that the first build of the session makes all of it at once (every worker on the runs of
    every notebook)."""
    _slow_files_first(items)
    from report_runs import RUNS

    for item in items:
        module = getattr(item, "module", None)
        if _uses(item, notebook_runs.site_build):
            notebook_runs.WANTS_SITE = True
        if not _reads_builds(item):
            continue
        stem = getattr(module, "STEM", None)
        declared = getattr(module, "RUNS", None)
        if stem is not None:
            notebook_runs.WANTED.update(n for n in (f"{stem}-zh", f"{stem}-en") if n in RUNS)
        elif isinstance(declared, dict) and set(map(str, declared.values())) <= set(RUNS):
            notebook_runs.WANTED.update(declared.values())
        elif _uses(item, notebook_runs.reports):
            notebook_runs.WANTED.update(RUNS)


def _slow_files_first(items: list[pytest.Item]) -> None:
    """Order the files (each file's tests together, in their order) so that the workers finish
    together: first what reads the site (its build is the session's longest job), then the files
    with tests that mostly wait (marked ``waits``: the build fills the cores they leave idle), then
    the other files that execute notebooks or drive the browser, then the files that read the
    notebook builds (made by then), then the quick files, which even out the workers' ends.

    pytest-xdist hands out whole files in this order; the Makefile turns off its own reordering
    (by number of tests).
    """
    rank: dict[object, int] = {}
    for item in items:
        if _uses(item, notebook_runs.site_build):
            kind = 0
        elif item.get_closest_marker("waits"):
            kind = 1
        elif _reads_builds(item):
            kind = 3
        elif item.get_closest_marker("notebooks") or item.get_closest_marker("browser"):
            kind = 2
        else:
            kind = 4
        rank[item.path] = min(rank.get(item.path, 4), kind)
    items.sort(key=lambda item: rank[item.path])  # stable


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    """The observations table in English, loaded once per test module."""
    from chengguan.tables import load_observations

    return load_observations(lang="en")


@pytest.fixture
def lang() -> Iterator[str]:
    """The plotting language the theme can honour ("zh" needs a CJK font); figures closed after."""
    import matplotlib.pyplot as plt

    yield use_theme("zh").lang
    plt.close("all")


@pytest.fixture(scope="module")
def executed(request: pytest.FixtureRequest) -> dict[str, nbformat.NotebookNode]:
    """The report of the test module's notebook (its ``STEM``), executed in zh and en (see
    tests/report_runs.py); a module that runs other parameters defines its own."""
    from notebook_runs import reports

    stem = request.module.STEM
    runs = reports([f"{stem}-zh", f"{stem}-en"])
    return {"zh": runs[f"{stem}-zh"], "en": runs[f"{stem}-en"]}
