"""The residential-communities report: case kinds, rectification ceilings, the plan."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, html_outputs, markdown_text, results

STEM = "residential_communities"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_rectified_sites_per_case_are_ceilings(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    headline = zh["load_bearing_rectified_per_100_cases"]
    assert not headline["headline"]
    assert headline["value"] == pytest.approx(726 / 846 * 100)
    assert headline["upper"] is None and headline["lower"] is None  # "at most" is in its label
    # at least 846 - 726 load-bearing cases saw no rectification in the year
    assert zh["load_bearing_cases_without_rectification"]["value"] == 120
    assert zh["load_bearing_cases_without_rectification"]["headline"]
    assert zh["green_space_rectified_per_100_cases"]["value"] == pytest.approx(1761 / 1775 * 100)
    assert zh["use_change_rectified_per_100_cases"]["value"] == pytest.approx(489 / 575 * 100)


def test_sites_per_case_moves_the_site_share(executed: dict[str, nbformat.NotebookNode]) -> None:
    # an assumption, not a finding: in the prose and the sensitivity table, not among the key results
    # (referee 2026-12-05, point 1)
    zh, en = results(executed["zh"]), results(executed["en"])
    assert "load_bearing_site_share_rectified" not in zh and "load_bearing_site_share_rectified" not in en
    zh_text, en_text = markdown_text(executed["zh"]), markdown_text(executed["en"])
    assert f"若每起案件涉及 1 处，已整改的处占 {726 / 846 * 100:.1f}%" in zh_text
    assert f"At 2 sites per case, {726 / (846 * 2) * 100:.1f}% of the load-bearing sites" in en_text
    assert "site(s)" not in en_text and "a parameter" not in en_text and "参数" not in zh_text
    assert "The highest ratio is that of" in en_text


def test_housing_kinds_not_listed(executed: dict[str, nbformat.NotebookNode]) -> None:
    listed = 846 + 575 + 461 + 334 + 306 + 188
    assert results(executed["en"])["housing_cases_not_listed_pct"]["value"] == pytest.approx(
        (3202 - listed) / 3202 * 100)


def test_residential_area_carries_rounding(executed: dict[str, nbformat.NotebookNode]) -> None:
    share = results(executed["en"])["residential_share_of_citywide_area"]
    assert share["lower"] == pytest.approx(243500 / 2504750 * 100)
    assert share["upper"] == pytest.approx(244500 / 2504650 * 100)


def test_plan_kinds_computed_from_the_text(executed: dict[str, nbformat.NotebookNode]) -> None:
    text = markdown_text(executed["zh"])
    assert "群租" in text and "物业未及时报告" in text


def test_structures_and_area_per_day_against_2021(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    # 3,318 structures in 273 days of 2022 against more than 6,500 (no ceiling) in 262 days of 2021:
    # only a ceiling on the change
    structures = zh["structures_per_day_change_pct"]
    assert structures["lower"] is None and structures["upper"] is None  # "at least this fall": in the label
    assert structures["value"] == pytest.approx(((3318 / 273) / (6500 / 262) - 1) * 100)
    # "at least N% fewer" is never rounded up past the bound (34.6 is not "at least 35")
    assert "每一类至少少 34.5%" in markdown_text(executed["zh"])
    # 192,000 m² against 245,000 m², both round thousands, and the 2021 end on 13-19 September: a range
    # (referee 2026-12-05, points 2 and 3: no single 24.8 or 24.7)
    area = zh["area_per_day_fall_pct"]
    assert area["value"] == pytest.approx((1 - (192000 / 273) / (245000 / 262)) * 100)
    assert area["lower"] == pytest.approx((1 - (192500 / 273) / (244500 / 262)) * 100)
    assert area["upper"] == pytest.approx((1 - (191500 / 273) / (245500 / 256)) * 100)
    en_text = markdown_text(executed["en"])
    assert "about a quarter less area per day (24%–27%" in en_text and "24.7%" not in en_text
    assert "面积每天少约四分之一（24%–27%" in markdown_text(executed["zh"])


def test_mean_area_per_structure(executed: dict[str, nbformat.NotebookNode]) -> None:
    mean = results(executed["en"])["mean_area_per_structure_2022"]
    assert mean["value"] == pytest.approx(192000 / 3318)
    # 192,000 m² read as rounded to the thousand, as for the area per day (final pass, point 2): 57.7-58.0,
    # not 57.9-57.9 (a deliberate change of this result's range, from the printed figure to its rounding)
    assert (mean["lower"], mean["upper"]) == (pytest.approx(191500 / 3318), pytest.approx(192500 / 3318))
    table = html_outputs(executed["en"]).split("mean m² per structure, low")[1].split("</table>")[0]
    assert ">57.7<" in table and ">58.0<" in table and ">57.9<" not in table


def test_printed_percent_keeps_its_decimal(executed: dict[str, nbformat.NotebookNode]) -> None:
    # 489/575 = 85.04: "85.0" in the key results, as in the finding's "85.0%" (final pass, point 1; lib fix)
    use_change = results(executed["en"])["use_change_rectified_per_100_cases"]
    assert use_change["value"] == pytest.approx(489 / 575 * 100)
    assert use_change["display"].startswith("85.0")


def test_referee_2026_12_05_page_points(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh_text, en_text = markdown_text(executed["zh"]), markdown_text(executed["en"])
    # green-space cases across different months: the direction is not safe either (point 4)
    assert "not even the direction is safe" in en_text and "方向也不可靠" in zh_text
    # the August 2021 sub-district reform named beside the lockdown (point 7)
    assert "1 August 2021" in en_text and "2021 年 8 月 1 日" in zh_text
    # English words for 10.8 万余起 (point 8)
    assert "more than 108,000" in en_text and "万余起" not in en_text
    # the plan's whole clause, not cut at 劝阻、 (point 8)
    assert "物业服务企业未履行劝阻、制止、报告法定职责等违法行为" in html_outputs(executed["zh"])
    assert "住宅物业管理" in zh_text
    # the 785 dwellings are a count in a sentence, not a row of the ratios
    assert "785 dwellings annotated" in en_text and "注记 785 套" in zh_text
