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
    # videos (>= 15 against 23), textbook (1 and 1), practice bases (>= 9 + 7 against 23): all no more than 2022
    assert k["clear_targets_not_above_2022"]["value"] == 3
    assert "3 项，均为培训产出" in k["clear_targets_not_above_2022"]["label"]
    # the squadron rates: 创建率 in the plan, 达标率 in 2022, so of unclear definition
    assert k["targets_definition_unclear"]["value"] == 2
    largest = k["largest_increase_points"]
    assert "仅当“创建率”读作“达标率”" in largest["label"]
    assert largest["value"] == pytest.approx(98 - 97.6)
    # 97.6% stands for 97.55-97.65%
    assert (largest["lower"], largest["upper"]) == pytest.approx((98 - 97.65, 98 - 97.55))


def test_a_batch_name_is_not_a_target_compared(executed: dict[str, nbformat.NotebookNode]) -> None:
    text = markdown_text(executed["en"])
    assert "the number names a batch" in text
    clear_list = text.split("all of them training outputs (")[1].split(")")[0]
    assert "Textbooks published" in clear_list and "best 50" not in clear_list


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
    # the plan's bans do not depend on how the summary is measured: 5 of 5 absent from the summary
    assert zh["conduct_named_in_plan_only"]["value"] == en["conduct_named_in_plan_only"]["value"] == 5


def test_what_the_plan_drops(executed: dict[str, nbformat.NotebookNode]) -> None:
    k = results(executed["en"])
    assert k["plan_household_garbage_mentions"]["value"] == 0
    # epidemic duty, household garbage; urban safety keeps one task (危害建筑安全), construction waste is ecology
    assert k["domains_dropped"]["value"] == 2
    text = markdown_text(executed["en"])
    assert "Epidemic duty" in text and "Household-garbage sorting" in text
