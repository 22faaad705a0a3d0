"""The major-operations report: like with like, ranges in the ranking, the reading of 余."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, results

STEM = "major_operations"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_ciie_cases_per_person_time_carry_rounding(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    ciie = results(executed["zh"])["ciie_cases_per_1000_person_times"]
    assert ciie["headline"]
    # 10,857 cases over "5.5 万人次" (54,500-55,500)
    assert ciie["value"] == pytest.approx(10857 / 55000 * 1000)
    assert (ciie["lower"], ciie["upper"]) == (pytest.approx(10857 / 55500 * 1000),
                                              pytest.approx(10857 / 54500 * 1000))
    assert results(executed["zh"])["ciie_phases"]["value"] == 4


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
    # both readings of 余 in every run: 7 of 7 comparisons settled below the next unit, 3 with no ceiling
    for run in (zh, en):
        assert run["comparisons_settled_next_unit"]["value"] == 7
        assert run["comparisons_settled_open"]["value"] == 3


def test_share_of_all_cases_is_not_shown_at_its_excluded_top(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    share = results(executed["zh"])["ciie_share_of_all_cases"]
    # 10,857 of "10.8 万余起" (108,000-109,000): the middle, and the range to the excluded top
    assert share["value"] == pytest.approx(10857 / 108500 * 100)
    assert (share["lower"], share["upper"]) == (pytest.approx(10857 / 109000 * 100), pytest.approx(10857 / 108000 * 100))
    assert share["display"].startswith("10 %")
