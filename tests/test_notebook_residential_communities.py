"""The residential-communities report: case kinds, rectification ceilings, the plan."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, markdown_text, results

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
    zh, en = results(executed["zh"]), results(executed["en"])
    assert zh["load_bearing_site_share_rectified"]["value"] == pytest.approx(726 / 846 * 100)
    assert en["load_bearing_site_share_rectified"]["value"] == pytest.approx(726 / (846 * 2) * 100)


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
    # 192,000 m² against 245,000 m², both written in full
    assert zh["area_per_day_change_pct"]["value"] == pytest.approx(((192000 / 273) / (245000 / 262) - 1) * 100)


def test_mean_area_per_structure(executed: dict[str, nbformat.NotebookNode]) -> None:
    assert results(executed["en"])["mean_area_per_structure_2022"]["value"] == pytest.approx(192000 / 3318)
