"""Execute every domain notebook through papermill, in Chinese and English, on the real tables.

The runs go in parallel processes (one kernel each) so the module stays quick. Each notebook ends
with a cell tagged ``key-results`` whose output carries its headline numbers as
``application/json``; the tests read them from there.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
import papermill
import pytest

from chengguan.stats import poisson_interval
from chengguan.theme import find_cjk_font

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "chengguan"

RUNS: dict[str, tuple[str, dict[str, Any]]] = {
    "garbage-zh": ("garbage_sorting", {"lang": "zh", "confidence": 0.9}),
    "garbage-en": ("garbage_sorting", {"lang": "en"}),
    "demolition-zh": ("illegal_construction", {"lang": "zh", "log_scale": False}),
    "demolition-en": ("illegal_construction", {"lang": "en"}),
    "nonsite-zh": ("nonsite_enforcement", {"lang": "zh", "low_risk_inspections_per_year": 2.0,
                                           "other_risk_inspections_per_year": 6.0,
                                           "uniform_inspections_per_year": 6.0}),
    "nonsite-en": ("nonsite_enforcement", {"lang": "en", "confidence": 0.99}),
}


def _execute(stem: str, parameters: dict[str, Any], output: str) -> str | None:
    """Run one notebook; the error text when it fails (for the assertion message), else None."""
    try:
        papermill.execute_notebook(
            str(NOTEBOOKS / f"{stem}.ipynb"), output, parameters=parameters, kernel_name=KERNEL,
            cwd=str(NOTEBOOKS), progress_bar=False, log_output=False,
        )
    except papermill.PapermillExecutionError as error:
        return f"{error.ename}: {error.evalue}"
    return None


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, nbformat.NotebookNode]:
    out = tmp_path_factory.mktemp("notebooks")
    paths = {name: str(out / f"{name}.ipynb") for name in RUNS}
    with ProcessPoolExecutor(max_workers=len(RUNS)) as pool:
        futures = {name: pool.submit(_execute, stem, params, paths[name])
                   for name, (stem, params) in RUNS.items()}
        errors = {name: f.result() for name, f in futures.items()}
    failed = {name: e for name, e in errors.items() if e}
    assert not failed, failed
    return {name: nbformat.read(paths[name], as_version=4) for name in RUNS}


def outputs(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


def key_results(nb: nbformat.NotebookNode) -> dict[str, Any]:
    cells = [c for c in nb.cells if "key-results" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, "exactly one cell tagged key-results"
    data = [o["data"]["application/json"] for o in cells[0].outputs
            if "application/json" in o.get("data", {})]
    assert len(data) == 1
    return json.loads(json.dumps(data[0]))


def expected_lang(requested: str) -> str:
    return requested if requested == "en" or find_cjk_font() is not None else "en"


@pytest.mark.parametrize("name", RUNS)
def test_runs_cleanly(executed: dict[str, nbformat.NotebookNode], name: str) -> None:
    nb = executed[name]
    outs = outputs(nb)
    assert not [o for o in outs if o["output_type"] == "error"]
    stderr = "".join(o["text"] for o in outs if o["output_type"] == "stream"
                     and o["name"] == "stderr")
    assert "missing from font" not in stderr
    assert "Warning" not in stderr.replace("MissingCJKFontWarning", "")
    assert sum("image/png" in o.get("data", {}) for o in outs) >= 1
    results = key_results(nb)
    assert results["lang"] == expected_lang(RUNS[name][1]["lang"])


def test_garbage_results(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = key_results(executed["garbage-zh"]), key_results(executed["garbage-en"])
    assert zh["orders_per_education"] == pytest.approx(34787 / 54339)
    assert zh["cases_per_order"] == pytest.approx(17747 / 34787)
    assert en["cases_per_1000_person_times_2022"] == pytest.approx(78.8756, abs=1e-4)
    # the confidence parameter reaches the intervals
    assert zh["confidence"] == 0.9
    assert zh["cases_per_day_2022_low"] == pytest.approx(poisson_interval(17747, 0.9)[0] / 365)
    assert en["cases_per_day_2022_low"] == pytest.approx(poisson_interval(17747, 0.95)[0] / 365)
    assert en["targets_2023"] == 0 and en["recognized_scopes"] == "minhang, fengxian"


def test_demolition_results(executed: dict[str, nbformat.NotebookNode]) -> None:
    en = key_results(executed["demolition-en"])
    assert en["citywide_area_per_case"] == pytest.approx(2504700 / 5334)
    assert en["residential_share_of_citywide"] == pytest.approx(244000 / 2504700)
    assert en["ad_growth_citywide_sites"] == pytest.approx(1200 / 664 - 1)
    assert en["ad_growth_riverside_panels"] == pytest.approx(1200 / 209 - 1)
    assert key_results(executed["demolition-zh"])["measures"] == en["measures"]


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
        papermill.execute_notebook(
            str(NOTEBOOKS / "garbage_sorting.ipynb"), str(output), parameters={"lang": "fr"},
            kernel_name=KERNEL, cwd=str(NOTEBOOKS), progress_bar=False, log_output=False,
        )
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
