"""Demolition analysis on the real tables."""

from __future__ import annotations

import pandas as pd
import pytest

from chengguan.analysis import demolition
from chengguan.tables import load_indicators


def test_programmes_name_known_indicators_only() -> None:
    known = set(load_indicators()["indicator_id"])
    for p in demolition.PROGRAMMES:
        ids = {p.area_indicator, p.count_indicator, *p.other_indicators} - {None}
        assert ids <= known, p.key
    assert set(demolition.DISTRICT_INDICATORS) <= known


def test_measures_cover_every_programme(obs: pd.DataFrame) -> None:
    m = demolition.measures(obs)
    assert set(m["programme"]) == {p.key for p in demolition.PROGRAMMES}
    values = m.set_index("indicator_id")["value"]
    assert values["outdoor_ad_facilities_removed"] == 664
    assert values["signboards_removed"] == 3942
    assert values["riverside_kiosks_removed"] == 12


def test_areas_per_case_and_shares(obs: pd.DataFrame) -> None:
    a = demolition.areas(obs).set_index("programme")
    assert a.loc["citywide", "area_per_count"] == pytest.approx(2504700 / 5334)
    assert a.loc["residential", "share_of_citywide"] == pytest.approx(244000 / 2504700)
    assert a.loc["self_built_new", "area_per_count"] == pytest.approx(11236 / 354)
    assert a.loc["self_built_extensions", "area_kind"] == "rectify_ordered"
    assert pd.isna(a.loc["riverside", "area_per_count"])  # no count of the same work


def test_target_growth_under_each_reading(obs: pd.DataFrame) -> None:
    g = demolition.target_growth(obs).set_index("reading")
    assert g.loc["citywide_sites", "required_growth"] == pytest.approx(1200 / 664 - 1)
    assert g.loc["riverside_panels", "required_growth"] == pytest.approx(1200 / 209 - 1)
    assert g.loc["sum_if_disjoint", "base"] == 664 + 209
    assert not g.loc["citywide_sites", "same_unit"]
    assert g.loc["riverside_panels", "same_unit"]
    assert set(g["target_qualifier"]) == {"more_than"}


def test_district_ratios_stay_within_their_district_and_year(obs: pd.DataFrame) -> None:
    r = demolition.district_ratios(obs).set_index(["scope_id", "year", "ratio"])["value"]
    assert r[("pudong", 2023, "stock_sites_demolished_share")] == pytest.approx(10383 / 256300)
    assert r[("minhang", 2021, "demolition_share_of_ordinary_cases")] == pytest.approx(672 / 5715)
    assert r[("changning", 2024, "stock_area_per_site")] == pytest.approx(61603.83 / 359)
    context = demolition.district_context(obs)
    assert set(context["scope_id"]) == {"pudong", "changning", "minhang"}
    assert 2022 not in set(context["year"])


@pytest.mark.parametrize("log_scale", [True, False])
def test_plot_respects_log_scale(obs: pd.DataFrame, lang: str, log_scale: bool) -> None:
    fig = demolition.plot_programmes(demolition.areas(obs, lang=lang),
                                     demolition.measures(obs, lang=lang), lang, log_scale=log_scale)
    assert {ax.get_xscale() for ax in fig.axes[:2]} == {"log" if log_scale else "linear"}


def test_observations_used_include_target_and_districts(obs: pd.DataFrame) -> None:
    used = demolition.observations_used(obs)
    assert "target" in set(used["status"])
    assert {"pudong", "changning", "minhang", "city"} <= set(used["scope_id"])
