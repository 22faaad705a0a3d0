"""The explorer runs headless with parameters: its default view, and another selection with menus."""

from __future__ import annotations

import nbformat
import html

import pytest
from notebook_runs import assert_clean_report, html_outputs, markdown_text, outputs, results

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
    # like with like (referee, first pass): 2022 against the first year of the regulation, 1 July 2019 to
    # 2 July 2020 (9,585 cases, "about 152,000" inspections), not against the launch week (6.7 times)
    times = zh["times_like_period"]
    assert "times" not in zh
    assert times["lower"] == pytest.approx((17747 / 133500) / (9585 / 151500))
    assert times["upper"] == pytest.approx((17747 / 132500) / (9585 / 152500))
    assert 2.09 < times["lower"] < times["upper"] < 2.14
    assert zh["ratio_first_period"]["label"] == "每次生活垃圾执法检查的垃圾分类案件数（2019 年 7 月 1–6 日）"
    text = markdown_text(executed["zh"])
    # the 2019-20 periods are cumulative, not consecutive steps; 立案查处 is not in the ratios
    assert "3 个时期都是累计数" in text and "相邻时期" not in text and "立案查处" not in text
    assert "立案的比重" not in text
    # events by name in a sentence, their dates from events.csv, the year not said twice (referee, final pass)
    assert "之内有新冠疫情一级响应（2020 年 1 月 24 日至 3 月 23 日）" in text
    assert "两者之间有修订后的《行政处罚法》施行（2021 年 7 月 15 日）、街道办事处成为执法主体（2021 年 8 月 1 日）" in text
    assert "2022 年之内有春季上海封控（3 月 28 日至 5 月 31 日）" in text and "2022 年之内有 2022 年" not in text
    assert "每天的案件数从 26 起增加到 49 起" in text and "减少约 12%（413 → 364 次）" in text
    assert "2022 年 的" not in text and "视图函数" not in text
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
