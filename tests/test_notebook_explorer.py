"""The explorer runs headless with parameters: its default view, and another selection with menus."""

from __future__ import annotations

import nbformat
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
    assert zh["observations"]["value"] == len(expected)
    assert zh["indicators"]["value"] == 2
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
    assert en["observations"]["value"] == len(expected)
    assert en["indicators"]["value"] == expected.indicator_id.nunique()
