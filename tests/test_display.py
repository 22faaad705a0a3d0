"""chengguan.display: escaping, numbers, figures with quotes, key results, charts."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402

import chengguan.display as show  # noqa: E402
from chengguan import stats  # noqa: E402
from chengguan.tables import load_labels, load_observations, load_sources  # noqa: E402

PAYLOAD = '<img src=x onerror=alert(4)>'


def test_escaping() -> None:
    assert "<img" not in show.esc(PAYLOAD)
    assert show.md_esc("*bold* [link](x) <b>") == r"\*bold\* \[link\]\(x\) &lt;b&gt;"


@pytest.mark.parametrize(("value", "text"), [
    (224500.0, "224,500"), (0.017274, "0.0173"), (78.8756, "78.9"), (16.6, "16.6"),
    (1333.3, "1,333"), (float("nan"), "–"), (math.inf, "∞"),
])
def test_fmt_number(value: float, text: str) -> None:
    assert show.fmt_number(value) == text


def test_fmt_period() -> None:
    year = (pd.Timestamp("2022-01-01"), pd.Timestamp("2022-12-31"))
    assert show.fmt_period(*year, "zh") == "2022 年"
    assert show.fmt_period(*year, "en") == "2022"
    assert show.fmt_period(pd.Timestamp("2019-07-01"), pd.Timestamp("2019-07-06"), "en") == \
        "2019-07-01 – 2019-07-06"
    part = (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-02"))
    assert show.fmt_period(*part, "en", words=True) == "2025 (1 Jan to 2 Dec)"
    assert show.fmt_period(*part, "en", words=True, open_end=True) == "2025 (1 Jan to 2 Dec or earlier)"
    assert show.fmt_period(*part, "zh", words=True, open_end=True) == "2025 年（1月1日至12月2日或之前）"
    assert show.fmt_period(*year, "zh", words=True, open_end=True) == "2022 年"
    assert show.fmt_period(*part, "en", open_end=True) == "2025-01-01 – 2025-12-02 or earlier"


def test_figures_table_keeps_every_quote_whole_and_escapes_data() -> None:
    obs = load_observations(domain="garbage_sorting", lang="en")
    html = show.figures(obs, "en", bounds=stats.bounds(obs))._repr_html_()
    for quote in obs.quote:
        assert show.esc(quote) in html
    assert "22.5 万人次 → 224,500–225,500" in html
    poisoned = obs.assign(indicator=PAYLOAD, quote=PAYLOAD, note=PAYLOAD)
    html = show.figures(poisoned, "en")._repr_html_()
    assert PAYLOAD not in html and "&lt;img" in html


# A note of the real tables that both garbage-sorting reports show, and a source's reliability note.
NOTED = "supp_2019_first_day_02"  # 检查各类单位 counted in 家, not 家次
RELIABILITY_NOTED = "supp_2019_first_day"


@pytest.mark.parametrize(("lang", "other"), [("zh", "en"), ("en", "zh")])
def test_figures_show_the_note_in_the_language_of_the_report(lang: str, other: str) -> None:
    notes = {code: load_observations(domain="garbage_sorting", lang=code)
             .set_index("observation_id")["note"] for code in ("zh", "en")}
    assert notes["zh"][NOTED].startswith("“检查各类单位”以“家”计")
    assert notes["en"][NOTED].startswith("检查各类单位 counted in 家 (establishments)")
    obs = load_observations(domain="garbage_sorting", lang=lang)
    html = show.figures(obs, lang)._repr_html_()
    assert show.esc(load_labels(lang)["column.note"]) in html
    for observation_id, note in notes[lang].dropna().items():
        assert show.esc(note) in html, observation_id
        assert show.esc(notes[other][observation_id]) not in html, observation_id


@pytest.mark.parametrize(("lang", "other"), [("zh", "en"), ("en", "zh")])
def test_sources_give_the_reliability_note_in_the_language_of_the_report(lang: str,
                                                                         other: str) -> None:
    obs = load_observations(domain="garbage_sorting", lang=lang)
    html = show.sources(obs, lang)._repr_html_()
    sources = load_sources().set_index("source_id")
    used = sources.loc[obs.source_id.unique()]
    assert RELIABILITY_NOTED in used.index and len(used) > 3
    for source_id, row in used.iterrows():
        assert f'<span class="note" lang="{lang}">{show.esc(row[f"reliability_note_{lang}"])}' \
            in html, source_id
        assert show.esc(row[f"reliability_note_{other}"]) not in html, source_id


def test_table_aligns_text_left_and_rounds_numbers() -> None:
    frame = pd.DataFrame({"name": [PAYLOAD], "value": [78.8756]})
    html = show.table(frame)._repr_html_()
    assert PAYLOAD not in html
    assert 'class="text" style="text-align:left"' in html
    assert '<td class="num" style="text-align:right">78.9</td>' in html


def _displayed(callable_, *args, **kwargs) -> list[dict]:
    shell = InteractiveShell.instance()
    captured: list[dict] = []
    original = shell.display_pub.publish
    shell.display_pub.publish = lambda data, metadata=None, **kw: captured.append(data)
    try:
        callable_(*args, **kwargs)
    finally:
        shell.display_pub.publish = original
    return captured


def test_key_results_bundle() -> None:
    frame = pd.DataFrame([
        ("share", "Share", 16.6, "%", 16.5, 16.7, True),
        ("count", PAYLOAD, 5334.0, "", None, None, False),
    ], columns=["name", "label", "value", "unit", "lower", "upper", "headline"])
    (bundle,) = _displayed(show.show_key_results, frame, "en")
    payload = bundle[show.RESULTS_MIMETYPE]["results"]
    assert payload[0] == {"name": "share", "label": "Share", "value": 16.6, "unit": "%",
                          "lower": 16.5, "upper": 16.7, "display": "16.6% (16.5–16.7)",
                          "headline": True}
    assert payload[1]["lower"] is None and payload[1]["display"] == "5,334"
    assert PAYLOAD not in bundle["text/html"] and "Key findings" in bundle["text/html"]
    with pytest.raises(ValueError, match="exactly one"):
        show.show_key_results(frame.assign(headline=False), "en")


def test_show_figure_embeds_a_2x_png_with_alt_text() -> None:
    fig, ax = plt.subplots(figsize=(4, 2), dpi=100)
    ax.plot([0, 1], [0, 1])
    (bundle,) = _displayed(show.show_figure, fig, alt=f"a line {PAYLOAD}")
    html = bundle["text/html"]
    assert html.startswith('<figure class="chart"><img src="data:image/png;base64,')
    assert 'alt="a line &lt;img' in html
    width = int(html.split('width="')[1].split('"')[0])
    assert 300 < width <= 420  # displayed at 1x, drawn at 2x
    assert not plt.get_fignums()  # closed: not shown twice
    with pytest.raises(ValueError, match="alt text"):
        show.show_figure(plt.figure(), alt=" ")


def test_show_figure_takes_the_category_gridlines_off_bar_charts() -> None:
    fig, ax = plt.subplots(figsize=(4, 2), dpi=100)
    ax.grid(True)
    ax.barh(["a", "b"], [3, 5])
    _displayed(show.show_figure, fig, alt="two bars")
    assert not any(line.get_visible() for line in ax.yaxis.get_gridlines())
    assert all(line.get_visible() for line in ax.xaxis.get_gridlines())


def test_a_source_described_by_the_curators_is_named_in_the_language_of_the_report() -> None:
    # The SHINE report of 2022-10-09 has no title in the stored text: its `title` is an English
    # description, which a Chinese report would print as prose; title_zh / title_en name it.
    obs = load_observations(source="shine_2022_10_09", lang="zh")
    row = load_sources().set_index("source_id").loc["shine_2022_10_09"]
    assert row.title_zh and row.title_en
    zh, en = show.sources(obs, "zh")._repr_html_(), show.sources(obs, "en")._repr_html_()
    assert show.esc(row.title_zh) in zh and show.esc(row.title) not in zh
    assert show.esc(row.title_en) in en
    assert set(load_observations(source="shine_2022_10_09", lang="zh").source_title) == {row.title_zh}
    # a verbatim title is shown as it stands, in either report
    city = load_observations(source="cgzf_2022_summary", lang="en")
    assert set(city.source_title) == {"城管执法系统2022年工作总结和2023年工作计划"}


@pytest.mark.parametrize(("n", "args", "text"), [
    (1, ("sentence",), "1 sentence"), (3, ("target",), "3 targets"), (0, ("district",), "0 districts"),
    (2, ("batch", "batches"), "2 batches"), (1, ("building", "buildings"), "1 building"),
    (1.5, ("site",), "1.5 sites"), (12000, ("case",), "12,000 cases")])
def test_counted_puts_the_noun_in_the_number_of_its_count(n, args, text) -> None:
    assert show.counted(n, *args) == text


def test_md_esc_leaves_no_entity_to_show_raw() -> None:
    # an apostrophe needs no escape in Markdown; as &#x27; its # would be escaped and the entity shown raw
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    shown = markdown2html_mistune(show.md_esc("property managers' failure #1 <b>"))
    assert "property managers' failure #1 &lt;b&gt;" in shown
    assert "&amp;#" not in shown and "&#x27;" not in shown


# -- the page as a reader reads it (issue 17 part 5) ----------------------------------------------

@pytest.mark.parametrize(("args", "zh", "en"), [
    ((85.8, "", None, 85.8), "至多 85.8", "at most 85.8"),
    ((120.0, "起", 120.0, None), "至少 120 起", "at least 120 起"),
    ((3.0, "起", 3.0, 3.0), "3 起", "3 起"),  # a range whose ends agree is the value
    ((16.6, "%", 16.6, 16.6), "16.6%", "16.6%"),
    ((34.5, "%", 34.5, 35.2), "至少 34.5%（至多 35.2）", "at least 34.5% (at most 35.2)"),
    ((43.0, "%", 42.6, 43.0), "至多 43%（至少 42.6）", "at most 43% (at least 42.6)"),
    ((76.0, "", 75.7, 77.3), "76（75.7–77.3）", "76 (75.7–77.3)"),
    ((16.6, "%", 16.5, None), "16.6%（≥ 16.5）", "16.6% (≥ 16.5)"),
    ((5334.0, "", None, None), "5,334", "5,334"),
    # ends that only round to the value get the digits that tell them apart
    ((1078.3, "元", 1077.9, 1081.2), "1,078.3 元（1,077.9–1,081.2）", "1,078.3 元 (1,077.9–1,081.2)"),
])
def test_a_key_result_never_shows_a_range_that_ends_at_its_value(args, zh, en) -> None:
    assert show.fmt_result(*args, "zh") == zh
    assert show.fmt_result(*args, "en") == en


def test_key_results_say_at_most_in_the_box_and_the_payload() -> None:
    frame = pd.DataFrame([("bound", "upper bound", 85.8, "", None, 85.8, True)],
                         columns=["name", "label", "value", "unit", "lower", "upper", "headline"])
    (bundle,) = _displayed(show.show_key_results, frame, "zh")
    assert bundle[show.RESULTS_MIMETYPE]["results"][0]["display"] == "至多 85.8"
    assert "至多 85.8" in bundle["text/html"] and "≤" not in bundle["text/html"]


def test_source_lines_take_the_punctuation_of_the_report() -> None:
    obs = load_observations(source="cgzf_2022_summary", lang="zh")
    zh, en = show.sources(obs, "zh")._repr_html_(), show.sources(obs, "en")._repr_html_()
    assert "，2023-01-30。官方报告；可靠性：高。" in zh
    assert ", 2023-01-30. official report; reliability: high. " in en
    assert zh.count("<cite>") == 1 and "可靠性: " not in zh


def test_the_evidence_table_is_collapsed_under_a_count_of_its_figures() -> None:
    obs = load_observations(domain="garbage_sorting", lang="zh")
    html = show.figures(obs, "zh")._repr_html_()
    assert html.startswith('<details class="evidence"><summary>') and " open" not in html.split(">")[0]
    assert f"本报告用到的数字（{len(obs)} 个）" in html
    assert "原文写法：" in html and "可靠性：" in html and "原文写法: " not in html
    en = show.figures(obs.head(3), "en")._repr_html_()
    assert "the figures this report uses (3)" in en and "as printed: " in en


def test_the_tables_read_are_file_names_in_code() -> None:
    load_observations(domain="garbage_sorting", lang="zh")
    html = show.tables_read_list("zh")._repr_html_()
    assert "本报告读取的数据表：" in html and '<code>observations.csv</code>' in html


@pytest.mark.parametrize(("low", "high", "shown"), [
    (51.0, 51.5, "51.0–51.5"),  # both ends to the same decimals
    (2.1, 2.13, "2.10–2.13"),
    (224500, 225500, "224,500–225,500"),
    (62301.02, 62300.98, "62,301"),  # ends that print alike are one number
    (78.04, 78.9, "78.0–78.9"),  # a number that is not whole keeps a decimal
])
def test_a_range_prints_its_ends_alike(low: float, high: float, shown: str) -> None:
    assert show.fmt_range(low, high) == shown


@pytest.mark.parametrize(("args", "en"), [
    ((10.471, "%", 10.471, 11.29), "at least 10.47% (at most 11.3)"),  # a floor is rounded down
    ((25.224, "", None, 25.224), "at most 25.23"),  # a ceiling up (a digit more, not 25.3)
    ((5.0, "", 4.9871, 5.0129), "5 (4.987–5.013)"),  # a range outwards: it holds the true one
])
def test_bounds_are_rounded_so_that_they_stay_true(args, en) -> None:
    assert show.fmt_result(*args, "en") == en


def test_a_bound_is_not_moved_by_floating_point_noise() -> None:
    # 98 - 97.65 is 0.35000000000000853 in floating point: its floor is 0.35, not 0.3500
    assert show.fmt_result(0.4, "", 98 - 97.65, 98 - 97.55, "en") == "0.4 (0.35–0.45)"
