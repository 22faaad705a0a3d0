"""A report from the engine's warm kernels equals one from a fresh kernel; bad values fail early in papermill."""

from __future__ import annotations

import copy
import os

import nbformat
import papermill
import pytest
from fixtures.project import make_project, run_build
from reportbuild.build import FORK_SERVERS_ENV

pytestmark = pytest.mark.notebooks  # starts kernels: `make test-quick` leaves this module out


def comparable(nb: nbformat.NotebookNode) -> list:
    """Cells without what legitimately differs: execution counts, timings, cell and kernel metadata."""
    cells = []
    for cell in nb.cells:
        outputs = []
        for output in copy.deepcopy(cell.get("outputs", [])):
            output.pop("execution_count", None)
            outputs.append(output)
        cells.append((cell.cell_type, cell.source, outputs))
    return cells


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("equivalence"))


def test_engine_output_equals_a_fresh_papermill_run(project, monkeypatch, tmp_path):
    # As outside the test suite: the build's worker starts a fork server of its own.
    shared = os.environ.get(FORK_SERVERS_ENV)
    monkeypatch.delenv(FORK_SERVERS_ENV, raising=False)
    code, out, _ = run_build(project, "good-zh", "good-scaled", jobs=1)  # the second kernel was warmed in advance
    assert code == 0, out
    engine = {run: nbformat.read(project.ipynb(run), as_version=4) for run in ("good-zh", "good-scaled")}
    if shared:  # and from the server the test session shares between its builds
        monkeypatch.setenv(FORK_SERVERS_ENV, shared)
        code, out, _ = run_build(project, "good-zh", jobs=1, force=True)
        assert code == 0, out
        engine["good-zh (shared server)"] = nbformat.read(project.ipynb("good-zh"), as_version=4)
    # No environment: the kernel starts in the copy's notebooks/ and finds the copy's manifest from there.
    monkeypatch.delenv("CHENGGUAN_ROOT", raising=False)
    notebooks = project.root / "notebooks"
    for run, parameters in (("good-zh", {"lang": "zh", "scale": 2.0, "label": "点"}),
                            ("good-scaled", {"lang": "zh", "scale": 3.5, "label": "scaled"})):
        fresh = papermill.execute_notebook(
            str(notebooks / "good.ipynb"), str(tmp_path / f"{run}.ipynb"), parameters=parameters,
            kernel_name="chengguan", cwd=str(notebooks), progress_bar=False)
        for name in (run, f"{run} (shared server)"):
            if name in engine:
                assert comparable(engine[name]) == comparable(fresh), name
    # The notebook prints the backend and the figure rcParams: the pre-imports changed neither.
    printed = [o["text"] for c in engine["good-scaled"].cells for o in c.get("outputs", [])
               if o.get("name") == "stdout"]
    assert printed[0].startswith("module://matplotlib_inline.backend_inline")


def test_papermill_with_a_bad_value_fails_in_the_check_cell(project, monkeypatch, tmp_path):
    # No environment: the kernel starts in the copy's notebooks/ and finds the copy's manifest from there.
    monkeypatch.delenv("CHENGGUAN_ROOT", raising=False)
    notebooks = project.root / "notebooks"
    with pytest.raises(papermill.PapermillExecutionError) as info:
        papermill.execute_notebook(
            str(notebooks / "good.ipynb"), str(tmp_path / "bad.ipynb"), parameters={"lang": "fr", "sacle": 3},
            kernel_name="chengguan", cwd=str(notebooks), progress_bar=False)
    error = info.value
    assert error.ename == "ParameterError"
    assert error.evalue == (
        "invalid parameters for notebook 'good':\n"
        "  - sacle: unknown parameter (did you mean 'scale'?)\n"
        "  - lang: 'fr' is not one of 'zh', 'en'\n"
        "parameters of notebook 'good':\n"
        "  lang: str = 'zh'; one of 'zh', 'en' (vocabulary 'languages') -- language of labels and text\n"
        "  scale: float = 2.0; 0.0 <= scale <= 10.0 -- multiplier of y\n"
        "  label: str = '点' -- chart title"
    )
    assert error.exec_count == 3  # parameters, injected parameters, then the check
