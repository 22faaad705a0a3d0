"""The community-service, publicity and law report, executed in both languages."""

from __future__ import annotations

import nbformat
import pytest
from chengguan.text import load_text
from notebook_runs import assert_clean_report, html_outputs, markdown_text, results

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


def test_referee_first_pass_claims(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = markdown_text(executed["zh"]), markdown_text(executed["en"])
    # the title's scope, counted: zh (ordinary procedure) five reports of three districts; en (every case
    # concluded) four reports of two districts, Baoshan counting cases handled; never "every district"
    assert "三个区五份报告中" in zh
    assert "in four reports of two districts, fines per case concluded average under" in en
    assert "every district's" not in en
    # a higher threshold admits no more organisations for the same fines; fewer only if fined 3,000-4,999
    assert "fewer organisations enter" not in en and "3,000–4,999 yuan" in en
    assert "意味着更少的组织" not in zh and "3000–4999 元" in zh
    # letters and visits: a different channel, a volume only; no "one for every" ratio
    assert "one for every" not in en and f"about {985 / 83000 * 100:.0f}% as many as hotline tickets" in en
    assert "约 227 起" in zh and "227 张" not in zh
    # the satisfaction score's direction, without the earlier round's figure
    assert "rose from the second half of 2024" in en
    # a word missing from the plan is not a dropped task
    assert "谁执法谁普法" in zh and "a missing word is not a dropped task" in en
    # cases without a fine sit in the denominator
    assert "672 demolition" in en and "拆违案件 672 件" in zh


def test_referee_final_pass_claims(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = markdown_text(executed["zh"]), markdown_text(executed["en"])
    # the 672 demolition cases are not cases without a fine: Baoshan's 427 demolition-procedure cases of
    # 2021 were fined 1,376,850 yuan; a case closed without a fine makes the average per fined case at
    # least as high, not "higher"
    # without the Markdown escapes of filled-in values and the line breaks of the text
    flat_zh, flat_en = (" ".join(text.replace("\\", "").split()) for text in (zh, en))
    assert "so the average per fined case is higher" not in flat_en and "罚款会更高" not in flat_zh
    assert "at least as high" in flat_en and "不会更低" in flat_zh
    assert f"{427:,} demolition-procedure cases of 2021 were fined {1376850:,} yuan, {1376850 / 427:,.0f} a case" in flat_en
    assert f"罚款 {1376850:,} 元，每件 {1376850 / 427:,.0f} 元" in flat_zh
    # the title: zh about 42 characters, en at most 20 words
    zh_title = next(line for line in zh.splitlines() if line.startswith("# ")).removeprefix("# ")
    en_title = next(line for line in en.splitlines() if line.startswith("# ")).removeprefix("# ")
    assert len(zh_title.replace(" ", "")) <= 42 and "三个区五份报告中" in zh_title
    assert len(en_title.split()) <= 20
    # no brackets inside brackets in the headline label; half-years in words, no ISO range
    zh_label = results(executed["zh"])["highest_district_average_fine"]["label"]
    assert "（长宁区，2025 年 1 月 1 日至 12 月 2 日）" in zh_label and "长宁区（2025 年 1 月 1 日至 12 月 2 日，办结" in zh
    assert "(Changning, 1 January – 2 December 2025)" in results(executed["en"])["highest_district_average_fine"]["label"]
    zh_html, en_html = html_outputs(executed["zh"]), html_outputs(executed["en"])
    assert "second half of 2022 to first half of 2025" in en_html and "2022 年下半年至 2025 年上半年" in zh_html
    assert "2022-07-01" not in en_html and "2022-07-01" not in zh_html
    # the chart's source line names no pale bars no one can see: the ranges (at most 28 yuan) are narrower
    # than the dots
    assert "Pale bars" not in load_text(STEM, "en", "en").chart("source_fines", widest=28)
    assert "narrower than the dots" in load_text(STEM, "en", "en").chart("source_fines", widest=28)
    assert "比圆点还窄" in load_text(STEM, "zh", "zh").chart("source_fines", widest=28)
    # no ISO date ranges in the prose, no parser notes
    assert "2025-01-01" not in en and "2025-12-02" not in zh
    assert "parser" not in en and "解析器" not in zh
    assert "about 0.46%" in en
