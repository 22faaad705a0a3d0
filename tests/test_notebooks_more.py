"""Execute the street and district-profile notebooks once each through papermill.

Small real parameter sets: Chinese and English, a non-default confidence, a district with district
reports of two years (Minhang) and one with no figure at all (Putuo). The runs go in parallel
processes, one kernel each. The key results are read from the cell tagged ``key-results``.
"""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import Runs, assert_ran_cleanly, execute_all, key_results, outputs, stderr

from chengguan.stats import proportion_interval

RUNS: Runs = {
    "street-zh": ("street_environment", {"lang": "zh", "confidence": 0.9}),
    "district-minhang": ("district_profile", {"lang": "zh", "district": "minhang"}),
    "district-putuo": ("district_profile", {"lang": "en", "district": "putuo"}),
}


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, nbformat.NotebookNode]:
    return execute_all(RUNS, tmp_path_factory.mktemp("notebooks_more"))


def markdown_outputs(nb: nbformat.NotebookNode) -> str:
    return "\n".join(o["data"]["text/markdown"] for o in outputs(nb)
                     if "text/markdown" in o.get("data", {}))


@pytest.mark.parametrize("name", RUNS)
def test_runs_cleanly(executed: dict[str, nbformat.NotebookNode], name: str) -> None:
    assert_ran_cleanly(executed[name], RUNS[name][1]["lang"])
    assert "findfont" not in stderr(executed[name])


def test_street_results(executed: dict[str, nbformat.NotebookNode]) -> None:
    k = key_results(executed["street-zh"])
    assert k["confidence"] == 0.9
    assert k["numbers_restored_share"] == pytest.approx(307 / 461)
    assert k["numbers_restored_share_low"] == pytest.approx(proportion_interval(307, 461, 0.9)[0])
    assert k["sites_cleared_per_vending_case"] == pytest.approx(40926 / 28712)
    assert k["street_share_upper_bound"] == pytest.approx(46389 / 108000)
    assert k["recognized_street"] == "fengxian, minhang, huangpu"


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
