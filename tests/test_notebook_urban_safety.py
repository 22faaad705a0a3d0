"""The urban-safety report: the self-built housing campaign, actions against cases, the total."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, markdown_text, results

STEM = "urban_safety"
CHECKED, CASES = 35581, 107
ACTIONS = {"new builds demolished": 354, "extensions ordered": 386, "inserted floors": 5,
           "main structures": 10}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_sites_acted_upon_per_case_is_a_range(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    per_case = zh["self_built_sites_acted_per_case"]
    assert per_case["headline"]
    # at least the largest action (full overlap), at most their sum (no overlap)
    assert per_case["lower"] == pytest.approx(max(ACTIONS.values()) / CASES)
    assert per_case["upper"] == pytest.approx(sum(ACTIONS.values()) / CASES)
    acted = zh["self_built_acted_per_1000_checked"]
    assert acted["upper"] == pytest.approx(sum(ACTIONS.values()) / CHECKED * 1000)
    assert zh["self_built_cases_per_1000_checked"]["value"] == pytest.approx(CASES / CHECKED * 1000)


def test_sites_per_case_moves_the_ceiling(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    assert zh["self_built_case_share_max"]["value"] == pytest.approx(CASES / 386 * 100)
    assert en["self_built_case_share_max"]["value"] == pytest.approx(2 * CASES / 386 * 100)
    # one building per case: most action came without a case; at two, the data cannot tell
    assert "most action did not come through cases" not in markdown_text(executed["en"])
    assert "大部分处置不是通过立案完成的" in markdown_text(executed["zh"])


def test_the_two_readings_of_the_total(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    # 400余起: more than 400, below 500; with the 107 inside (zh) or beside them (en)
    inside = zh["self_built_share_of_safety_cases"]
    assert (inside["lower"], inside["upper"]) == (pytest.approx(CASES / 500 * 100),
                                                 pytest.approx(CASES / 400 * 100))
    beside = en["self_built_share_of_safety_cases"]
    assert (beside["lower"], beside["upper"]) == (pytest.approx(CASES / 607 * 100),
                                                 pytest.approx(CASES / 507 * 100))
    # 10.8万余起 of all cases: 108,000 to 109,000
    assert zh["urban_safety_share_of_all_cases"]["lower"] == pytest.approx(400 / 109000 * 100)
    assert en["urban_safety_share_of_all_cases"]["upper"] == pytest.approx(607 / 108000 * 100)


def test_district_reference(executed: dict[str, nbformat.NotebookNode]) -> None:
    # a 2024 district ratio of two counts in a 2022 city report: in the text, not the key results
    assert "changning_2024_flying_wire_cases_per_100_checks" not in results(executed["en"])
    text = markdown_text(executed["en"])
    assert f"{299 / 2936 * 100:.1f} cases per 100 inspections as a ratio of two counts, not a detection rate" in text


def test_sites_are_not_called_buildings(executed: dict[str, nbformat.NotebookNode]) -> None:
    # 处 counts sites: the English report never says buildings for it
    text = markdown_text(executed["en"])
    assert "sites acted upon per case" in text and "buildings acted upon" not in text
