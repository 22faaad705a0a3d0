"""Shared analysis helpers: bounds of ratios, rounding ranges, labels, provenance tables."""

from __future__ import annotations

import pandas as pd
import pytest

from chengguan.analysis import common
from chengguan.tables import load_sources


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [
        ("exact", "exact", "point"),
        ("more_than", "exact", "lower"),
        ("exact", "more_than", "upper"),
        ("at_least", "more_than", "unknown"),
        ("approximate", "exact", "approximate"),
        ("at_most", "exact", "upper"),
        ("exact", "at_most", "lower"),
        ("more_than", "at_most", "lower"),
        ("at_most", "at_most", "unknown"),
    ],
)
def test_bound_of_ratio(num: str, den: str, expected: str) -> None:
    assert common.bound_of_ratio(num, den) == expected


@pytest.mark.parametrize(("level", "label"), [(0.95, "95%"), (0.975, "97.5%"), (0.999, "99.9%")])
def test_confidence_label_keeps_every_digit_that_matters(level: float, label: str) -> None:
    assert common.confidence_label(level) == label


def test_rounding_range_and_resolution_follow_the_written_digits() -> None:
    assert common.rounding_range("19.6万") == (195500.0, 196500.0)
    assert common.rounding_range("89.4%") == pytest.approx((89.35, 89.45))
    assert common.resolution("10.8 万余起") == 1000.0
    assert common.resolution("4119起") == 1.0


def test_format_value_marks_qualifiers_and_units() -> None:
    assert common.format_value(108000, "more_than", "case", "en") == ">108,000 case(s)"
    assert common.format_value(108000, "more_than", "case", "zh") == ">108,000起"
    assert common.format_value(89.4, "exact", "percent", "en") == "89.4%"
    assert common.format_value(61603.83, "exact", "m2", "en") == "61,603.83 m²"
    assert common.format_value(2279.5, "approximate", None, "en") == "≈2,279.5"


def test_period_label() -> None:
    day = pd.Timestamp("2019-07-01")
    assert common.period_label(day, day, "en") == "2019-07-01 (1 day)"
    year = (pd.Timestamp("2022-01-01"), pd.Timestamp("2022-12-31"))
    assert common.period_label(*year, "zh") == "2022"
    assert "20 天" in common.period_label(day, pd.Timestamp("2019-07-20"), "zh")


def test_single_finds_one_row_or_raises(obs: pd.DataFrame) -> None:
    row = common.single(obs, "nonsite_cases", year=2022)
    assert row["value"] == 4119
    with pytest.raises(common.ObservationNotFound):
        common.single(obs, "garbage_sorting_cases")  # one per period: several
    assert common.single_or_none(obs, None) is None


def test_data_used_and_sources_tables_carry_quotes_and_reliability(obs: pd.DataFrame) -> None:
    rows = obs[obs["domain_id"] == "garbage_sorting"]
    zh = common.data_used(rows, "zh")
    en = common.data_used(rows, "en")
    assert len(zh) == len(en) == len(rows)
    assert {"原文", "来源", "可靠性"} <= set(zh.columns)
    assert en["quote"].str.contains("17747").any()
    sources = common.sources_used(rows, load_sources(), "en")
    assert set(sources["source"]) == set(rows["source_id"])
    assert sources["reliability"].iloc[0] == "high"  # most reliable first


def test_plan_sentences_reads_only_the_plan() -> None:
    assert common.plan_sentences(["生活垃圾", "垃圾分类"]) == []
    ads = common.plan_sentences(["户外广告设施"])
    assert len(ads) == 1 and "1200" in ads[0]
    with pytest.raises(LookupError):
        common.plan_sentences(["x"], heading="no such heading")


def test_supplementary_notes_explain_the_older_figures(obs: pd.DataFrame) -> None:
    rows = obs[obs["domain_id"] == "garbage_sorting"]
    notes = common.supplementary_notes(rows, "en")
    assert len(notes) == (rows["source_id"] != "cgzf_2022_summary").sum()
    tickets = notes[notes["indicator"].str.contains("ticket", case=False)]
    assert len(tickets) == 1 and "张" in tickets["how it was read"].iloc[0]


def test_share_of_all_cases_with_an_exact_total_is_a_point() -> None:
    total = pd.Series({"value": 200.0, "qualifier": "exact", "number_text": "200起"})
    share = common.share_of_all_cases("part", 50.0, total)
    assert list(share["quantity"]) == ["part", "all_cases_printed", "share"]
    assert share["value"].iloc[-1] == 0.25
    words = {**common.SHARE_WORDS, "part": ("部分", "part"),
             "all_cases_printed": ("全部", "all cases")}
    table = common.share_table(share, words, "en", digits=1)
    assert list(table["value"]) == ["50 case(s)", "200 case(s)", "25.0%"]


def test_indicator_notes_say_what_differs_between_periods() -> None:
    from chengguan.tables import load_observations

    for lang, word in (("zh", "创建率"), ("en", "创建率 (creation rate")):
        obs = load_observations(indicator=["regular_squadron_rate", "illegal_building_cases"],
                                lang=lang)
        notes = common.indicator_notes(obs, lang)
        assert len(notes) == 1  # illegal_building_cases has no note
        assert word in notes.iloc[0, 1]
