"""Execute the street, residential and district-profile notebooks once each through papermill.

Small real parameter sets: Chinese and English, a non-default confidence, a district with district
reports of two years (Minhang) and one with no figure at all (Putuo). The runs go in parallel
processes, one kernel each. The key results are read from the cell tagged ``key-results``.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
import papermill
import pytest

from chengguan.stats import proportion_interval
from chengguan.theme import find_cjk_font

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "chengguan"

RUNS: dict[str, tuple[str, dict[str, Any]]] = {
    "street-zh": ("street_environment", {"lang": "zh", "confidence": 0.9}),
    "residential-en": ("residential_communities", {"lang": "en"}),
    "district-minhang": ("district_profile", {"lang": "zh", "district": "minhang"}),
    "district-putuo": ("district_profile", {"lang": "en", "district": "putuo"}),
}


def _execute(stem: str, parameters: dict[str, Any], output: str) -> str | None:
    """Run one notebook; the error text when it fails, else None."""
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
    out = tmp_path_factory.mktemp("notebooks_more")
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


def markdown_outputs(nb: nbformat.NotebookNode) -> str:
    return "\n".join(o["data"]["text/markdown"] for o in outputs(nb)
                     if "text/markdown" in o.get("data", {}))


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
    assert "findfont" not in stderr
    assert "Warning" not in stderr.replace("MissingCJKFontWarning", "")
    assert sum("image/png" in o.get("data", {}) for o in outs) >= 1
    assert key_results(nb)["lang"] == expected_lang(RUNS[name][1]["lang"])


def test_street_results(executed: dict[str, nbformat.NotebookNode]) -> None:
    k = key_results(executed["street-zh"])
    assert k["confidence"] == 0.9
    assert k["numbers_restored_share"] == pytest.approx(307 / 461)
    assert k["numbers_restored_share_low"] == pytest.approx(proportion_interval(307, 461, 0.9)[0])
    assert k["sites_cleared_per_vending_case"] == pytest.approx(40926 / 28712)
    assert k["street_share_upper_bound"] == pytest.approx(46389 / 108000)
    assert k["recognized_street"] == "fengxian, minhang, huangpu"


def test_residential_results(executed: dict[str, nbformat.NotebookNode]) -> None:
    k = key_results(executed["residential-en"])
    assert k["remainder"] == 3202 - (846 + 575 + 461 + 334 + 306 + 188)
    assert k["load_bearing_ratio"] == pytest.approx(726 / 846)
    assert k["top_ranked"] == "jiading, qingpu, minhang"


def test_district_with_reports(executed: dict[str, nbformat.NotebookNode]) -> None:
    nb = executed["district-minhang"]
    k = key_results(nb)
    assert k["scope"] == "minhang" and k["report_years"] == "2021, 2023"
    assert k["change_cases_concluded"] == pytest.approx(11113 / 12201 - 1)
    # two figures: the comparison of years and the ranking of districts
    assert sum("image/png" in o.get("data", {}) for o in outputs(nb)) == 2


def test_district_without_figures(executed: dict[str, nbformat.NotebookNode]) -> None:
    nb = executed["district-putuo"]
    k = key_results(nb)
    assert k["observations"] == 0 and k["indicators_compared"] == 0
    text = markdown_outputs(nb)
    assert "attributes no figure to Putuo" in text
    assert "no district report of Putuo" in text
    assert sum("image/png" in o.get("data", {}) for o in outputs(nb)) == 1  # the ranking only
