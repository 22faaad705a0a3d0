"""The illegal-construction report: demolitions against cases, the 2023 advertising target."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, markdown_text, reports, results

STEM = "illegal_construction"


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    runs = reports([f"{STEM}-zh", f"{STEM}-en"])
    return {"zh": runs[f"{STEM}-zh"], "en": runs[f"{STEM}-en"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_demolitions_outnumber_cases(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    # Pudong's 10,383 existing structures demolished in 2023 against the city's 5,334 cases of 2022
    assert zh["pudong_2023_structures_vs_city_2022_cases"]["value"] == pytest.approx(10383 / 5334)
    assert zh["area_threshold_for_cases_to_cover_all"]["headline"]
    assert not zh["pudong_2023_structures_vs_city_2022_cases"]["headline"]
    # 250.47万 m² stands for 2,504,650-2,504,750 m²
    area = zh["citywide_area_demolished_2022"]
    assert (area["lower"], area["value"], area["upper"]) == (2504650, 2504700, 2504750)


def test_no_area_per_case_is_claimed(executed: dict[str, nbformat.NotebookNode]) -> None:
    for lang in ("zh", "en"):
        assert "citywide_area_per_case" not in results(executed[lang])
    assert "not an area per case" in markdown_text(executed["en"])


def test_structures_per_case_moves_the_threshold(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    assert zh["area_threshold_for_cases_to_cover_all"]["value"] == pytest.approx(2504700 / 5334)
    assert en["area_threshold_for_cases_to_cover_all"]["value"] == pytest.approx(2504700 / 5334 / 2)
    # at Pudong's mean area per structure, the share of demolitions the cases could cover
    pudong_mean = 1340400 / 10383
    implied = 2504700 / pudong_mean
    assert zh["case_share_max_at_pudong_mean"]["value"] == pytest.approx(5334 / implied * 100)
    assert en["case_share_max_at_pudong_mean"]["value"] == pytest.approx(2 * 5334 / implied * 100)


def test_target_is_a_floor_in_panels(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    # 1200 块以上 against 664 处 read as 1 (zh) or 1.5 (en) panels per site; no ceiling
    assert zh["ad_target_growth_min"]["value"] == pytest.approx((1200 / 664 - 1) * 100)
    assert en["ad_target_growth_min"]["value"] == pytest.approx((1200 / (664 * 1.5) - 1) * 100)
    assert zh["ad_target_growth_min"]["upper"] is None
    assert zh["ad_panels_per_site_breakeven"]["value"] == pytest.approx(1200 / 664)


def test_shares_carry_the_rounding_of_both_figures(executed: dict[str, nbformat.NotebookNode]) -> None:
    residential = results(executed["en"])["residential_share_of_citywide_area"]
    # 24.4万 m² is 243,500-244,500; the ratio range follows the rounding of both figures
    assert residential["lower"] == pytest.approx(243500 / 2504750 * 100)
    assert residential["upper"] == pytest.approx(244500 / 2504650 * 100)
