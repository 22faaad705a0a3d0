"""Township reform and inter-agency co-ordination, executed in both languages on the real tables."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, html_outputs, markdown_text, results

from chengguan.sources import sections

STEM = "reform_coordination"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_joint_system_share_compares_cases_with_cases(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    share = results(executed["zh"])["joint_outdoor_ad_share"]
    assert share["value"] == pytest.approx(419 / 2352 * 100)
    # 2022's one computed finding leads the page (referee 2026-12-05, point 4), with 接处 ≠ 查处 in its condition
    assert share["headline"]
    assert "假定接处的都在查处之列" in share["label"] and "接处不等于查处" in share["label"]
    assert "received is not handled" in results(executed["en"])["joint_outdoor_ad_share"]["label"]
    # a count of records shared is not a finding: in the table of lists, not the key results
    assert "muck_records" not in results(executed["en"])
    # 17万条 is printed to the whole 万: 165,000-175,000 records
    assert "165,000–175,000" in html_outputs(executed["en"])
    # the "same count" column in words, not Python booleans
    table = html_outputs(executed["zh"]).split("同一计量")[1].split("</table>")[0]
    assert ">是<" in table and ">否<" in table and "True" not in table


def test_plan_terms_parameter(executed: dict[str, nbformat.NotebookNode]) -> None:
    plan = sections().query("part == 'plan_2023'")
    sentences = plan.text.str.split("。").explode()
    # a count of sentences is no key result; the text gives it for the words the parameter chose
    assert "plan_sentences" not in results(executed["zh"])
    assert f"“街镇” {sentences.str.contains('街镇').sum()} 句" in markdown_text(executed["zh"])
    assert f"联动: {sentences.str.contains('联动').sum()}" in markdown_text(executed["en"])


def test_the_2019_remit_and_its_planned_addition(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    for lang in ("zh", "en"):
        # 100 matters to add over "more than 400" (no ceiling): at most a quarter
        assert results(executed[lang])["matters_added_2019_max_pct"]["value"] == pytest.approx(25.0)
        assert not results(executed[lang])["matters_added_2019_max_pct"]["headline"]
    # the 2019 figure is a plan, not matters added (point 1); the title is about 2022
    en = markdown_text(executed["en"])
    assert "matters added in 2019" not in en
    assert "Enforcement reform, 2022: joint-system outdoor-ad cases equal 17.8% of those handled" in en
    # the list counts are numbers, not escaped text: "7 + 11" in the title's Markdown and so in results.json
    # (final pass, point 3); the zh title shortened (point 4)
    assert "only as 7 + 11 list entries" in en and "\\+" not in en
    zh = markdown_text(executed["zh"])
    assert "# 执法体制改革（2022）：联动系统接处户外广告案件为查处数的 17.8%，改革只见 7 + 11 项清单\n" in zh
    assert "\\+" not in zh


def test_lists_table_names_scope_and_period(executed: dict[str, nbformat.NotebookNode]) -> None:
    # 13 townships are Xuhui's; 三项 is the 2023 plan's (final pass, point 2)
    en, zh = html_outputs(executed["en"]), html_outputs(executed["zh"])
    assert ">Townships evaluated (Xuhui)<" in en and ">Personnel systems for enforcement staff (2023 plan)<" in en
    assert ">开展执法工作评议街镇数（徐汇区）<" in zh and ">执法人员管理制度项数（2023 年计划）<" in zh
    # the city's 2022 figures carry no mark
    assert ">Township inspection-matter guidelines<" in en


def test_the_reform_and_its_recall_are_named(executed: dict[str, nbformat.NotebookNode]) -> None:
    # both from the events table (point 3)
    en, zh = markdown_text(executed["en"]), markdown_text(executed["zh"])
    assert "From 1 August 2021" in en and "From 1 October 2025" in en
    assert "2021 年 8 月 1 日" in zh and "2025 年 10 月 1 日" in zh
    # the words counted are named, not called a parameter (point 5); a word left out is not a reform dropped
    assert "parameter" not in en and "参数" not in zh
    assert "“赋权”" in zh and "一清单、两意见" in zh
