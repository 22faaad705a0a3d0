"""Execute the street notebook once through papermill.

Small real parameter sets: a non-default confidence. The runs go in parallel
processes, one kernel each. The key results are read from the cell tagged ``key-results``.
"""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import Runs, assert_ran_cleanly, execute_all, key_results, outputs, stderr

from chengguan.stats import proportion_interval

RUNS: Runs = {
    "street-zh": ("street_environment", {"lang": "zh", "confidence": 0.9}),
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
