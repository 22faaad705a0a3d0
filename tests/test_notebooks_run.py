"""Execute every domain notebook through papermill, in Chinese and English, on the real tables.

The runs go in parallel processes (one kernel each) so the module stays quick. Each notebook ends
with a cell tagged ``key-results`` whose output carries its headline numbers as
``application/json``; the tests read them from there.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest
from notebook_runs import Runs, assert_ran_cleanly, execute, execute_all, key_results

from chengguan.stats import poisson_interval

RUNS: Runs = {
    "nonsite-zh": ("nonsite_enforcement", {"lang": "zh", "low_risk_inspections_per_year": 2.0,
                                           "other_risk_inspections_per_year": 6.0,
                                           "uniform_inspections_per_year": 6.0}),
    "nonsite-en": ("nonsite_enforcement", {"lang": "en", "confidence": 0.99}),
}


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, nbformat.NotebookNode]:
    return execute_all(RUNS, tmp_path_factory.mktemp("notebooks"))


@pytest.mark.parametrize("name", RUNS)
def test_runs_cleanly(executed: dict[str, nbformat.NotebookNode], name: str) -> None:
    assert_ran_cleanly(executed[name], RUNS[name][1]["lang"])


def test_nonsite_results(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = key_results(executed["nonsite-zh"]), key_results(executed["nonsite-en"])
    assert en["nonsite_share_upper_bound"] == pytest.approx(4119 / 108000)
    assert en["garbage_cases_per_1000_person_times"] == pytest.approx(17747 / 225000 * 1000)
    # the frequency parameters drive the workload: 2/yr for low-risk, 6/yr for the rest
    low, other = 196000 * 0.894, 196000 * (1 - 0.894)
    assert zh["shopfronts_graded_inspections"] == pytest.approx(low * 2 + other * 6)
    assert zh["shopfronts_uniform_inspections"] == pytest.approx(196000 * 6)
    assert en["shopfronts_graded_inspections"] == pytest.approx(low * 1 + other * 4)
    # a higher confidence widens the interval
    assert en["accuracy_high"] - en["accuracy_low"] > zh["accuracy_high"] - zh["accuracy_low"]


def test_bad_parameter_fails_in_the_check_cell(tmp_path: Path) -> None:
    output = tmp_path / "bad.ipynb"
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        execute("garbage_sorting", {"lang": "fr"}, output)
    assert caught.value.ename == "ParameterError"
    assert "lang" in caught.value.evalue and "fr" in caught.value.evalue
    code = [c for c in nbformat.read(output, as_version=4).cells if c.cell_type == "code"]
    failing = [i for i, c in enumerate(code)
               if any(o["output_type"] == "error" for o in c.get("outputs", []))]
    assert len(failing) == 1
    (i,) = failing
    # the first cell after the parameters (and papermill's injected ones) is the one that fails
    assert "check_parameters(" in code[i].source
    assert "injected-parameters" in code[i - 1].metadata.get("tags", [])
    assert "parameters" in code[i - 2].metadata.get("tags", [])
    assert all(not c.get("outputs") for c in code[i + 1:])  # nothing ran after it
