"""The street-environment report: cases compared with cases, units never added."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, reports, results

from chengguan.stats import proportion

STEM = "street_environment"


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    runs = reports([f"{STEM}-zh", f"{STEM}-en"])
    return {"zh": runs[f"{STEM}-zh"], "en": runs[f"{STEM}-en"]}


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
    zh, en = results(executed["zh"]), results(executed["en"])
    assert zh["numbers_restored_share"]["value"] == pytest.approx(307 / 461 * 100)
    assert zh["numbers_restored_share"]["lower"] == pytest.approx(
        proportion(307, 461, 0.9, per=100).low)
    assert en["numbers_restored_share"]["lower"] == pytest.approx(
        proportion(307, 461, 0.95, per=100).low)
