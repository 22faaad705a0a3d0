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
    assert not share["headline"]
    assert "假定前者是后者的一部分" in share["label"]
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
        assert results(executed[lang])["matters_added_2019_max_pct"]["headline"]
