"""Residential-community analysis on the real tables."""

from __future__ import annotations

import pandas as pd
import pytest

from chengguan.analysis import residential
from chengguan.stats import poisson_interval, proportion_interval
from chengguan.tables import load_recognitions

PARTS = {"load_bearing_structure_cases": 846, "use_change_cases": 575,
         "real_estate_agency_cases": 461, "illegal_rental_cases": 334,
         "common_area_occupation_cases": 306, "property_failure_to_report_cases": 188}


def test_breakdown_remainder_is_computed(obs: pd.DataFrame) -> None:
    b = residential.housing_breakdown(obs)
    by = b.set_index("indicator_id")
    parts = b[b["kind"] == "part"]
    assert dict(zip(parts["indicator_id"], parts["value"])) == PARTS
    assert list(parts["value"]) == sorted(parts["value"], reverse=True)  # largest first
    assert by.loc["housing_management_cases", "value"] == 3202
    assert by.loc[residential.REMAINDER, "value"] == 3202 - sum(PARTS.values())
    assert by.loc[residential.REMAINDER, "share"] == pytest.approx(492 / 3202)
    assert b.loc[b["kind"] != "total", "share"].sum() == pytest.approx(1.0)


def test_breakdown_follows_the_table_not_constants(obs: pd.DataFrame) -> None:
    changed = obs.copy()
    changed.loc[changed["indicator_id"] == "use_change_cases", "value"] = 1000.0
    b = residential.housing_breakdown(changed).set_index("indicator_id")
    assert b.loc[residential.REMAINDER, "value"] == 3202 - sum(PARTS.values()) - 1000 + 575
    gone = obs[obs["parent_id"] != residential.HOUSING_CASES]
    with pytest.raises(LookupError):
        residential.housing_breakdown(gone)


def test_rectification_intervals(obs: pd.DataFrame) -> None:
    r = residential.rectification(obs, 0.95).set_index("key")
    lb = r.loc["load_bearing"]
    assert lb["value"] == pytest.approx(726 / 846)
    assert (lb["low"], lb["high"]) == pytest.approx(proportion_interval(726, 846, 0.95))
    assert r.loc["green_space", "value"] == pytest.approx(1761 / 1775)
    assert r.loc["use_change", "value"] == pytest.approx(489 / 575)
    assert r.loc["use_change", "gap"] == 575 - 489
    ann = r.loc["load_bearing_annotated"]
    lo, hi = poisson_interval(72, 0.95)
    assert (ann["low"], ann["high"]) == pytest.approx((lo / 846, hi / 846))


def test_demolition_and_case_example(obs: pd.DataFrame) -> None:
    d = residential.residential_demolition(obs)
    assert list(d["value"][:2]) == [244000, 785]
    assert d["value"].iloc[-1] == pytest.approx(244000 / 2504700)
    rec = load_recognitions(lang="en")
    text = residential.case_example(obs, rec, "en")
    assert "20,000" in text and "天钥新村" in text and "Xuhui" in text


def test_recognitions(obs: pd.DataFrame) -> None:
    rec = residential.recognized(load_recognitions(lang="en"))
    own = rec[rec["domain_id"] == residential.DOMAIN]
    assert list(own.loc[own["kind"] == "top_ranked", "scope_id"]) == ["jiading", "qingpu", "minhang"]
    # the estate-agency initiative of another section is pulled in by its keyword
    assert {"hongkou", "chongming"} <= set(rec["scope_id"])
    table = residential.recognized_table(rec, "en")
    assert "domain" in table.columns and len(table) == len(rec)


def test_key_results_and_plots(obs: pd.DataFrame, lang: str) -> None:
    k = residential.key_results(obs, load_recognitions(lang="en"), 0.9, "en")
    assert k["remainder"] == 492 and k["listed_parts"] == 6 and k["listed_sum"] == 2710
    assert k["load_bearing_low"] == pytest.approx(proportion_interval(726, 846, 0.9)[0])
    assert k["top_ranked"] == "jiading, qingpu, minhang" and k["case_example_fine"] == 20000
    b = residential.housing_breakdown(obs, lang=lang)
    fig = residential.plot_breakdown(b, lang)
    assert len(fig.axes) == 2 and len(fig.axes[1].patches) == len(b) - 1
    assert residential.plot_rectification(residential.rectification(obs, lang=lang), lang, 0.95).axes
    assert "492" in residential.findings(b, residential.rectification(obs), "en")
