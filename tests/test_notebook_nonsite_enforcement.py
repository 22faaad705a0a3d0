"""The non-site enforcement report: a share with its range, no baseline for the low-risk shares, and
the inspections saved by grading as a function of assumed frequencies."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, html_outputs, markdown_text, results

from chengguan.stats import proportion

STEM = "nonsite_enforcement"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_nonsite_share_carries_the_range_of_the_total(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    share = results(executed["zh"])["nonsite_share_of_all_cases"]
    assert not share["headline"]
    # 4,119 non-site cases of "10.8 万余起": more than 108,000, below 109,000
    assert share["value"] == pytest.approx(4119 / 108000 * 100)
    assert share["lower"] == pytest.approx(4119 / 109000 * 100)
    assert share["upper"] == pytest.approx(4119 / 108000 * 100)


def test_nonsite_share_of_the_cases_of_the_areas_it_serves(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    street = 28712 + 10074 + 3196 + 2352 + 1771 + 265 + 19  # the seven street kinds of section 二（二）
    areas = street + 10052 + 1104  # with construction waste and construction-site dust, noise and light
    assert zh["nonsite_share_of_named_areas"]["headline"]
    assert zh["nonsite_share_of_named_areas"]["value"] == pytest.approx(4119 / areas * 100)
    assert zh["nonsite_share_of_street_kinds"]["value"] == pytest.approx(4119 / street * 100)
    # the sub-district's figure of another period is named, not compared
    assert "四平路街道" in markdown_text(executed["zh"])


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
    assert shops["value"] == 175000 and shops["display"].startswith("175,000")
    # "no earlier value" is not a finding: it stays in the text, not in the key results
    assert "low_risk_share_earlier_values" not in zh
    assert "升至" in markdown_text(executed["zh"])


def test_saving_follows_the_assumed_frequencies(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    # a scenario, said in the text and kept out of the key results
    assert "shopfront_saving_at_parameters" not in results(executed["zh"])
    # default 1 / 4 / 4 a year: 1 - (0.894 * 1 + 0.106 * 4) / 4 = 0.75 * 89.4% = 67%
    assert f"商户节省 {0.75 * 89.4:.0f}%" in markdown_text(executed["zh"])
    # 2 / 6 / 6 a year (the en run): (1 - 1/3) * 89.4% = 60%
    assert f"shops save {89.4 * 2 / 3:.0f}%" in markdown_text(executed["en"])
    # the most grading can save does not depend on the frequencies: the low-risk share itself
    assert "to 89.4% (never inspected)" in markdown_text(executed["en"])


def test_record_check_is_a_range_of_counts(executed: dict[str, nbformat.NotebookNode]) -> None:
    en = results(executed["en"])["accurate_records"]
    # 90% of 6,052 rounded to a whole percent: 5,417..5,477 accurate records
    assert (en["lower"], en["upper"]) == (5417, 5477)
    # the sampling interval (99% in the en run) is shown in the report's table
    assert f"{proportion(5417, 6052, 0.99, 'wilson', per=100).low:.1f}%" in str(
        [o for c in executed["en"].cells for o in c.get("outputs", [])])


def test_the_denominator_is_the_likeliest_not_the_summary_s_word(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    # referee (second pass): 聚焦沿街商户、建筑工地、工程渣土 is about video supervision (一网统管), not about
    # non-site enforcement; the page says so and takes these areas as the likeliest denominator
    zh, en = results(executed["zh"]), results(executed["en"])
    assert "视频监管领域" in zh["nonsite_share_of_named_areas"]["label"]
    assert "video-supervised areas" in en["nonsite_share_of_named_areas"]["label"]
    for lang, banned, said in [("zh", ["所服务", "所以它服务"], "最可能的分母"),
                               ("en", ["it serves", "the areas the summary ties it to", "says only that it focuses"],
                                "likeliest denominator")]:
        text = markdown_text(executed[lang]) + str(results(executed[lang]))
        assert not [b for b in banned if b in text], lang
        assert said in text
    text = markdown_text(executed["en"])
    assert "about half as large (3.8% against 7.2%)" in text and "of that share" not in text
    assert "63 cases (counted in 件)" in text
    assert "at most ±0.10 points" in text


def test_each_figure_is_listed_once_in_the_appendix(executed: dict[str, nbformat.NotebookNode]) -> None:
    # the Siping Road figure was loaded through its domain and its indicator, and listed twice
    for lang in ["zh", "en"]:
        assert html_outputs(executed[lang]).count("共办理非现场执法案件63件") == 1
