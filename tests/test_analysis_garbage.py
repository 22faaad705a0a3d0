"""Garbage-sorting analysis on the real tables."""

from __future__ import annotations

import pandas as pd
import pytest

from chengguan.analysis import garbage
from chengguan.stats import poisson_interval
from chengguan.tables import load_recognitions


def test_funnel_ratios(obs: pd.DataFrame) -> None:
    f = garbage.funnel(obs).set_index("indicator_id")
    assert list(f.index) == [s.indicator_id for s in garbage.FUNNEL]
    assert f.loc["garbage_rectification_orders", "ratio"] == pytest.approx(34787 / 54339)
    assert f.loc["garbage_rectification_orders", "ratio"] == pytest.approx(0.6402, abs=1e-4)
    assert f.loc["garbage_sorting_cases", "ratio"] == pytest.approx(17747 / 34787)
    assert f.loc["garbage_inspections", "ratio"] == pytest.approx(133000 / 225000)
    # stage rows are measured against the inspections, littering against the sorting cases
    assert f.loc["garbage_depositing_units_inspected", "relative_to"] == "garbage_inspections"
    assert f.loc["garbage_depositing_units_inspected", "ratio"] == pytest.approx(245000 / 133000)
    assert f.loc["littering_cases", "ratio"] == pytest.approx(8803 / 17747)
    assert pd.isna(f.loc["garbage_enforcement_person_times", "ratio"])
    assert set(f["ratio_bound"].dropna()) == {"point"}


def test_periods_have_their_real_lengths(obs: pd.DataFrame) -> None:
    p = garbage.periods(obs)
    assert list(p["days"]) == [1, 6, 20, 305, 365]


def test_period_comparison(obs: pd.DataFrame) -> None:
    c = garbage.period_comparison(obs, 0.95)
    per_day = c[c["measure"] == "cases_per_day"].set_index("days")
    assert per_day.loc[365, "value"] == pytest.approx(17747 / 365)
    lo, hi = poisson_interval(20, 0.95)
    assert (per_day.loc[1, "low"], per_day.loc[1, "high"]) == pytest.approx((lo, hi))
    # the 20-day figure is penalty tickets: shown, but marked as a substitute
    assert per_day.loc[20, "numerator_id"] == "garbage_sorting_penalty_tickets"
    assert per_day.loc[20, "substitute"]
    assert not per_day.drop(index=20)["substitute"].any()
    assert (c["low"] <= c["value"]).all() and (c["value"] <= c["high"]).all()
    per_insp = c[c["measure"] == "cases_per_1000_inspections"].set_index("days")
    assert per_insp.loc[6, "value"] == pytest.approx(190 / 9600 * 1000)
    assert set(per_insp.index) == {6, 305, 365}  # only periods that report inspections


def test_period_comparison_marks_bounds(obs: pd.DataFrame) -> None:
    bounded = obs.copy()
    is_insp = bounded["indicator_id"] == "garbage_inspections"
    bounded.loc[is_insp, "qualifier"] = "more_than"
    c = garbage.period_comparison(bounded)
    assert set(c.loc[c["measure"] == "cases_per_1000_inspections", "bound"]) == {"upper"}
    assert set(c.loc[c["measure"] == "cases_per_day", "bound"]) == {"point"}


def test_narrower_interval_at_lower_confidence(obs: pd.DataFrame) -> None:
    wide = garbage.period_comparison(obs, 0.99)
    narrow = garbage.period_comparison(obs, 0.8)
    assert ((narrow["high"] - narrow["low"]) < (wide["high"] - wide["low"])).all()


def test_no_targets_and_districts_singled_out(obs: pd.DataFrame) -> None:
    assert garbage.targets(obs).empty
    assert "0" in garbage.plan_statement(garbage.targets(obs), "en")
    results = garbage.key_results(obs, load_recognitions(lang="en"), 0.95, "en")
    assert results["recognized_scopes"] == "minhang, fengxian"
    assert results["cases_per_1000_person_times_2022"] == pytest.approx(17747 / 225000 * 1000)
    assert results["periods_compared"] == 5


def test_plots_and_findings(obs: pd.DataFrame, lang: str) -> None:
    comparison = garbage.period_comparison(obs, lang=lang)
    fig = garbage.plot_period_comparison(comparison, lang, 0.95)
    assert len(fig.axes) == 2 * comparison["measure"].nunique()
    chain = garbage.funnel(obs, lang=lang)
    assert garbage.plot_funnel(chain, lang).axes[0].get_xscale() == "log"
    text = garbage.findings(chain, comparison, lang)
    assert "0.64" in text and "48.6" in text
