"""The workforce, training and supervision report, executed in both languages."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, markdown_text, results

from chengguan.stats import poisson_rate

STEM = "workforce_supervision"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_problems_per_case_file_and_the_confidence_parameter(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])["problems_per_case_file"]
    en = results(executed["en"])["problems_per_case_file"]
    assert zh["headline"]
    assert zh["value"] == pytest.approx(1672 / 332) == en["value"]
    # 95% in zh (default), 90% in en: the interval narrows
    assert zh["lower"] == pytest.approx(poisson_rate(1672, 332, 0.95).low)
    assert en["lower"] == pytest.approx(poisson_rate(1672, 332, 0.9).low)
    assert en["lower"] > zh["lower"]


def test_the_rectification_rate_fits_no_rounded_count(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    # 39/59 = 66.1%, 40/59 = 67.8%: no whole count rounds to 67%
    assert "rectified_counts_fitting_67pct" not in zh  # a count of integers is said in the text
    assert "符合的整数个数：0" in markdown_text(executed["zh"])
    assert zh["problems_per_squadron_checked"]["value"] == pytest.approx(59 / 30)
    # 99.1% of 211 is 209 recruits, so 2 did not qualify
    assert zh["new_recruits_not_qualified"]["value"] == 2


def test_targets_against_2022(executed: dict[str, nbformat.NotebookNode]) -> None:
    en = results(executed["en"])
    gap = en["regular_squadron_gap_points"]
    # 98% against 97.6% printed to one decimal (97.55-97.65)
    assert gap["lower"] == pytest.approx(0.35) and gap["upper"] == pytest.approx(0.45)
    assert en["courseware_target_pct_of_2022"]["value"] == pytest.approx(15 / 23 * 100)
    assert "创建率" in markdown_text(executed["en"])


def test_the_two_headcounts_show_no_change(executed: dict[str, nbformat.NotebookNode]) -> None:
    for lang in ("zh", "en"):
        change = results(executed[lang])["headcount_change_2018_2019"]
        # "more than 7,900" (Feb 2019) minus "about 8,000" (Dec 2018, 7,500-8,500): -100 on its
        # face, from -600 with no ceiling, so zero is inside
        assert change["value"] == -100
        assert change["lower"] == pytest.approx(7900 - 8500) and change["upper"] is None
    # 388 postgraduates of at least 7,900 officers
    share = results(executed["zh"])["postgraduate_share_2019_max"]
    assert share["value"] == pytest.approx(388 / 7900 * 100)
    assert "7,500–8,500" in markdown_text(executed["en"])
