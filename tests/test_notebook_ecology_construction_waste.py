"""The ecological-environment and construction-waste report, executed in both languages."""

from __future__ import annotations

import re

import nbformat
import pytest
from notebook_runs import assert_clean_report, html_outputs, markdown_text, results

STEM = "ecology_construction_waste"
SECTION_CASES = {"illegal_building": 5334, "site_pollution": 1104, "construction_waste": 10052,
                 "kitchen_waste": 1706, "water_dumping": 577, "old_trees": 2}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_the_parameter_sets_the_section_total(executed: dict[str, nbformat.NotebookNode]) -> None:
    # zh counts the illegal-building cases in the section (default), en leaves them out
    zh, en = results(executed["zh"]), results(executed["en"])
    with_buildings = sum(SECTION_CASES.values())
    without = with_buildings - SECTION_CASES["illegal_building"]
    assert not zh["construction_waste_share_of_section"]["headline"]
    assert zh["construction_waste_share_of_section"]["value"] == pytest.approx(10052 / with_buildings * 100)
    assert en["construction_waste_share_of_section"]["value"] == pytest.approx(10052 / without * 100)


def test_rank_and_share_of_all_cases(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    # behind street vending, garbage sorting and cross-door business (10,074), among the 17 kinds the
    # summary counts (referee 2026-12-05: not "among all kinds of violation")
    assert zh["construction_waste_rank"]["value"] == 4
    assert "17" in zh["construction_waste_rank"]["label"]
    # final pass: the label names the four sections, not "the kinds the summary counts"
    assert "17 kinds counted in sections 二（一）–（三）、（六）" in results(executed["en"])["construction_waste_rank"]["label"]
    assert "在总结二（一）至（三）、（六）所列 17 类案件中的名次" in zh["construction_waste_rank"]["label"]
    share = zh["construction_waste_share_of_all_cases"]
    # 10.8万余起 stands for 108,000-109,000 cases
    assert share["lower"] == pytest.approx(10052 / 109000 * 100)
    assert share["upper"] == pytest.approx(10052 / 108000 * 100)
    # 418 vehicles for 10,052 cases: even one vehicle per case leaves at least 95.8% with none
    without = zh["construction_waste_cases_without_impoundment_at_least"]
    assert without["headline"]
    assert without["value"] == pytest.approx(100 - 418 / 10052 * 100)


NAMED_KINDS = 96691  # the 17 kinds of 二（一）–（三）,（六）


def test_the_unnamed_kinds_are_reconciled(executed: dict[str, nbformat.NotebookNode]) -> None:
    # 10.8万余起 (108,000-109,000) less the 17 named kinds: 11,309-12,309 cases in kinds never named,
    # more than the 10,052 construction-waste cases, so its rank among all violations is unknown
    unnamed = results(executed["zh"])["cases_in_kinds_not_named_share"]
    assert unnamed["lower"] == pytest.approx((108000 - NAMED_KINDS) / 108000 * 100)
    assert unnamed["upper"] == pytest.approx((109000 - NAMED_KINDS) / 109000 * 100)
    assert 108000 - NAMED_KINDS > 10052
    en = markdown_text(executed["en"])
    assert "the other 11,309 to 12,309" in en and "the rank among all violations is unknown" in en
    assert "among all kinds of violation" not in en
    assert "其余 11,309 至 12,309 起" in markdown_text(executed["zh"])


def test_the_remainder_is_outside_the_17_kinds_not_unnamed(executed: dict[str, nbformat.NotebookNode]) -> None:
    # referee final pass: 二（十） names 107 self-built-housing cases and 400 余 (400-500) city-safety cases,
    # which may overlap the 17 kinds; the 10.5-11.3% are cases outside the 17 kinds, not cases of kinds the
    # summary never names. Even without both, 108,000 - 96,691 - 107 - 500 = 10,702 remain, above 10,052.
    zh, en = results(executed["zh"]), results(executed["en"])
    assert en["cases_in_kinds_not_named_share"]["label"] == "% of the year's cases outside the 17 kinds of sections 二（一）–（三）、（六）"
    assert zh["cases_in_kinds_not_named_share"]["label"] == "全年案件中不属于二（一）至（三）、（六）所列 17 类的百分比"
    remain = 108000 - NAMED_KINDS - 107 - 500
    assert remain == 10702 and remain > 10052
    en_text, zh_text = markdown_text(executed["en"]), markdown_text(executed["zh"])
    assert "kinds the summary does not name" not in en_text and "总结未列类别" not in zh_text
    assert ("names 107 self-built-housing cases and 400 to 500 city-safety cases (the text says more than 400), "
            "which may or may not overlap these 17 kinds; even without them at least 10,702 remain, more than the "
            "10,052 construction-waste cases") in en_text
    assert "自建房案件 107 起、影响城市安全的违法行为 400 余起" in zh_text and "至少还剩 10,702 起" in zh_text
    # the ranking table shows the first 8 of the 17 kinds, and says so
    assert "The first 8 of the 17 kinds are ranked below" in en_text and "下表列出 17 类中的前 8 类" in zh_text


def test_the_plan_is_read_from_the_text(executed: dict[str, nbformat.NotebookNode]) -> None:
    # a count of words is prose, not a key result (referee 2026-12-05)
    assert "plan_2023_construction_waste_mentions" not in results(executed["en"])
    assert "The construction-waste keywords appear 5 times in the plan" in markdown_text(executed["en"])
    assert "油烟污染扰民" in markdown_text(executed["zh"])


def test_the_plan_words_are_quoted_and_no_target_is_claimed(executed: dict[str, nbformat.NotebookNode]) -> None:
    en, zh = markdown_text(executed["en"]), markdown_text(executed["zh"])
    # the 2023 plan has no target in this domain; a district target of another year is not the plan's
    assert "sets no numeric target in this domain." in en and "targets in the tables" not in en
    # the plan's own words, counted in its text: 违法搭建 once, 扬尘 once, 建筑垃圾 twice, 建设工程垃圾 three times
    plain = en.replace("\\", "")  # Markdown escapes of the data text
    # English first, the Chinese in brackets
    assert ("unauthorised building work (违法搭建): 1; dust (扬尘): 1; construction waste (建筑垃圾): 2; "
            "building-project waste (建设工程垃圾): 3") in plain
    assert "“建筑垃圾” 2 次、“建设工程垃圾” 3 次" in zh.replace("\\", "")


def test_a_missing_keyword_is_not_a_dropped_task(executed: dict[str, nbformat.NotebookNode]) -> None:
    plain = markdown_text(executed["en"]).replace("\\", "")
    # dumping into water: the plan names river and wharf pollution and the waterfront's 14 prohibited acts
    assert "river and wharf pollution (河道码头污染): 1" in plain and "so that work cannot be called dropped" in plain
    assert "cooking fumes disturbing residents (油烟污染扰民)" in plain
    assert "drops" not in plain


def test_the_page_words(executed: dict[str, nbformat.NotebookNode]) -> None:
    """Referee 2026-12-05: short nouns, not indicator labels; no parameter in prose; the area as printed;
    the sites ratio as a bound."""
    en, zh = markdown_text(executed["en"]), markdown_text(executed["zh"])
    assert "跨门经营案件少 22 起" in zh and "查处跨门经营案件数" not in zh and "之多" not in zh
    assert "only 22 behind rank 3, trading beyond the shopfront" in en
    assert "parameter" not in en and "参数" not in zh
    assert "at most about 26 such cases per 100 supervised sites" in en and "至多约 26 起" in zh
    # the impound table prints the area as the source does (the appendix gives its range)
    assert re.search(r"拆除违法建筑面积</td><td[^>]*>250\.47 万平方米</td>", html_outputs(executed["zh"]))
    assert re.search(r"demolished</td><td[^>]*>2\.5047 million m²</td>", html_outputs(executed["en"]))
