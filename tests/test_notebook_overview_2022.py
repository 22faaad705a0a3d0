"""The 2022 overview: composition of all cases, executed in both languages on the real tables."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, reports, results

STEM = "overview_2022"
# the 18 categories of the domain sections (self-built housing included), from the 2022 summary
LISTED = (5334 + 1104 + 10052 + 1706 + 577 + 2 + 28712 + 10074 + 3196 + 2352 + 1771 + 265 + 19
          + 1775 + 3202 + 17747 + 8803 + 107)


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    runs = reports([f"{STEM}-zh", f"{STEM}-en"])
    return {"zh": runs[f"{STEM}-zh"], "en": runs[f"{STEM}-en"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_listed_categories_and_remainder(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    assert zh["categories"]["value"] == 18
    # 10.8万余 stands for more than 108,000 and fewer than 109,000
    assert zh["remainder"]["lower"] == 108000 - LISTED
    assert zh["remainder"]["upper"] == 109000 - LISTED
    assert zh["listed_share"]["lower"] == pytest.approx(LISTED / 109000 * 100)
    assert zh["listed_share"]["headline"]


def test_the_parameter_changes_the_categories(executed: dict[str, nbformat.NotebookNode]) -> None:
    en = results(executed["en"])
    assert en["categories"]["value"] == 17
    assert en["remainder"]["lower"] == 108000 - (LISTED - 107)
    # the largest category is street vending: 28,712 of 108,000-109,000
    assert en["largest_share"]["upper"] == pytest.approx(28712 / 108000 * 100)


def test_hotline_orders_per_case_carry_both_roundings(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    hotline = results(executed["zh"])["hotline_per_case"]
    assert hotline["lower"] == pytest.approx(82500 / 109000)
    assert hotline["upper"] == pytest.approx(83500 / 108000)
