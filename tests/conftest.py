"""Fixtures shared by the tests: the real observations, a plotting language, and a notebook module's
report executed in both languages."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib

# Before any test imports pyplot: figures are drawn off-screen.
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from chengguan.tables import load_observations  # noqa: E402
from chengguan.theme import use_theme  # noqa: E402


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    """The observations table in English, loaded once per test module."""
    return load_observations(lang="en")


@pytest.fixture
def lang() -> Iterator[str]:
    """The plotting language the theme can honour ("zh" needs a CJK font); figures closed after."""
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
