"""The street-environment report: cases compared with cases, units never added."""

from __future__ import annotations

import nbformat
import pytest
from notebook_runs import assert_clean_report, html_outputs, markdown_text, results

from chengguan.stats import proportion

STEM = "street_environment"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_cleanly_in_one_language(executed: dict[str, nbformat.NotebookNode],
                                      lang: str) -> None:
    assert_clean_report(executed[lang], lang)


def test_cases_are_summed_only_with_cases(executed: dict[str, nbformat.NotebookNode]) -> None:
    en = results(executed["en"])
    listed = 28712 + 10074 + 3196 + 2352 + 1771 + 265 + 19  # no 起 of phone numbers in it
    assert en["vending_share_of_listed_kinds"]["value"] == pytest.approx(28712 / listed * 100)
    share = en["listed_kinds_share_of_all_cases"]
    assert (share["lower"], share["upper"]) == (pytest.approx(listed / 109000 * 100),
                                                pytest.approx(listed / 108000 * 100))


def test_street_cases_are_the_press_figure_not_the_seven_listed_kinds(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    # the seven kinds' whole year (46,389) is fewer than the press's January-September street cases (67,000)
    assert zh["listed_kinds_share_of_street_cases_at_most"]["value"] == pytest.approx(46389 / 67000 * 100)
    # vending's share of what "street cases" names: 21,534 of 67,000 in the same press report
    assert zh["vending_share_of_street_cases_press"]["headline"]
    assert zh["vending_share_of_street_cases_press"]["value"] == pytest.approx(21534 / 67000 * 100)


def test_fourth_quarter_per_day_from_the_year_minus_nine_months(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    zh = results(executed["zh"])
    assert zh["vending_per_day_q4"]["value"] == pytest.approx((28712 - 21534) / 92)
    assert zh["vending_per_day_jan_sep"]["value"] == pytest.approx(21534 / 273)


def test_target_in_panels_has_no_2022_city_figure_in_panels(
        executed: dict[str, nbformat.NotebookNode]) -> None:
    assert "compares boards with places" in markdown_text(executed["en"])


def test_confidence_reaches_the_restored_share(executed: dict[str, nbformat.NotebookNode]) -> None:
    # restored numbers need not be this year's suspensions: a ratio without a set relation, out of the key results
    assert "numbers_restored_share" not in results(executed["zh"])
    assert f"恢复数是暂停数的 {307 / 461 * 100:.1f}%" in markdown_text(executed["zh"])
    # the counting interval, with its premise, in the text, at the level the parameter sets (zh 0.9, en 0.95)
    for run, level in ((executed["zh"], 0.9), (executed["en"], 0.95)):
        interval = proportion(307, 461, level, per=100)
        assert f"{interval.low:.1f}%–{interval.high:.1f}%" in markdown_text(run)


def test_referee_second_pass_claims(executed: dict[str, nbformat.NotebookNode]) -> None:
    zh, en = markdown_text(executed["zh"]), markdown_text(executed["en"])
    # the headline names what the press's "streets" are: every case outside residential compounds
    assert "outside residential compounds" in results(executed["en"])["vending_share_of_street_cases_press"]["label"]
    assert "小区以外" in results(executed["zh"])["vending_share_of_street_cases_press"]["label"]
    # 2021 (Xinmin): 65,930 street-rectification cases = 51.7% of about 127,500; not a change to 67,000
    assert f"{round(65930 / 0.517, -2):,.0f}" in en and "is not a change in street cases" in en
    assert f"about {(1 - 74000 / (65930 / 0.517)) * 100:.0f}% fewer" in en
    assert "Sub-districts become enforcement bodies" in en and "Spring 2022 Shanghai lockdown" in en
    # ratios of totals said as times, not "for every case"
    assert f"{40926 / 28712:.2f} times the disorderly-vending cases" in en
    assert "对应每一起" not in zh and f"{40926 / 28712:.2f} 倍" in zh
    # the January-September bound: known 21,534 + 7,007 + 2,089, the other four at most their year
    known, rest = 21534 + 7007 + 2089, 2352 + 1771 + 265 + 19
    assert f"{known / 67500 * 100:.1f}%–{(known + rest) / 66500 * 100:.1f}%" in en
    # no count of zero said as a number
    assert "no 2022 figure in 块" in en and "one numeric target" in en
    assert "全市没有以“块”计的 2022 年数字" in zh


def test_referee_final_pass_claims(executed: dict[str, nbformat.NotebookNode]) -> None:
    # without the Markdown escapes of filled-in values ("\\(15 July 2021\\)") and the line breaks of the text
    zh, en = (" ".join(markdown_text(executed[lang]).replace("\\", "").split()) for lang in ("zh", "en"))
    # the Penalty Law revision (15 July 2021) and the sub-district reform (1 August 2021) fall inside
    # January-September 2021, not between the two periods: said with their dates (events.csv)
    assert "between the two periods" not in en and "两个时期之间" not in zh
    assert ("from the latter part of the 2021 period on came these changes: Penalty Law revision in force "
            "(15 July 2021); Sub-districts become enforcement bodies (1 August 2021); Spring 2022 Shanghai lockdown") in en
    assert ("2021 年这一时期的后段起，先后有修订后的《行政处罚法》施行（2021 年 7 月 15 日）、"
            "街道办事处成为执法主体（2021 年 8 月 1 日）、2022 年春季上海封控") in zh
    # the table comparing the two sources gives its periods in words, not ISO dates
    for lang, months_2022, months_2021 in (("en", "January–September 2022", "January–September 2021"),
                                           ("zh", "2022 年 1–9 月", "2021 年 1–9 月")):
        html = html_outputs(executed[lang])
        assert f'67,000</td><td class="text" style="text-align:left">{months_2022}</td>' in html
        assert f'65,930</td><td class="text" style="text-align:left">{months_2021}</td>' in html
