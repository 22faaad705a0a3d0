"""The garbage-sorting report, executed in both languages on the real tables."""

from __future__ import annotations

import re

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
    # shown to one decimal, as the finding prints it (12.65 -> 12.7; 20 days: 4.57 -> 4.6)
    assert en["case_share_rise_range_high"]["value"] == pytest.approx(
        round((17747 / (54339 + 34787 + 17747)) / (20 / (881 + 623 + 20)), 1))
    assert en["case_share_rise_range_low"]["value"] == pytest.approx(
        round((17747 / (54339 + 34787 + 17747)) / (607 / (9670 + 6436 + 607)), 1))
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


def test_the_like_for_like_comparison_is_the_first_year(executed: dict[str, nbformat.NotebookNode]) -> None:
    # referee point 1: a year against a year, not a 6-day launch window; the first year's orders are
    # "more than 38,000", so 2022 is at least 51.02 / 25.22 = 2.02 times it (cut to 2.0)
    zh, en = markdown_text(executed["zh"]), markdown_text(executed["en"])
    assert 17747 / 34787 / (9585 / 38000) >= 2.0
    assert "2022 年每百起责令整改对应 51 起立案，至少是施行第一年的 2.0 倍" in zh
    assert "51 cases per 100 rectification orders in 2022, at least 2.0 times the regulation's first year" in en
    # referee point 2: "far larger than at the launch" is gone; the launch windows' low rates are explained
    assert "far larger than at the launch" not in en and "远高于施行初期" not in zh
    assert "至少是施行第一年的 2.0 倍（51.0 对至多 25.2）" in zh
    assert "at least 2.0 times the regulation's first year (51.0 against at most 25.2)" in en
    assert "首日、首周的比率偏低，部分因为限期整改尚未到期" in zh
    # the first week's key result to the prose's precision
    assert results(executed["zh"])["cases_per_100_orders_first_week"]["value"] == pytest.approx(5.6)


def test_the_littering_cases_of_the_same_paragraph(executed: dict[str, nbformat.NotebookNode]) -> None:
    # referee point 3: if education and orders include littering, (17,747 + 8,803) / 34,787 = 76.3 per 100
    # orders and 26,550 / 115,676 = 23.0% of the three actions: the printed readings are lower ends
    with_littering = (17747 + 8803) / 34787 * 100
    share = (17747 + 8803) / (54339 + 34787 + 17747 + 8803) * 100
    assert f"{with_littering:.1f}" == "76.3" and f"{share:.1f}" == "23.0"
    zh, en = markdown_text(executed["zh"]), markdown_text(executed["en"])
    assert "乱扔垃圾类案件 8,803 起" in zh and "8,803 littering cases" in en
    assert "51.0–76.3（51.0 是下限）" in zh and "16.6%–23.0%" in zh
    assert "51.0–76.3 (51.0 is the lower end)" in en and "16.6%–23.0%" in en


def test_the_definition_threshold_is_about_half(executed: dict[str, nbformat.NotebookNode]) -> None:
    # referee point 4: 1 - 25.22 / 51.02 = 50.6%, not "at least 51%"
    needed = (1 - (9585 / 38000) / (17747 / 34787)) * 100
    assert f"{needed:.1f}" == "50.6"
    assert "至少约一半（50.6%）" in markdown_text(executed["zh"])
    assert "at least about half (50.6%)" in markdown_text(executed["en"])
    html = executed["en"].cells
    tables = [o["data"]["text/html"] for c in html if c.cell_type == "code" for o in c.get("outputs", [])
              if "text/html" in o.get("data", {}) and "still above the first year&#x27;s ceiling (25.2)"
              in o["data"]["text/html"].replace("&#39;", "&#x27;").replace("'", "&#x27;")]
    (table,) = tables
    rows = [float(cell) for cell in re.findall(r"<tr><td[^>]*>([0-9.]+)</td>", table)]
    assert rows == [0, 25, 50, 50.6, 75]
    # final pass: 25.2 is the first year's ceiling (9,585 / 38,000), not a launch-period reading (those
    # peak at 9.43); each row's yes/no is against 25.2: 51.0, 38.3, 25.5 above; 25.2 and 12.8 not
    assert re.findall(r">(yes|no)</td></tr>", table) == ["yes", "yes", "yes", "no", "no"]
    assert "would 2022's rate fall to the first year's ceiling (25.2)" in markdown_text(executed["en"])
    assert "launch-period reading" not in markdown_text(executed["en"])
    zh = markdown_text(executed["zh"])
    assert "2022 年的比率才会降到施行第一年的上限（25.2）" in zh and "施行初期的最高值" not in zh
    assert any("仍高于第一年的上限（25.2）" in o["data"]["text/html"] for c in executed["zh"].cells
               if c.cell_type == "code" for o in c.get("outputs", []) if "text/html" in o.get("data", {}))


def test_tables_show_one_decimal_and_no_false_zero(executed: dict[str, nbformat.NotebookNode]) -> None:
    outputs = [o["data"]["text/html"] for c in executed["en"].cells if c.cell_type == "code"
               for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    # referee point 9: 2022's cases per 1,000 inspections with one decimal, 133.4 (132.9-133.9)
    (rates,) = [t for t in outputs if "cases per 1,000 inspections" in t and "rounding low" in t]
    assert re.search(r"133\.4</td><td[^>]*>132\.9</td><td[^>]*>133\.9</td>", rates)
    # referee point 8: the first year's ratio has no lower end: no 0 in its low cell
    (per_order,) = [t for t in outputs if "orders (as printed)" in t]
    first_year = next(row for row in per_order.split("<tr>") if "9,585" in row)
    assert ">0<" not in first_year and "25.2" in first_year


def test_the_first_year_orders_are_quoted_from_english() -> None:
    # final pass: the zh footnote of the per-order chart quoted "3.8万余" as if the source were Chinese; the
    # source is the English "more than 38,000 cases", filled in from the data
    from chengguan.text import load_text

    zh = load_text(STEM, "zh").chart("source_per_order", summary_year=2022, orders=38000,
                                    orders_printed="more than 38,000 cases")
    assert "第一年的责令整改为“超过 38,000 起”（英文报道：more than 38,000 cases）" in zh
    assert "万余" not in zh
    en = load_text(STEM, "en").chart("source_per_order", summary_year=2022, orders=38000,
                                    orders_printed="more than 38,000 cases")
    assert 'First-year orders are "more than 38,000 cases"' in en
