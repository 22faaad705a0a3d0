"""The illegal-construction report: demolitions against cases, the 2023 advertising target."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, markdown_text, results

STEM = "illegal_construction"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_the_headline_is_the_campaign_that_reports_both(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    # 拆除新建 354 处 against 查处 107 起: sites demolished per case, at least (restored floors may share a site)
    ratio = zh["self_built_demolitions_per_case_min"]
    assert ratio["headline"] and ratio["value"] == pytest.approx(354 / 107)
    assert "3.31–3.36" in markdown_text(executed["en"])  # with the 5 restored sites, the upper figure
    assert "至少是立案数的 3.3 倍" in markdown_text(executed["zh"])


def test_part_year_means_are_scenarios(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    # Changning 1 Jan-2 Dec 2025: 62,301.03 m2 over 226 existing structures, the largest mean in the
    # data; at its upper rounding bound over the city's lower bound, 5,334 cases cover at most 58.7%
    largest = 62301.035 / 226
    assert zh["scenario_case_share_max_at_largest_mean"]["value"] == pytest.approx(5334 * largest / 2504650 * 100)
    assert "长宁区 2025" in zh["scenario_case_share_max_at_largest_mean"]["label"]
    # the city's own residential mean, Jan-Sep 2022 press: 192,000 m2 over 3,318 structures
    residential = 192000 / 3318
    assert zh["residential_mean_m2_2022"]["value"] == pytest.approx(residential)
    assert zh["scenario_case_share_max_at_residential_mean"]["value"] == pytest.approx(
        5334 * residential / 2504650 * 100)
    # the smallest scenario is the smallest mean, not a "more than" count whose lower bound is 0
    assert "Changning" in markdown_text(executed["en"]).split("under the smallest")[1][:60]
    # structures over cases, one district over the city, 2023 over 2022: in the text only
    assert "pudong_2023_structures_vs_city_2022_cases" not in zh
    assert "order of magnitude only" in markdown_text(executed["en"])
    # 250.47万 m² stands for 2,504,650-2,504,750 m²
    area = zh["citywide_area_demolished_latest_year"]
    assert (area["lower"], area["value"], area["upper"]) == (2504650, 2504700, 2504750)


def test_no_area_per_case_is_claimed(executed: dict[str, nbformat.NotebookNode]) -> None:
    for lang in ("zh", "en"):
        assert "citywide_area_per_case" not in results(executed[lang])
    assert "不是“每起案件的面积”" in markdown_text(executed["zh"])
    # at 2 structures per case the largest mean (276 m²) passes the threshold (235 m²): no such claim
    assert "cannot rule out case-by-case demolition" in markdown_text(executed["en"])
    assert "都小于此数" in markdown_text(executed["zh"])  # at 1 per case every mean falls short


def test_structures_per_case_moves_the_threshold(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    assert zh["area_threshold_for_cases_to_cover_all"]["value"] == pytest.approx(2504700 / 5334)
    assert en["area_threshold_for_cases_to_cover_all"]["value"] == pytest.approx(2504700 / 5334 / 2)
    residential = 192000 / 3318
    assert en["scenario_case_share_max_at_residential_mean"]["value"] == pytest.approx(
        2 * 5334 * residential / 2504650 * 100)
    assert en["scenario_case_share_max_at_largest_mean"]["value"] == 100


def test_target_growth_is_largest_at_one_panel_per_site(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    # 1200 块以上 against 664 处: one panel per site, the fewest a site holds, gives the most growth
    for res in (zh, en):
        assert res["ad_target_growth_max"]["value"] == pytest.approx((1200 / 664 - 1) * 100)
        assert res["ad_panels_per_site_breakeven"]["value"] == pytest.approx(1200 / 664)
    assert "ad_target_growth_min" not in zh
    # the assumed 1.5 panels per site (en) is stated in the finding
    assert f"{(1200 / (664 * 1.5) - 1) * 100:.1f}% at the 1.5 panels per site" in markdown_text(executed["en"])


def test_shares_carry_the_rounding_of_both_figures(executed: dict[str, nbformat.NotebookNode]) -> None:
    residential = results(executed["en"])["residential_share_of_citywide_area"]
    # 24.4万 m² is 243,500-244,500; the ratio range follows the rounding of both figures
    assert residential["lower"] == pytest.approx(243500 / 2504750 * 100)
    assert residential["upper"] == pytest.approx(244500 / 2504650 * 100)


def test_the_lockdown_direction_from_the_residential_series(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    # Jan-Sep 2022 (273 days): 3,318 structures; Jan-19 Sep 2021 (262 days): more than 6,500, a floor
    fall = results(executed["zh"])["residential_structures_per_day_fall_min_pct"]
    assert fall["value"] == pytest.approx((1 - (3318 / 273) / (6500 / 262)) * 100)
    en = markdown_text(executed["en"])
    # even with nothing demolished in the lockdown's 65 days, 3,318 over 208 days stays below 2021's pace
    assert f"{3318 / 208:.1f} structures a day, still below 2021" in en
    assert "Administrative Penalty Law" in en.split("The lockdown's direction")[1][:1500]
