"""Districts side by side: mentions as a view, not a ranking; district figures compared like with like."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, html_outputs, markdown_text, results

STEM = "districts_side_by_side"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode], lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def standardised(share: float, summary_fine: float, summary_cases: float, ordinary_fine: float,
                 ordinary_cases: float) -> float:
    return share * summary_fine / summary_cases + (1 - share) * ordinary_fine / ordinary_cases


def test_fines_per_case_at_a_common_procedure_mix(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    # the parameter moves the common mix: 50% summary procedure (default) and 60% (en run)
    assert zh["standardised_fine_per_case_minhang_2023"]["value"] == pytest.approx(
        standardised(0.5, 230900, 5345, 3851800, 5768))
    assert en["standardised_fine_per_case_minhang_2023"]["value"] == pytest.approx(
        standardised(0.6, 230900, 5345, 3851800, 5768))
    # 12万余 and 318万余: the upper bounds below the next unit (130,000 and 3,190,000 yuan)
    assert zh["standardised_fine_per_case_changning_2024"]["upper"] == pytest.approx(
        standardised(0.5, 130000, 1753, 3190000, 1309))
    # Changning's latest report runs from 1 January to 2 December 2025 (or earlier): a ratio does not
    # depend on the period's length, so the part year is kept and is the latest
    changning_2025 = standardised(0.5, 46000, 528, 1400000, 358)
    assert zh["standardised_fine_per_case_changning_2025"]["value"] == pytest.approx(changning_2025)
    assert "12月2日或之前" in zh["standardised_fine_per_case_changning_2025"]["label"]
    ratio = zh["standardised_fine_ratio_latest"]
    assert ratio["headline"]
    assert ratio["value"] == pytest.approx(changning_2025 / standardised(0.5, 230900, 5345, 3851800, 5768))
    assert ratio["lower"] > 1  # the order holds at the rounding bounds
    assert "2 December or earlier" in markdown_text(executed["en"])
    assert "not a same-year comparison" in markdown_text(executed["en"])


def test_part_year_figures_are_counted(executed: dict[str, nbformat.NotebookNode]) -> None:
    # Changning's 1 Jan-2 Dec 2025 report is shown beside its 2024 one
    html = html_outputs(executed["zh"])
    assert "长宁区 2025 年（1月1日至12月2日或之前）" in html
    # the ratios name their figures by indicator and printed figure, not by observation id
    assert "拆除存量违建处数（226处）" in html


def test_named_is_a_view_not_a_ranking(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    assert zh["scopes_named"]["value"] == 20  # 16 districts and 4 units, each named at least once
    assert en["scopes_named"]["value"] == 16  # include_units=False
    assert zh["top_rankings"]["value"] == 6
    assert zh["districts_with_case_figures"]["value"] == 2
    assert "被点名不是测量结果" in markdown_text(executed["zh"])
    assert "自贸区综合执法大队" in html_outputs(executed["zh"])
    assert "Free Trade Zone" not in markdown_text(executed["en"])
