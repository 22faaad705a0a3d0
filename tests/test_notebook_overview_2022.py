"""The 2022 overview: composition of all cases, executed in both languages on the real tables."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, markdown_text, results

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
    # 10.8万余 stands for more than 108,000 and fewer than 109,000
    assert zh["remainder"]["lower"] == 108000 - LISTED
    assert zh["remainder"]["upper"] == 109000 - LISTED
    assert zh["listed_share"]["lower"] == pytest.approx(LISTED / 109000 * 100)
    assert not zh["listed_share"]["headline"]


def test_the_parameter_changes_the_categories(executed: dict[str, nbformat.NotebookNode]) -> None:
    en = results(executed["en"])
    assert en["remainder"]["lower"] == 108000 - (LISTED - 107)
    # the largest category is street vending: 28,712 of 108,000-109,000
    assert en["largest_share"]["upper"] == pytest.approx(28712 / 108000 * 100)


def test_the_lockdown_explains_at_most_part_of_the_fall(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    # 65 days of lockdown in the 273 days of January-September: with no case on those days and the
    # 2021 level on the others, cases per day fall by 65/273 at most; that share of the fall
    share = results(executed["zh"])["lockdown_share_of_fall_at_most"]
    assert share["headline"]
    assert share["lower"] == pytest.approx(65 / 273 / (1 - 74000 / 130000) * 100)
    assert share["upper"] == pytest.approx(65 / 273 / (1 - 74000 / 120000) * 100)
    assert share["upper"] < 65  # the title's "at most about 60%"


def test_same_months_fall_from_printed_bounds(executed: dict[str, nbformat.NotebookNode]) -> None:
    # January-September: 12万多起 (120,000-130,000) in 2021, "74,000 cases" in 2022, exact by the rules
    fall = results(executed["zh"])["jan_sep_fall_pct"]
    assert fall["lower"] == pytest.approx((1 - 74000 / 120000) * 100)
    assert fall["upper"] == pytest.approx((1 - 74000 / 130000) * 100)
    # the other 208 days, even with no case in the lockdown, had fewer cases per day than 2021
    other_days = results(executed["zh"])["fall_on_other_days_pct"]
    assert other_days["lower"] == pytest.approx((1 - 74000 / 208 / (120000 / 273)) * 100)
    assert other_days["upper"] == pytest.approx((1 - 74000 / 208 / (130000 / 273)) * 100)


def test_press_rounding_widens_the_fall_and_the_fourth_quarter(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    # the whole year (10.8万余: 108,000-109,000) minus January-September
    assert (zh["q4_2022_cases"]["lower"], zh["q4_2022_cases"]["upper"]) == (108000 - 74000, 109000 - 74000)
    # press_round_to = 1000 in the en run: 74,000 stands for 73,500-74,500
    assert (en["q4_2022_cases"]["lower"], en["q4_2022_cases"]["upper"]) == (108000 - 74500, 109000 - 73500)
    assert en["jan_sep_fall_pct"]["lower"] == pytest.approx((1 - 74500 / 120000) * 100)
    assert en["jan_sep_fall_pct"]["upper"] == pytest.approx((1 - 73500 / 130000) * 100)


def test_an_order_to_rectify_is_an_output_not_an_outcome(executed: dict[str, nbformat.NotebookNode]) -> None:
    # 生活垃圾's only "rectification" figure is 责令整改 34,787 起: orders issued, not problems put right
    text = markdown_text(executed["zh"])
    assert "14 个没有任何结果类数字" in text and "生活垃圾" in text.split("14 个没有任何结果类数字")[1][:200]
    assert "9 个只说做了什么" in text
