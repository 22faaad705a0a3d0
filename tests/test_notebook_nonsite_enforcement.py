"""The non-site enforcement report: a share with its range, no baseline for the low-risk shares, and
the inspections saved by grading as a function of assumed frequencies."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, markdown_text, results

from chengguan.stats import proportion

STEM = "nonsite_enforcement"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_nonsite_share_carries_the_range_of_the_total(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    share = results(executed["zh"])["nonsite_share_of_all_cases"]
    assert share["headline"]
    # 4,119 non-site cases of "10.8 万余起": more than 108,000, below 109,000
    assert share["value"] == pytest.approx(4119 / 108000 * 100)
    assert share["lower"] == pytest.approx(4119 / 109000 * 100)
    assert share["upper"] == pytest.approx(4119 / 108000 * 100)


def test_low_risk_units_are_ranges_and_have_no_baseline(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    # 4,295 sites exactly; 52.3% fits 2,245..2,248 of them (52.25% <= k/4295 < 52.35%)
    sites = zh["construction_site_low_risk_units"]
    assert (sites["lower"], sites["upper"]) == (2245, 2248)
    # 19.6万 (195,500-196,500) shops x 89.4% (89.35-89.45%)
    shops = zh["shopfront_low_risk_units"]
    assert (shops["lower"], shops["upper"]) == (174680, 175769)
    # the product of two rounded figures is shown as "about 175,000", not 175,224
    assert shops["value"] == 175000 and shops["display"].startswith("175,000 ")
    # "no earlier value" is not a finding: it stays in the text, not in the key results
    assert "low_risk_share_earlier_values" not in zh
    assert "升至" in markdown_text(executed["zh"])


def test_saving_follows_the_assumed_frequencies(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    # default 1 / 4 / 4 a year: 1 - (0.894 * 1 + 0.106 * 4) / 4 = 0.75 * 89.4%
    assert zh["shopfront_saving_at_parameters"]["value"] == pytest.approx(0.75 * 89.4)
    # 2 / 6 / 6 a year (the en run): (1 - 1/3) * 89.4%
    assert en["shopfront_saving_at_parameters"]["value"] == pytest.approx(89.4 * 2 / 3)
    # the most grading can save does not depend on the frequencies: the low-risk share itself
    assert zh["shopfront_saving_most"]["value"] == en["shopfront_saving_most"]["value"] == 89.4


def test_record_check_is_a_range_of_counts(executed: dict[str, nbformat.NotebookNode]) -> None:
    en = results(executed["en"])["accurate_records"]
    # 90% of 6,052 rounded to a whole percent: 5,417..5,477 accurate records
    assert (en["lower"], en["upper"]) == (5417, 5477)
    # the sampling interval (99% in the en run) is shown in the report's table
    assert f"{proportion(5417, 6052, 0.99, 'wilson', per=100).low:.1f}%" in str(
        [o for c in executed["en"].cells for o in c.get("outputs", [])])
