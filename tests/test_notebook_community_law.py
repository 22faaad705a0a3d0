"""The community-service, publicity and law report, executed in both languages."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, markdown_text, results

STEM = "community_law"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_no_penalty_list_against_the_case_total(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    # hotline tickets per case is a comparison of scale: in the text, not among the key results
    assert "hotline_tickets_per_100_cases" not in zh
    assert "0.76–0.77" in markdown_text(executed["zh"])
    share = zh["not_penalized_list_pct_of_cases"]
    assert share["lower"] == pytest.approx(500 / 109000 * 100)
    assert share["upper"] == pytest.approx(500 / 108000 * 100)
    assert "不是全部未受处罚的违法" in share["label"]
    assert zh["credit_threshold_rise_pct"]["value"] == pytest.approx((5000 / 3000 - 1) * 100)


def test_the_procedure_parameter_sets_the_district_fines(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    # Every report of the series, part years and Baoshan's cases "handled" included. zh: ordinary
    # procedure (default); en: every case concluded. Changning 2025 (to 2 December) is highest either
    # way: 140万余元 / 358 cases, above Baoshan 2021 (12,676,280.64 / 4,875) and Changning 2024
    # (318万余元 / 1,309); and 144.6万余元 / 886 cases concluded.
    zh = results(executed["zh"])["highest_district_average_fine"]
    en = results(executed["en"])["highest_district_average_fine"]
    assert zh["headline"]
    assert zh["value"] == pytest.approx(1400000 / 358)
    assert zh["upper"] == pytest.approx(1410000 / 358)
    assert zh["lower"] > 12676280.64 / 4875 > 3190000 / 1309
    assert zh["upper"] < 5000
    assert en["value"] == pytest.approx(1446000 / 886)
    assert "第二批轻微违法行为不予处罚清单" in markdown_text(executed["zh"])


def test_complaints_and_satisfaction_in_other_periods(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    for lang in ("zh", "en"):
        zh = results(executed[lang])
        # complaints fell 33.6% (33.55-33.65) in January-September 2022 from a year earlier
        remaining = zh["complaints_2022_pct_of_2021"]
        assert remaining["value"] == pytest.approx(66.4)
        assert (remaining["lower"], remaining["upper"]) == pytest.approx((66.35, 66.45))
        # one round of the satisfaction survey: 89.47 points in the first half of 2025
        assert zh["satisfaction_score_2025_h1"]["value"] == pytest.approx(89.47)
    # 65 lockdown days (28 March - 31 May) of the 273 days of January-September
    assert "65 of those 273 days" in markdown_text(executed["en"])
