"""The 2023 plan against 2022: targets with their baselines, tasks against the summary's weight."""

from __future__ import annotations

import re

import nbformat
import pytest
from notebook_runs import assert_clean_report, html_outputs, markdown_text, results

from chengguan.sources import sections

STEM = "plan_2023"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode], lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_targets_against_their_2022_baselines(executed: dict[str, nbformat.NotebookNode]) -> None:
    k = results(executed["zh"])
    assert k["largest_increase_points"]["headline"]
    # key results are findings, not counts (referee, checklist 11): the headline and the epidemic share only
    assert set(k) == {"largest_increase_points", "epidemic_share_of_summary"}
    text = markdown_text(executed["zh"])
    # videos (>= 15 against 23), textbook (1 and 1), practice bases (>= 9 + 7 against 23): all no more than 2022
    assert "只有 3 项，都是教育培训的产出（视频课件、专业教材和实践教学基地），3 项都" in text
    # the squadron rates: 创建率 in the plan, 达标率 in 2022, a different name, not "definition unclear"
    assert "另有 2 项是规范中队和示范中队的达标率（计划称“创建率”）" in text
    assert "定义不明" not in text + html_outputs(executed["zh"])
    assert "definition unclear" not in markdown_text(executed["en"]) + html_outputs(executed["en"])
    assert "different name (创建率 / 达标率)" in html_outputs(executed["en"])
    largest = k["largest_increase_points"]
    # one bracket, the rate named in words (referee, final pass), not a table label pasted in
    assert largest["label"] == "2023 年目标比 2022 年要求的最大增幅（规范中队比率；仅当计划的“创建率”即 2022 年的“达标率”）"
    assert results(executed["en"])["largest_increase_points"]["label"] == (
        "The most any 2023 target asks beyond 2022 (the regular-squadron rate; only if the plan's 创建率 is 2022's 达标率)")
    # two rates, both asking for more than 2022 if read as one measure: "Two more ... both ask"
    assert "这样读，两项都要求超过 2022 年" in text
    en = markdown_text(executed["en"])
    assert "Two more, the regular-squadron and model-squadron rates," in en and "read so, both ask for more than 2022" in en
    assert largest["value"] == pytest.approx(98 - 97.6)
    # 97.6% stands for 97.55-97.65%
    assert (largest["lower"], largest["upper"]) == pytest.approx((98 - 97.65, 98 - 97.55))


def test_a_batch_name_is_not_a_target_compared(executed: dict[str, nbformat.NotebookNode]) -> None:
    text = markdown_text(executed["en"])
    assert "the number names a batch" in text
    clear_list = text.split("all of them training outputs (")[1].split(")")[0]
    assert clear_list == "video courseware, textbooks and practice-teaching bases"


def test_a_batch_name_prints_no_change(executed: dict[str, nbformat.NotebookNode]) -> None:
    # the "best 50" row is not compared: its change columns print "–", not 0 (referee, final pass)
    for lang, verdict in [("zh", "数字是批次名称，不比较"), ("en", "the number names a batch: not compared")]:
        table = html_outputs(executed[lang]).split(verdict)[0].rsplit("<tr>", 1)[1]
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", table)
        assert cells[-4:] == ["–"] * 4, cells


def test_restatements_are_shown_but_are_not_targets(executed: dict[str, nbformat.NotebookNode]) -> None:
    html = html_outputs(executed["zh"])
    assert "cgzf2022_0170" in html  # the 6066 workrooms: in the data used...
    table = html.split("2023 年目标")[1].split("</table>")[0]
    assert "6066" not in table  # ...but not among the targets compared


def summary_share_of_epidemic_duty(measure: str) -> float:
    """The share of the summary's numbered subsections (heading sentences aside) in part 一."""
    doc = sections()
    summary = doc[(doc.part == "summary_2022") & (doc.level2 > 0)]
    weight = {}
    for row in summary.itertuples():
        sentences = [s for s in re.findall(r"[^。；]+[。；]?", row.text) if not re.match(r"^（[一二三四五六七八九十]+）", s)]
        size = (sum(len(re.sub(r"[\s\W_]", "", s)) for s in sentences) if measure == "chars" else len(sentences))
        weight[row.level1] = weight.get(row.level1, 0) + size
    return weight[1] / sum(weight.values()) * 100


def test_summary_measure_parameter_moves_the_weights(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = results(executed["zh"]), results(executed["en"])
    assert zh["epidemic_share_of_summary"]["value"] == pytest.approx(summary_share_of_epidemic_duty("chars"))
    assert en["epidemic_share_of_summary"]["value"] == pytest.approx(summary_share_of_epidemic_duty("sentences"))
    assert zh["epidemic_share_of_summary"]["value"] != pytest.approx(en["epidemic_share_of_summary"]["value"])
    # the weights table shows the summary by characters and by sentences, whichever the parameter
    assert "占总结 %（按句数）" in html_outputs(executed["zh"])
    assert "% of the summary (characters)" in html_outputs(executed["en"])


def test_what_the_plan_does_not_mention(executed: dict[str, nbformat.NotebookNode]) -> None:
    en, zh = markdown_text(executed["en"]), markdown_text(executed["zh"])
    # epidemic duty, household garbage; urban safety keeps one task (危害建筑安全), construction waste is ecology
    assert "2 domains with weight in the 2022 summary get no task" in en
    # domain names inside sentences in lower case, with no brackets inside brackets (referee, final pass)
    assert "get no task in the 2023 plan: epidemic duty \\(" in en and "; household-garbage sorting \\(" in en
    assert "Major events" not in en and "Huangpu River and Suzhou Creek" not in en and "is Training" not in en
    assert "major events, the CIIE: 进博会" in en and "the Huangpu and Suzhou Creek waterfront: 黄浦江苏州河" in en
    # the title: the plan has construction-waste tasks, so not "garbage work" (referee, second pass)
    assert "epidemic duty and household-garbage sorting get no task" in en and "garbage work" not in en
    assert "What the plan does not mention" in en and "计划没有提到什么" in zh
    assert "What the plan drops" not in en and "略去" not in zh
    # no task is not an end of enforcement: the 2022 sorting cases and the sub-district reform
    assert "17,747 garbage-sorting cases" in en and "since August 2021 sub-district offices" in en
    assert "All 5 plan sentences with 垃圾 (table above) are about construction waste." in en


def test_bans_are_new_words_for_old_instruments(executed: dict[str, nbformat.NotebookNode]) -> None:
    en, zh = markdown_text(executed["en"]), markdown_text(executed["zh"])
    assert "None of the 5 ways of enforcing that the plan sets out to prevent" in en
    assert "The words are new, but the instruments are not" in en
    assert "a no-penalty list (不予处罚清单, 500 cases)" in en and "2021 revision of the Administrative Penalty Law" in en
    assert "The summary reports what was done" not in en and "总结只报告做了什么" not in zh
    assert "词是新的，手段不是" in zh
    # the lockdown caveat is limited to what the compared targets are
    assert "not street enforcement" in en
