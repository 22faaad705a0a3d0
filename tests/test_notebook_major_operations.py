"""The major-operations report: like with like, ranges in the ranking, the reading of 余."""

from __future__ import annotations

import re

import nbformat
import pytest
from notebook_runs import assert_clean_report, html_outputs, markdown_text, results

STEM = "major_operations"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_ciie_cases_per_person_time_carry_rounding(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    ciie = results(executed["zh"])["ciie_cases_per_1000_person_times"]
    assert not ciie["headline"]  # the operations' cases differ in kind: no headline ranks on them
    # 10,857 cases over "5.5 万人次" (54,500-55,500)
    assert ciie["value"] == pytest.approx(10857 / 55000 * 1000)
    assert (ciie["lower"], ciie["upper"]) == (pytest.approx(10857 / 55500 * 1000),
                                              pytest.approx(10857 / 54500 * 1000))
    assert "ciie_phases" not in results(executed["zh"])  # a count of phases is no finding


def test_joint_operations_per_person_time_like_with_like(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    times = zh["riverside_joint_operations_times_others"]
    assert times["headline"]
    # riverside 667 / 2.2万余 person-times against the CIIE operation's 206 / 5.5万 (the higher of the two others)
    assert times["value"] == pytest.approx((667 / 22000) / (206 / 55000))
    # below the next unit: 667 / 23,000 at least, against 206 / 54,500 at most
    assert times["lower"] == pytest.approx((667 / 23000) / (206 / 54500))
    # with no ceiling on 余 the riverside's person-times are unbounded: no floor to the ratio
    assert en["riverside_joint_operations_times_others"]["lower"] == 0
    # both ends (referee 2026-12-05): at most 667 / 22,000 against 206 / 55,500, under either reading
    assert times["upper"] == pytest.approx((667 / 22000) / (206 / 55500))
    assert en["riverside_joint_operations_times_others"]["upper"] == pytest.approx((667 / 22000) / (206 / 55500))
    assert "–" in times["display"] and "≥" not in times["display"]


def test_inspections_of_different_kinds_are_not_ranked(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    # 行政检查 (CIIE) and 执法检查 (riverside) differ in meaning: inspections per person-time carry no rank
    assert html_outputs(executed["en"]).count("not ranked (行政检查 vs 执法检查)") == 2
    assert html_outputs(executed["zh"]).count("不排名（行政检查与执法检查不同）") == 2


def test_caveats_and_plan_wording(executed: dict[str, nbformat.NotebookNode]) -> None:
    en, zh = markdown_text(executed["en"]), markdown_text(executed["zh"])
    # the operation's dates are not given: "probably after" the lockdown, not "after"
    assert "probably came after it" in en and "while the CIIE operation came after it" not in en
    assert "很可能在封控之后" in zh
    # one plan figure, said in the singular; zh without 都是
    assert "The 2023 plan has one figure in these domains" in en and "1 figures" not in en
    assert "都是重申" not in zh
    # the city-wide control is the baseline, not a third targeted operation
    assert "not a third targeted operation" in en
    # ... and not the system's routine control: section 二（九） focuses it on holidays, events and places
    # (final pass, point 1)
    assert "focused on holidays, major events and key places) is the baseline here" in en
    assert "routine street control" not in en
    assert "聚焦节假日、重大活动和重点场所）在这里是基线" in zh and "日常街面管控" not in zh


def test_percent_ranges_carry_the_sign_on_both_ends(executed: dict[str, nbformat.NotebookNode]) -> None:
    # "0.181%–0.182%" beside "10.0%–10.1%", not "0.181–0.182%" (final pass, point 2)
    en, zh = markdown_text(executed["en"]), markdown_text(executed["zh"])
    assert "“一江一河” 0.181%–0.182%" in zh and "0.181–0.182" not in zh
    # en reads 万余 with no ceiling: the range runs from 0, its ends still both with the sign
    assert re.search(r"the riverside's [\d.]+%–[\d.]+%", en)


def test_appendix_holds_only_the_figures_used(executed: dict[str, nbformat.NotebookNode]) -> None:
    html = html_outputs(executed["en"])
    # the 2022 summary only: no Jan-Sep press totals, no other districts' or years' figures
    for absent in ("74,000", "12万多", "6000多个", "62897.81", "13万平米"):
        assert absent not in html, absent


def test_the_reading_of_yu_moves_the_riverside_range(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    # "2.2 万余人次": below 23,000 (zh, default) or with no ceiling (en, "open")
    river_zh, river_en = zh["riverside_cases_per_1000_person_times"], en[
        "riverside_cases_per_1000_person_times"]
    assert river_zh["upper"] == river_en["upper"] == pytest.approx(197 / 22000 * 1000)
    assert river_zh["lower"] == pytest.approx(197 / 23000 * 1000)
    assert river_en["lower"] == 0
    # the CIIE/riverside ratio of cases per person-time is not a key result: their "cases" differ
    assert "ciie_over_riverside_cases_per_person_time" not in zh
    # counts of settled comparisons mean nothing to a reader: not key results
    assert "comparisons_settled_next_unit" not in zh


def test_share_of_all_cases_is_not_shown_at_its_excluded_top(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    share = results(executed["zh"])["ciie_share_of_all_cases"]
    # 10,857 of "10.8 万余起" (108,000-109,000): the middle, and the range to the excluded top
    assert share["value"] == pytest.approx(10857 / 108500 * 100)
    assert (share["lower"], share["upper"]) == (pytest.approx(10857 / 109000 * 100), pytest.approx(10857 / 108000 * 100))
    # a number that is not whole keeps one decimal (lib 37382b4): "10.0%", the middle, not the excluded top
    assert share["display"].replace(" ", "").startswith("10.0%")  # zh may drop the space before % (lib/display)
