"""The epidemic-duty report, executed in both languages on the real tables."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, markdown_text, results

STEM = "epidemic_duty"
LOCKDOWN_DAYS = 65  # 28 March - 31 May 2022, data/events.csv


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_problems_per_check_carry_the_rounding(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    disinfection = zh["disinfection_problems_per_1000_inspections"]
    assert not disinfection["headline"]
    assert disinfection["value"] == pytest.approx(4382 / 131000 * 1000)
    # 13.1万余次 stands for 131,000-132,000 inspections
    assert disinfection["lower"] == pytest.approx(4382 / 132000 * 1000)
    assert disinfection["upper"] == pytest.approx(4382 / 131000 * 1000)
    # the 321万余 checks combine grading checks and place-code checks: labelled so
    place_code = results(executed["en"])["grading_and_place_code_problems_per_1000_checks"]
    assert "combined" in place_code["label"]
    assert place_code["value"] == pytest.approx(4465 / 3210000 * 1000)
    # the ranking of the report holds at the ends of the ranges
    assert disinfection["lower"] > zh["courier_problems_per_1000_checked"]["upper"] > place_code["upper"]


def test_years_compared_like_with_like(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    # a count of indicators is no key result; the text says it
    assert "indicators_shared_across_years" not in zh
    assert "跨年共有的指标：0 个" in markdown_text(executed["zh"])
    # person-times counted: 2022 disinfection 3.6万 + rescue 3.5万余 against 2021 street,
    # community and port control
    share = zh["staff_person_times_2022_pct_of_2021"]
    assert share["value"] == pytest.approx((36000 + 35000) / (1316500 + 105200 + 10844) * 100)
    assert share["lower"] == pytest.approx((35500 + 35000) / (1316550 + 105250 + 10844) * 100)
    assert zh["plan_2023_epidemic_mentions"]["value"] == 0
    assert "整建制参与社区防疫" in markdown_text(executed["zh"])


def test_duty_period_reaches_the_daily_rates(executed: dict[str, nbformat.NotebookNode]) -> None:
    # zh runs the default lockdown reading, en spreads the 2022 figures over the year
    zh = results(executed["zh"])["staff_person_times_per_day_2022"]
    en = results(executed["en"])["staff_person_times_per_day_2022"]
    assert zh["value"] == pytest.approx((36000 + 35000) / LOCKDOWN_DAYS)
    assert en["value"] == pytest.approx((36000 + 35000) / 365)


def test_pudong_threshold_holds_at_the_bounds(executed: dict[str, nbformat.NotebookNode]) -> None:
    # 3.6万 (35,500-36,500) + 3.5万余 (35,000-36,000) person-times at most 72,500, over 1800余 officers
    days = results(executed["zh"])["pudong_days_to_exceed_city_count"]
    assert days["headline"]
    assert days["value"] == pytest.approx(72500 / 1800)
    assert 1800 * 40 < 72500 < 1800 * 41  # 40 days is not enough at the upper bound; 41 is
    assert "即 41 天或更多" in markdown_text(executed["zh"])
    assert "that is 41 days or more" in markdown_text(executed["en"])
