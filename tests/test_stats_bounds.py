"""What a printed figure stands for, and ratios of counts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from chengguan import stats


@pytest.mark.parametrize(("value", "qualifier", "text", "low", "high"), [
    (225000, "exact", "22.5 万人次", 224500, 225500),  # rounded to 0.1万
    (196000, "exact", "19.6万", 195500, 196500),  # the same rule for every 万 figure
    (5334, "exact", "5334 起", 5334, 5334),  # a whole count printed in full is exact
    (89.4, "exact", "89.4%", 89.35, 89.45),
    (108000, "more_than", "10.8 万余起", 108000, 109000),  # 余: below the next unit
    (4000, "more_than", "4000 余", 4000, 5000),
    (3300000, "more_than", "330万余元", 3300000, 3310000),  # 余 after 万: less than one 万 more
    (3300000, "more_than", "330余万元", 3300000, 3400000),  # 余 before 万: below 340万
    (20, "more_than", "二十余人", 20, 30),
    (90, "exact", "90%", 89.5, 90.5),  # a whole percentage is rounded, not exact
    (1200, "at_least", "1200 块以上", 1200, math.inf),  # 以上 includes the number, no ceiling
    (9, "at_least", "不少于 9 家", 9, math.inf),
    (50, "at_most", "不超过 50 家", 0, 50),
    (2790000, "approximate", "约279万元", 2785000, 2795000),
    (100, "approximate", "近 100 人", 99, 100),
    (8000, "approximate", "about 8,000", 7500, 8500),  # a round "about": rounded at its last digit
    (152000, "approximate", "about 152,000 inspections", 151500, 152500),
    (2600000, "approximate", "约 260 万元", 2550000, 2650000),
    # Chinese numerals and English pages, read by the parser
    (10, "exact", "十类", 10, 10),
    (74000, "exact", "74,000 cases", 74000, 74000),  # printed in full: read as exact
    (3100, "more_than", "More than 3,100", 3100, math.inf),  # like 超过: no ceiling
    (2400, "approximate", "Nearly 2,400 cases", 2399, 2400),
    (120000, "more_than", "12万多起", 120000, 130000),
    (98, "at_least", "达到 98%", 98, math.inf),
])
def test_printed_bounds(value: float, qualifier: str, text: str, low: float, high: float) -> None:
    assert stats.printed_bounds(value, qualifier, text) == pytest.approx((low, high))


def test_a_text_without_a_figure_is_refused() -> None:
    with pytest.raises(ValueError, match="no figure in 'abc'"):
        stats.rounding_step("abc")


def test_bounds_frame_is_keyed_like_the_observations() -> None:
    obs = pd.DataFrame({"observation_id": ["a", "b"], "value": [225000.0, 5334.0],
                        "qualifier": ["exact", "exact"], "number_text": ["22.5 万", "5334 起"]},
                       index=[7, 9])
    out = stats.bounds(obs)
    assert list(out.index) == [7, 9] and list(out.observation_id) == ["a", "b"]
    assert out.loc[7, "low"] == 224500 and out.loc[9, "high"] == 5334


def test_ratio_bounds() -> None:
    assert stats.ratio_bounds(17747, 17747, 132500, 133500, per=1000) == pytest.approx(
        (17747 / 133500 * 1000, 17747 / 132500 * 1000))
    assert stats.ratio_bounds(1200, math.inf, 664, 664)[1] == math.inf
    with pytest.raises(ValueError):
        stats.ratio_bounds(1, 2, 0, 3)


def test_count_ratio_is_the_exact_conditional_interval() -> None:
    rate = stats.count_ratio(10, 100, 0.95, per=1000)
    assert rate.value == pytest.approx(100)
    # Clopper-Pearson on 10 of 110, mapped to p / (1 - p)
    lo, hi = stats.proportion_interval(10, 110, 0.95)
    assert rate.low == pytest.approx(lo / (1 - lo) * 1000)
    assert rate.high == pytest.approx(hi / (1 - hi) * 1000)
    assert stats.count_ratio(0, 5).low == 0


def _rows(*rows: tuple[str, str, str, str, float, str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["observation_id", "indicator_id", "source_id", "scope_id",
                                        "value", "qualifier", "number_text"])
    return frame.assign(period_start=pd.Timestamp("2021-01-01"), period_end=pd.Timestamp("2021-12-31"))


def test_paired_ratios_pair_figures_of_one_source_scope_and_period() -> None:
    obs = _rows(("a1", "fines", "s1", "minhang", 2790000, "approximate", "约279万元"),
                ("a2", "cases", "s1", "minhang", 12201, "exact", "12201件"),
                ("b1", "fines", "s2", "changning", 3300000, "more_than", "330万余元"),
                ("b2", "cases", "s2", "changning", 3062, "exact", "3062件"),
                ("c1", "cases", "s3", "pudong", 10, "exact", "10件"))  # no numerator: no ratio
    out = stats.paired_ratios(obs, [("fine_per_case", "fines", "cases", 1)]).set_index("scope_id")
    assert sorted(out.index) == ["changning", "minhang"]
    minhang = out.loc["minhang"]
    assert (minhang.numerator_id, minhang.denominator_id) == ("a1", "a2")
    assert minhang.value == pytest.approx(2790000 / 12201)
    assert (minhang.low, minhang.high) == pytest.approx((2785000 / 12201, 2795000 / 12201))
    # 330万余: more than 3.3 million, less than one 万 more
    assert out.loc["changning", "high"] == pytest.approx(3310000 / 3062)


def test_paired_ratios_never_mix_periods_and_refuse_ambiguous_groups() -> None:
    obs = _rows(("a1", "fines", "s1", "minhang", 100, "exact", "100元"),
                ("a2", "cases", "s1", "minhang", 4, "exact", "4件"))
    later = obs.assign(period_start=pd.Timestamp("2023-01-01"), period_end=pd.Timestamp("2023-12-31"))
    mixed = pd.concat([obs.iloc[[0]], later.iloc[[1]]], ignore_index=True)
    empty = stats.paired_ratios(mixed, [("r", "fines", "cases", 1)])
    assert empty.empty and pd.api.types.is_datetime64_any_dtype(empty.period_start)
    doubled = pd.concat([obs, obs.iloc[[1]].assign(observation_id="a3")], ignore_index=True)
    with pytest.raises(ValueError, match="several rows"):
        stats.paired_ratios(doubled, [("r", "fines", "cases", 1)])
