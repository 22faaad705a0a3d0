"""Districts side by side: mentions as a view, not a ranking; district figures compared like with like."""

from __future__ import annotations

import re

import nbformat
import pytest
from notebook_runs import assert_clean_report, html_outputs, markdown_text, outputs, results

STEM = "districts_side_by_side"


def plain(nb: nbformat.NotebookNode) -> str:
    """The prose as a reader sees it: the Markdown escapes of data text removed."""
    return markdown_text(nb).replace("\\", "")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode], lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def standardised(share: float, summary_fine: float, summary_cases: float, ordinary_fine: float,
                 ordinary_cases: float) -> float:
    return share * summary_fine / summary_cases + (1 - share) * ordinary_fine / ordinary_cases


def test_fines_per_case_at_a_common_procedure_mix(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    # the parameter moves the common mix: 50% summary procedure (default) and 60% (en run)
    assert zh["standardised_fine_per_case_minhang_2023"]["value"] == pytest.approx(
        standardised(0.5, 230900, 5345, 3851800, 5768))
    assert en["standardised_fine_per_case_minhang_2023"]["value"] == pytest.approx(
        standardised(0.6, 230900, 5345, 3851800, 5768))
    # 12万余 and 318万余: the upper bounds below the next unit (130,000 and 3,190,000 yuan)
    assert zh["standardised_fine_per_case_changning_2024"]["upper"] == pytest.approx(
        standardised(0.5, 130000, 1753, 3190000, 1309))
    # one bracket in a label (referee: no nested period labels)
    assert zh["standardised_fine_per_case_changning_2025"]["label"].endswith("长宁区 2025 年（截至 12 月 2 日）")
    assert zh["largest_within_district_swing"]["label"].endswith("长宁区 2024 年到 2025 年（截至 12 月 2 日）")
    # no digits the data lack: a range narrower than 0.1% is not shown (355.49 (355.48–355.5) was)
    assert zh["standardised_fine_per_case_minhang_2023"]["upper"] is None
    assert zh["standardised_fine_per_case_baoshan_2021"]["upper"] is None
    assert results(executed["zh"])["standardised_fine_per_case_baoshan_2021"]["display"] == "1,363 元"


def test_the_headline_is_the_one_same_year_pair(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    # Baoshan 2021 counts cases handled (办理) under *_handled indicators: it is kept, and it is the
    # only district with a same-year partner (Minhang 2021). Its 427 demolition-procedure cases
    # (1,376,850 元), listed apart, join its ordinary procedure, where Minhang counts its demolition cases.
    baoshan = standardised(0.5, 254739.8, 3398, 12676280.64 + 1376850, 4875 + 427)
    assert zh["standardised_fine_per_case_baoshan_2021"]["value"] == pytest.approx(baoshan)
    pair = zh["same_year_standardised_fine_ratio"]
    assert pair["headline"]
    assert pair["value"] == pytest.approx(baoshan / standardised(0.5, 260000, 6486, 2530000, 5715))
    assert pair["lower"] > zh["largest_within_district_swing"]["value"]  # the title's "wider"
    assert en["same_year_standardised_fine_ratio"]["value"] == pytest.approx(
        standardised(0.6, 254739.8, 3398, 12676280.64 + 1376850, 4875 + 427)
        / standardised(0.6, 260000, 6486, 2530000, 5715))
    # the box and the prose print the same range
    assert f"{pair['lower']:.2f}–{pair['upper']:.2f}" in markdown_text(executed["zh"])
    en_text = plain(executed["en"])
    # the pair's caveat is one sentence, not fragments
    assert "counts cases handled and Minhang cases concluded, and Baoshan's source is of low reliability" in en_text
    assert "Beware in the one pair" not in en_text
    # the events each within-district comparison crosses, from data/events.csv, said where they fall
    assert ("its 2021 figures already straddle the revised Administrative Penalty Law coming into force (15 July 2021)"
            " and sub-districts becoming enforcement bodies (1 August 2021)") in en_text
    assert "the spring 2022 lockdown (28 March to 31 May) came between the reports" in en_text
    assert "Penalty Law revision in force" not in en_text  # no raw event names pasted
    assert "(from 1 October 2025) fell within the 2025 period" in en_text  # Changning's 2025 reform
    assert "cases are 29% of the earlier one's" in en_text  # Changning's part-year report may be another scope
    zh_text = plain(executed["zh"])
    assert "2021 年的数字本身跨越了修订后的《行政处罚法》施行（2021 年 7 月 15 日）" in zh_text
    assert "2025 年这一期内又有市里把一批街镇执法事项收回区级执法部门（2025 年 10 月 1 日起）" in zh_text


def test_part_year_figures_are_counted(executed: dict[str, nbformat.NotebookNode]) -> None:
    # Changning's 1 Jan-2 Dec 2025 report is shown beside its 2024 one
    html = html_outputs(executed["zh"])
    assert "长宁区 2025 年（截至 12 月 2 日）" in html
    # the side-by-side table is by measure: Baoshan's cases handled are in it, with the demolition procedure
    assert "宝山区 2021 年（办理）" in html and "12,676,280.64 元" in html
    assert "427 件" in html and "672 件（含于普通程序）" in html
    # the ratios name their figures by indicator and value, not by observation id; a figure printed in 万 keeps
    # its printed number beside it
    assert "拆除存量违建处数：226 处" in html and "256,300 处（25.63万）" in html
    assert "拆除存量违建面积：61,603.83 平方米" in html  # not the source's "61603.83平方米" (the appendix keeps it)
    # en: case counts in cases (件 is the library's "item"), Chinese units only as printed figures in brackets
    # (the evidence appendix is the library's, and left aside here)
    en = [str(o["data"]["text/html"]) for o in outputs(executed["en"]) if "text/html" in o.get("data", {})]
    side = next(h for h in en if "Baoshan 2021 (handled)" in h and "evidence" not in h)
    assert "3,062 cases" in side and "427 cases" in side and " items" not in side
    demolition = next(h for h in en if "numerator" in h)
    assert "256,300 sites (25.63万)" in demolition and "10,383 sites" in demolition and "平方米" not in demolition
    # the fines table shows no bounds narrower than its digits (Minhang 2023: 355.48-355.50, not "355 / 356")
    minhang_2023 = re.search(r"闵行区 2023 年</td>(.*?)</tr>", html, re.S).group(1)
    assert ">356<" not in minhang_2023


def test_named_is_a_view_not_a_ranking(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    # districts of the 16, not "20 of 20" (the units are in the denominator only because they are named)
    assert zh["districts_named"]["value"] == 16
    assert zh["districts_named"]["label"] == "至少被点名一次的区（共 16 个）；另有 4 个执法单位被点名"
    assert en["districts_named"]["value"] == 16  # include_units=False
    assert "units" not in en["districts_named"]["label"]
    assert "scopes_named" not in zh
    # 17 mentions in 6 rankings, of 9 places
    assert zh["top_ranking_places"]["value"] == 9
    assert "6 项排名，点名 17 次" in zh["top_ranking_places"]["label"]
    assert zh["districts_with_case_figures"]["value"] == 3  # Baoshan, Changning, Minhang
    assert "被点名不是测量结果" in markdown_text(executed["zh"])
    assert "自贸区综合执法大队" in html_outputs(executed["zh"])
    assert "Free Trade Zone" not in markdown_text(executed["en"])
