"""The ecological-environment and construction-waste report, executed in both languages."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, markdown_text, results

STEM = "ecology_construction_waste"
SECTION_CASES = {"illegal_building": 5334, "site_pollution": 1104, "construction_waste": 10052,
                 "kitchen_waste": 1706, "water_dumping": 577, "old_trees": 2}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_the_parameter_sets_the_section_total(executed: dict[str, nbformat.NotebookNode]) -> None:
    # zh counts the illegal-building cases in the section (default), en leaves them out
    zh, en = results(executed["zh"]), results(executed["en"])
    with_buildings = sum(SECTION_CASES.values())
    without = with_buildings - SECTION_CASES["illegal_building"]
    assert not zh["construction_waste_share_of_section"]["headline"]
    assert zh["construction_waste_share_of_section"]["value"] == pytest.approx(10052 / with_buildings * 100)
    assert en["construction_waste_share_of_section"]["value"] == pytest.approx(10052 / without * 100)


def test_rank_and_share_of_all_cases(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    # behind street vending, garbage sorting and cross-door business (10,074)
    assert zh["construction_waste_rank"]["value"] == 4
    share = zh["construction_waste_share_of_all_cases"]
    # 10.8万余起 stands for 108,000-109,000 cases
    assert share["lower"] == pytest.approx(10052 / 109000 * 100)
    assert share["upper"] == pytest.approx(10052 / 108000 * 100)
    # 418 vehicles for 10,052 cases: even one vehicle per case leaves at least 95.8% with none
    without = zh["construction_waste_cases_without_impoundment_at_least"]
    assert without["headline"]
    assert without["value"] == pytest.approx(100 - 418 / 10052 * 100)


def test_the_plan_is_read_from_the_text(executed: dict[str, nbformat.NotebookNode]) -> None:
    assert results(executed["en"])["plan_2023_construction_waste_mentions"]["value"] == 5
    assert "油烟污染扰民" in markdown_text(executed["zh"])


def test_the_plan_words_are_quoted_and_no_target_is_claimed(executed: dict[str, nbformat.NotebookNode]) -> None:
    en, zh = markdown_text(executed["en"]), markdown_text(executed["zh"])
    # the 2023 plan has no target in this domain; a district target of another year is not the plan's
    assert "sets no numeric target in this domain." in en and "targets in the tables" not in en
    # the plan's own words, counted in its text: 违法搭建 once, 扬尘 once, 建筑垃圾 twice, 建设工程垃圾 three times
    plain = en.replace("\\", "")  # Markdown escapes of the data text
    assert "违法搭建 (1); 扬尘 (1); 建筑垃圾 (2); 建设工程垃圾 (3)" in plain
    assert "“建筑垃圾” 2 次、“建设工程垃圾” 3 次" in zh.replace("\\", "")


def test_a_missing_keyword_is_not_a_dropped_task(executed: dict[str, nbformat.NotebookNode]) -> None:
    plain = markdown_text(executed["en"]).replace("\\", "")
    # dumping into water: the plan names river and wharf pollution and the waterfront's 14 prohibited acts
    assert "河道码头污染 (1)" in plain and "so that work cannot be called dropped" in plain
    assert "drops" not in plain
