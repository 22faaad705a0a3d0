"""Districts side by side: mentions as a view, not a ranking; district figures compared like with like."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, html_outputs, markdown_text, reports, results

STEM = "districts_side_by_side"


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    runs = reports([f"{STEM}-zh", f"{STEM}-en"])
    return {"zh": runs[f"{STEM}-zh"], "en": runs[f"{STEM}-en"]}


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
    ratio = zh["standardised_fine_ratio_latest"]
    assert ratio["headline"]
    assert ratio["value"] == pytest.approx(standardised(0.5, 120000, 1753, 3180000, 1309)
                                           / standardised(0.5, 230900, 5345, 3851800, 5768))
    assert ratio["lower"] > 1  # the order holds at the rounding bounds


def test_named_is_a_view_not_a_ranking(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    assert zh["scopes_named"]["value"] == 20  # 16 districts and 4 units, each named at least once
    assert en["scopes_named"]["value"] == 16  # include_units=False
    assert zh["top_rankings"]["value"] == 6
    assert zh["districts_with_case_figures"]["value"] == 2
    assert "被点名不是测量结果" in markdown_text(executed["zh"])
    assert "自贸区综合执法大队" in html_outputs(executed["zh"])
    assert "Free Trade Zone" not in markdown_text(executed["en"])
