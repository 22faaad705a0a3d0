"""The street-environment report: cases compared with cases, units never added."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, markdown_text, results

from chengguan.stats import proportion

STEM = "street_environment"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_cases_are_summed_only_with_cases(executed: dict[str, nbformat.NotebookNode]) -> None:
    en = results(executed["en"])
    street = 28712 + 10074 + 3196 + 2352 + 1771 + 265 + 19  # no 起 of phone numbers in it
    assert en["street_cases"]["value"] == street
    assert en["vending_share_of_street_cases"]["value"] == pytest.approx(28712 / street * 100)
    assert en["vending_share_of_street_cases"]["headline"]
    share = en["street_share_of_all_cases"]
    assert (share["lower"], share["upper"]) == (pytest.approx(street / 109000 * 100),
                                                pytest.approx(street / 108000 * 100))


def test_target_in_panels_has_no_2022_city_figure_in_panels(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    assert results(executed["zh"])["outdoor_ad_target_comparable_2022"]["value"] == 0


def test_confidence_reaches_the_restored_share(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    restored = zh["numbers_restored_share"]
    assert restored["value"] == pytest.approx(307 / 461 * 100)
    # restored numbers need not be this year's suspensions: no counting interval among the key results
    assert restored["lower"] is None and restored["upper"] is None
    assert "不一定是同一批号码" in restored["label"]
    # the counting interval, with its premise, in the text, at the level the parameter sets (zh 0.9, en 0.95)
    for run, level in ((executed["zh"], 0.9), (executed["en"], 0.95)):
        interval = proportion(307, 461, level, per=100)
        assert f"{interval.low:.1f}%–{interval.high:.1f}%" in markdown_text(run)
