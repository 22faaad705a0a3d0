"""The explorer runs headless with parameters: its default view, and another selection with menus."""

from __future__ import annotations

import nbformat
import html

import pytest
from notebook_runs import assert_clean_report, html_outputs, outputs, results

from chengguan.tables import load_observations

STEM = "explorer"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_default_view_compares_two_indicators(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    expected = load_observations(indicator=["garbage_sorting_cases", "garbage_inspections"],
                                 scope="city")
    # the key results are the view's one computed series, not counts of rows
    assert zh["ratio_last_period"]["value"] == pytest.approx(17747 / 133000)
    assert zh["ratio_last_period"]["headline"]
    assert zh["ratio_first_period"]["value"] == pytest.approx(190 / 9600)  # the first week, 1-6 July 2019
    assert "observations" not in zh
    html = html_outputs(executed["zh"])
    assert "0.133" in html  # 2022: 17,747 cases / 133,000 inspections
    for quote in expected.quote:
        assert quote.replace('"', "&quot;") in html or quote in html
    # the static report shows no menus
    assert not [o for o in outputs(executed["zh"])
                if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]


def test_parameters_select_another_view(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    en = results(executed["en"])
    expected = load_observations(domain="street_environment", period=2022)
    # no second indicator: the view has no series, and says how many figures it shows
    assert en["observations"]["value"] == len(expected)
    shown = html_outputs(executed["en"])
    assert all(html.escape(quote) in shown for quote in expected.quote)
