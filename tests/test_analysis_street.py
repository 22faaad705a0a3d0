"""Street-environment and city-wide order analysis on the real tables."""

from __future__ import annotations

import pandas as pd
import pytest

from chengguan.analysis import street
from chengguan.stats import poisson_interval, proportion_interval
from chengguan.tables import load_recognitions


def test_measures_group_cases_and_outcomes(obs: pd.DataFrame) -> None:
    m = street.measures(obs)
    assert len(m) == sum(1 + len(i.outcomes) for i in street.ISSUES)
    cases = m[m["role"] == "case"].set_index("indicator_id")
    assert list(cases.index) == [i.case_indicator for i in street.ISSUES]
    assert cases["value"].sum() == 28712 + 10074 + 3196 + 2352 + 1771 + 265 + 19
    assert cases["share_of_street_cases"].sum() == pytest.approx(1.0)
    assert cases.loc["street_vending_cases", "share_of_street_cases"] == pytest.approx(28712 / 46389)
    # outcomes carry no share: their units (处, 块) are not cases
    assert m.loc[m["role"] == "outcome", "share_of_street_cases"].isna().all()
    assert set(m.loc[m["role"] == "outcome", "unit"]) == {"site", "case", "panel"}


def test_ratios_and_their_intervals(obs: pd.DataFrame) -> None:
    r = street.ratios(obs, 0.95).set_index("key")
    restored = r.loc["numbers_restored_share"]
    assert restored["value"] == pytest.approx(307 / 461)
    assert (restored["low"], restored["high"]) == pytest.approx(proportion_interval(307, 461, 0.95))
    assert restored["kind"] == "proportion"
    cleared = r.loc["sites_cleared_per_vending_case"]
    assert cleared["value"] == pytest.approx(40926 / 28712)
    lo, hi = poisson_interval(40926, 0.95)
    assert (cleared["low"], cleared["high"]) == pytest.approx((lo / 28712, hi / 28712))
    assert r.loc["ad_facilities_removed_per_ad_case", "value"] == pytest.approx(664 / 2352)
    assert set(r["bound"]) == {"point"}
    wider = street.ratios(obs, 0.99).set_index("key").loc["numbers_restored_share"]
    assert wider["high"] - wider["low"] > restored["high"] - restored["low"]


def test_street_share_is_bounded(obs: pd.DataFrame) -> None:
    s = street.street_share_of_all_cases(obs).set_index("quantity")["value"]
    assert s["share_upper_bound"] == pytest.approx(46389 / 108000)
    assert s["assumed_all_cases_max"] == 109000
    assert s["share_lower_bound"] == pytest.approx(46389 / 109000)
    plain = street.street_share_of_all_cases(obs, assume_below_next_step=False)
    assert "share_lower_bound" not in set(plain["quantity"])


def test_order_figures_ranges_and_ratios(obs: pd.DataFrame) -> None:
    f = street.order_figures(obs).set_index("indicator_id")
    assert f.loc["citywide_joint_operations", "low"] == f.loc["citywide_joint_operations", "high"] == 5909
    assert (f.loc["citywide_person_times", "low"], f.loc["citywide_person_times", "high"]) == (
        1680000, 1690000)
    assert f.loc["all_cases", "high"] == 109000
    unbounded = street.order_figures(obs, assume_below_next_step=False).set_index("indicator_id")
    assert unbounded.loc["all_cases", "high"] == float("inf")
    r = street.order_ratios(street.order_figures(obs)).set_index("key")
    assert r.loc["education_per_case", "bound"] == "unknown"
    assert r.loc["education_per_case", "low"] == pytest.approx(710000 / 109000)
    assert r.loc["education_per_case", "high"] == pytest.approx(720000 / 108000)
    assert r.loc["cases_per_1000_person_times", "value"] == pytest.approx(108000 / 1680000 * 1000)
    assert (r["low"] <= r["value"]).all() and (r["value"] <= r["high"]).all()


def test_recognitions_and_plan(obs: pd.DataFrame) -> None:
    rec = street.recognized(load_recognitions(lang="en"))
    assert list(rec.loc[rec["domain_id"] == street.DOMAIN, "scope_id"]) == [
        "fengxian", "minhang", "huangpu"]
    assert {"jinshan", "fengxian", "municipal_corps"} <= set(
        rec.loc[rec["kind"] == "top_ranked", "scope_id"])
    plan = street.targets(obs)
    assert list(plan["indicator_id"]) == ["outdoor_ad_facilities_removed_panels"]
    assert "1200" in street.plan_statement(plan, "en")


def test_findings_and_key_results(obs: pd.DataFrame) -> None:
    rec = load_recognitions(lang="en")
    k = street.key_results(obs, rec, 0.9, "en")
    assert k["street_cases"] == 46389
    assert k["numbers_restored_share"] == pytest.approx(307 / 461)
    assert k["numbers_restored_share_low"] == pytest.approx(proportion_interval(307, 461, 0.9)[0])
    assert k["recognized_street"] == "fengxian, minhang, huangpu"
    text = street.findings(street.measures(obs), street.ratios(obs), street.street_share_of_all_cases(obs),
                           street.order_ratios(street.order_figures(obs)), "zh")
    assert "46,389" in text and "66.6%" in text


def test_plots_and_tables(obs: pd.DataFrame, lang: str) -> None:
    m = street.measures(obs, lang=lang)
    assert len(street.plot_measures(m, lang).axes[0].patches) == len(m)
    r = street.ratios(obs, lang=lang)
    assert street.plot_ratios(r, lang, 0.95).axes
    f = street.order_figures(obs, lang=lang)
    assert len(street.plot_order(f, lang).axes[0].patches) == len(f)
    assert len(street.measures_table(m, lang)) == len(m)
    assert len(street.order_ratios_table(street.order_ratios(f, lang), lang)) == len(street.ORDER_RATIOS)
