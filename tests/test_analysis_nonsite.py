"""Non-site enforcement analysis on the real tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from chengguan.analysis import nonsite
from chengguan.stats import proportion_interval
from chengguan.tables import load_indicators


def test_share_is_a_bound(obs: pd.DataFrame) -> None:
    s = nonsite.nonsite_share(obs).set_index("quantity")["value"]
    assert s["share_upper_bound"] == pytest.approx(4119 / 108000)
    assert s["share_upper_bound"] == pytest.approx(0.0381, abs=1e-4)
    assert s["assumed_all_cases_max"] == 109000
    assert s["share_lower_bound"] == pytest.approx(4119 / 109000)
    plain = nonsite.nonsite_share(obs, assume_all_cases_below_next_step=False)
    assert "share_lower_bound" not in set(plain["quantity"])
    assert "3.81%" in nonsite.share_statement(nonsite.nonsite_share(obs), "en")


def test_risk_grades_carry_rounding_ranges(obs: pd.DataFrame) -> None:
    g = nonsite.risk_grades(obs).set_index("population")
    shop, site = g.loc["shopfronts"], g.loc["construction_sites"]
    assert (shop["units_min"], shop["units_max"]) == (195500, 196500)
    assert shop["low_risk"] == pytest.approx(196000 * 0.894)
    assert shop["low_risk_min"] <= shop["low_risk"] <= shop["low_risk_max"]
    assert (site["units_min"], site["units_max"]) == (4295, 4295)
    assert (site["low_risk_min"], site["low_risk_max"]) == (2245, 2248)
    assert site["other_min"] == 4295 - 2248
    # 195,500 units at the top share (89.45%) leave the fewest others
    assert shop["other_min"] == math.ceil(195500 * (1 - 0.8945))
    assert shop["other_max"] == math.floor(196500 * (1 - 0.8935))


def test_workloads_follow_the_assumed_frequencies(obs: pd.DataFrame) -> None:
    g = nonsite.risk_grades(obs)
    w = nonsite.workloads(g, 1.0, 4.0, 4.0).set_index("population")
    shop = w.loc["shopfronts"]
    assert shop["graded"] == pytest.approx(196000 * 0.894 + 196000 * 0.106 * 4)
    assert shop["uniform"] == 784000
    assert shop["saving"] == pytest.approx(1 - shop["graded"] / shop["uniform"])
    assert shop["graded_min"] <= shop["graded"] <= shop["graded_max"]
    assert shop["graded_min"] == pytest.approx(195500 * (0.8945 + 0.1055 * 4))
    assert shop["graded_max"] == pytest.approx(196500 * (0.8935 + 0.1065 * 4))
    doubled = nonsite.workloads(g, 2.0, 8.0, 8.0).set_index("population")
    assert doubled.loc["shopfronts", "saving"] == pytest.approx(shop["saving"])
    none = nonsite.workloads(g, 1.0, 4.0, 0.0)
    assert none["saving"].isna().all()


def test_campaigns_name_known_indicators_only() -> None:
    known = set(load_indicators()["indicator_id"])
    for c in nonsite.CAMPAIGNS:
        ids = {c.person_times_indicator, c.inspections_indicator, c.outputs_indicator} - {None}
        assert ids <= known, c.key
        assert c.output_kind in {"cases", "problems"}


def test_yields(obs: pd.DataFrame) -> None:
    y = nonsite.yields(obs).set_index(["campaign", "input"])
    assert y.loc[("garbage", "person_times"), "per_1000"] == pytest.approx(17747 / 225000 * 1000)
    assert y.loc[("garbage", "person_times"), "per_1000"] == pytest.approx(78.88, abs=0.01)
    assert y.loc[("ciie", "inspections"), "per_1000"] == pytest.approx(10857 / 55000 * 1000)
    assert y.loc[("riverside", "person_times"), "bound"] == "upper"  # 2.2 万余人次
    assert y.loc[("citywide", "person_times"), "bound"] == "unknown"  # both sides 余
    assert y.loc[("self_built", "inspections"), "bound"] == "point"
    assert ("self_built", "person_times") not in y.index  # no such input reported
    assert (y["low"] < y["per_1000"]).all() and (y["per_1000"] < y["high"]).all()


def test_record_accuracy_spans_the_rounding(obs: pd.DataFrame) -> None:
    a = nonsite.record_accuracy(obs, 0.95).iloc[0]
    assert (a["accurate_min"], a["accurate_max"]) == (5417, 5477)
    low, _ = proportion_interval(5417, 6052, 0.95, "wilson")
    _, high = proportion_interval(5477, 6052, 0.95, "wilson")
    assert (a["low"], a["high"]) == pytest.approx((low, high))
    assert a["low"] < 0.9 < a["high"]


def test_key_results_and_plots(obs: pd.DataFrame, lang: str) -> None:
    r = nonsite.key_results(obs, 0.95, 1.0, 4.0, 4.0, "en")
    assert r["nonsite_share_upper_bound"] == pytest.approx(4119 / 108000)
    assert r["bounded_rates"] == 7
    assert not math.isnan(r["nonsite_share_lower_bound"])
    y = nonsite.yields(obs, lang=lang)
    fig = nonsite.plot_yields(y, lang, 0.95)
    assert [ax.get_xscale() for ax in fig.axes[:2]] == ["log", "log"]
    grades = nonsite.risk_grades(obs, lang=lang)
    load = nonsite.workloads(grades, 1.0, 4.0, 4.0)
    assert len(nonsite.plot_workloads(load, lang, 1.0, 4.0, 4.0).axes) == len(load)
    digital = nonsite.digital_table(obs, "en")
    assert len(digital) == len(nonsite.DIGITAL_INDICATORS)
