"""The 2022 overview: composition of all cases, executed in both languages on the real tables."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, results

STEM = "overview_2022"
# the 18 categories of the domain sections (self-built housing included), from the 2022 summary
LISTED = (5334 + 1104 + 10052 + 1706 + 577 + 2 + 28712 + 10074 + 3196 + 2352 + 1771 + 265 + 19
          + 1775 + 3202 + 17747 + 8803 + 107)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_listed_categories_and_remainder(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    assert zh["categories"]["value"] == 18
    # 10.8万余 stands for more than 108,000 and fewer than 109,000
    assert zh["remainder"]["lower"] == 108000 - LISTED
    assert zh["remainder"]["upper"] == 109000 - LISTED
    assert zh["listed_share"]["lower"] == pytest.approx(LISTED / 109000 * 100)
    assert zh["listed_share"]["headline"]


def test_the_parameter_changes_the_categories(executed: dict[str, nbformat.NotebookNode]) -> None:
    en = results(executed["en"])
    assert en["categories"]["value"] == 17
    assert en["remainder"]["lower"] == 108000 - (LISTED - 107)
    # the largest category is street vending: 28,712 of 108,000-109,000
    assert en["largest_share"]["upper"] == pytest.approx(28712 / 108000 * 100)


def test_hotline_orders_per_case_carry_both_roundings(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    hotline = results(executed["zh"])["hotline_per_case"]
    assert hotline["lower"] == pytest.approx(82500 / 109000)
    assert hotline["upper"] == pytest.approx(83500 / 108000)


def test_same_months_fall_from_printed_bounds(executed: dict[str, nbformat.NotebookNode]) -> None:
    # January-September: 12万多起 (120,000-130,000) in 2021, "74,000 cases" in 2022, exact by the rules
    fall = results(executed["zh"])["jan_sep_fall_pct"]
    assert fall["lower"] == pytest.approx((1 - 74000 / 120000) * 100)
    assert fall["upper"] == pytest.approx((1 - 74000 / 130000) * 100)
    # the days of complete stop that would explain it: 273 days times the fall
    days = results(executed["zh"])["lockdown_days_to_explain_fall"]
    assert days["lower"] == pytest.approx(273 * (1 - 74000 / 120000))
    assert days["upper"] == pytest.approx(273 * (1 - 74000 / 130000))


def test_press_rounding_widens_the_fall_and_the_fourth_quarter(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    # the whole year (10.8万余: 108,000-109,000) minus January-September
    assert (zh["q4_2022_cases"]["lower"], zh["q4_2022_cases"]["upper"]) == (108000 - 74000, 109000 - 74000)
    # press_round_to = 1000 in the en run: 74,000 stands for 73,500-74,500
    assert (en["q4_2022_cases"]["lower"], en["q4_2022_cases"]["upper"]) == (108000 - 74500, 109000 - 73500)
    assert en["jan_sep_fall_pct"]["lower"] == pytest.approx((1 - 74500 / 120000) * 100)
    assert en["jan_sep_fall_pct"]["upper"] == pytest.approx((1 - 73500 / 130000) * 100)
