"""The garbage-sorting report, executed in both languages on the real tables."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, markdown_text, results

from chengguan.stats import poisson_rate

STEM = "garbage_sorting"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_disposition_mix(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    assert zh["case_share_latest_year"]["value"] == pytest.approx(17747 / (54339 + 34787 + 17747) * 100)
    # exact integer counts: no degenerate range
    assert zh["case_share_latest_year"]["lower"] is None and zh["case_share_latest_year"]["upper"] is None
    # the rise of the case share is a range over the launch periods, not one day's multiple
    assert en["case_share_rise_range_high"]["value"] == pytest.approx(
        (17747 / (54339 + 34787 + 17747)) / (20 / (881 + 623 + 20)))
    assert en["case_share_rise_range_low"]["value"] < en["case_share_rise_range_high"]["value"]


def test_cases_follow_orders(executed: dict[str, nbformat.NotebookNode]) -> None:
    # the regulation fines only a refused order: cases per 100 orders is the headline
    zh = results(executed["zh"])
    assert zh["cases_per_100_orders_latest_year"]["headline"]
    assert zh["cases_per_100_orders_latest_year"]["value"] == pytest.approx(17747 / 34787 * 100)
    assert "拒不改正的" in markdown_text(executed["zh"])
    # the change of wording across the 2021 penalty-law revision is flagged, with its sensitivity
    assert "依法查处" in markdown_text(executed["zh"]) and "行政处罚法" in markdown_text(executed["zh"])


def test_rates_carry_the_rounding_of_printed_figures(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    en = results(executed["en"])["cases_per_1000_inspections_latest_year"]
    assert en["value"] == pytest.approx(17747 / 133000 * 1000)
    # 13.3万次 stands for 132,500-133,500 inspections
    assert en["lower"] == pytest.approx(17747 / 133500 * 1000)
    assert en["upper"] == pytest.approx(17747 / 132500 * 1000)


def test_plan_mentions_no_household_garbage(executed: dict[str, nbformat.NotebookNode]) -> None:
    # the plan's silence is said on the page, with what it does not mean; a count of words is no key result
    assert "plan_2023_household_garbage_mentions" not in results(executed["zh"])
    assert "提及“生活垃圾” **0 次**" in markdown_text(executed["zh"])
    assert "not that this enforcement stopped" in markdown_text(executed["en"])


def test_the_follow_on_reading(executed: dict[str, nbformat.NotebookNode]) -> None:
    # cases read as the follow-on of orders: the violations acted on are education + orders
    zh = markdown_text(executed["zh"])
    assert f"2022 年立案占 {17747 / (54339 + 34787) * 100:.1f}%" in zh
    assert "首次被发现，且拒不改正的" in zh
    # the lockdown bound on 2022's daily rate: no cases in its 65 days leaves 300
    assert f"at most {17747 / 300:.1f}" in markdown_text(executed["en"])


def test_parameters_reach_the_analysis(executed: dict[str, nbformat.NotebookNode]) -> None:
    # the first week read as 6 days (zh, default) or 7 days (en): 190 cases over either
    zh = results(executed["zh"])["cases_per_day_first_week"]
    en = results(executed["en"])["cases_per_day_first_week"]
    assert zh["value"] == pytest.approx(190 / 6) and en["value"] == pytest.approx(190 / 7)
    # its range is the larger uncertainty, the period length: 190 cases over 7 or 6 days
    assert (zh["lower"], zh["upper"]) == (pytest.approx(190 / 7), pytest.approx(190 / 6))
    # counting noise on 190 cases is of the same size, not smaller: the page says so
    assert poisson_rate(190, 6, 0.9).high - poisson_rate(190, 6, 0.9).low > 190 / 6 - 190 / 7


def test_the_first_year_beside_the_launch_and_2022(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    for lang in ("zh", "en"):
        year = results(executed[lang])["cases_per_1000_inspections_first_year"]
        # 9,585 cases over "about 152,000" inspections, read as 151,500-152,500
        assert year["value"] == pytest.approx(9585 / 152000 * 1000)
        assert (year["lower"], year["upper"]) == pytest.approx(
            (9585 / 152500 * 1000, 9585 / 151500 * 1000))
        # between the first week and 2022, ranges apart
        week = results(executed[lang])["cases_per_1000_inspections_first_week"]
        assert (week["upper"] or week["value"]) < year["lower"]  # exact counts: no range
        assert year["upper"] < results(executed[lang])["cases_per_1000_inspections_latest_year"]["lower"]
    assert results(executed["zh"])["unit_case_share_first_year"]["value"] == pytest.approx(
        7472 / 9585 * 100)
    assert "at most 25.2" in markdown_text(executed["en"])
