"""District profiles on the real tables: a district with figures of other years, one with none."""

from __future__ import annotations

import pandas as pd
import pytest

from chengguan.analysis import district as profile
from chengguan.tables import load_indicators, load_recognitions, load_scopes


@pytest.fixture(scope="module")
def rec() -> pd.DataFrame:
    return load_recognitions(lang="en")


@pytest.fixture(scope="module")
def scopes() -> pd.DataFrame:
    return load_scopes()


def test_counts_cover_every_district(obs: pd.DataFrame, rec: pd.DataFrame,
                                     scopes: pd.DataFrame) -> None:
    counts = profile.recognition_counts(rec, scopes, obs)
    districts = scopes.loc[scopes["kind"] == "district", "scope_id"]
    assert sorted(counts["scope_id"]) == sorted(districts)
    assert counts["total"].sum() == rec["scope_id"].isin(districts).sum()
    assert list(counts["total"]) == sorted(counts["total"], reverse=True)
    by = counts.set_index("scope_id")
    assert by.loc["minhang", "total"] == (rec["scope_id"] == "minhang").sum()
    assert by.loc["minhang", "top_ranked"] == ((rec["scope_id"] == "minhang")
                                               & (rec["kind"] == "top_ranked")).sum()
    assert by.loc["minhang", "rank"] == 1
    # ties share the best rank
    for total, part in counts.groupby("total"):
        assert part["rank"].nunique() == 1
    assert by.loc["changning", "observations"] == (obs["scope_id"] == "changning").sum()
    units = profile.recognition_counts(rec, scopes, obs, kind="unit")
    assert set(units["scope_id"]) == {"lingang", "airport", "ftz", "municipal_corps"}


def test_district_with_figures_of_two_years(obs: pd.DataFrame) -> None:
    reports = profile.district_report_figures(obs, "minhang")
    assert sorted(reports["year"].unique()) == [2021, 2023]
    changes = profile.year_changes(reports).set_index("indicator_id")
    assert changes.loc["cases_concluded", "change"] == pytest.approx(11113 / 12201 - 1)
    assert changes.loc["penalty_amount", "bound"] == "approximate"  # 约279万元 in 2021
    # an indicator given in one year only is not compared
    assert "ordinary_procedure_demolition_cases" not in changes.index
    table = profile.years_table(reports, load_indicators(), "en")
    assert {"2021", "2023", "definition"} <= set(table.columns)


def test_district_without_figures_reads_well(obs: pd.DataFrame, rec: pd.DataFrame,
                                             scopes: pd.DataFrame) -> None:
    own = profile.observations_of(obs, "putuo")
    assert own.empty
    reports = profile.district_report_figures(obs, "putuo")
    assert profile.years_table(reports, load_indicators(), "en").empty
    changes = profile.year_changes(reports)
    assert changes.empty and profile.plot_years(reports, changes, "en") is None
    counts = profile.recognition_counts(rec, scopes, obs)
    text = profile.profile_statement("Putuo", profile.recognitions_of(rec, "putuo"), own, counts,
                                     "putuo", "en")
    assert "attributes no figure to Putuo" in text
    assert "no district-report figure" in text
    assert "no district report" in profile.changes_statement(changes, reports, "Putuo", "en")
    zh = profile.profile_statement("普陀区", profile.recognitions_of(rec, "putuo"), own, counts,
                                   "putuo", "zh")
    assert "没有把任何数字归于普陀区" in zh


def test_one_year_only_and_primary_figures(obs: pd.DataFrame) -> None:
    reports = profile.district_report_figures(obs, "pudong")
    assert sorted(reports["year"].unique()) == [2022, 2023]
    changes = profile.year_changes(reports)
    assert changes.empty  # different indicators in the two years
    assert "no indicator appears in two years" in profile.changes_statement(
        changes, reports, "Pudong", "en")
    own = profile.observations_of(obs, "pudong")
    table = profile.observations_table(own, "en")
    assert (table["origin"] == "2022 summary").sum() == (own["source_id"] == "cgzf_2022_summary").sum()
    assert set(table["reliability"]) == {"high"}


def test_recognitions_of_a_district(rec: pd.DataFrame) -> None:
    recs = profile.recognitions_of(rec, "minhang")
    assert len(recs) == (rec["scope_id"] == "minhang").sum()
    kinds = list(recs["kind"])
    assert kinds == sorted(kinds, key=profile.KINDS.index)  # strongest kind first
    assert profile.recognitions_of(rec, "nowhere").empty


def test_key_results_and_plots(obs: pd.DataFrame, rec: pd.DataFrame, scopes: pd.DataFrame,
                               lang: str) -> None:
    k = profile.key_results(obs, rec, scopes, "minhang", "en")
    assert k["rank"] == 1 and k["peers"] == 16
    assert k["observations_supplementary"] == (obs["scope_id"] == "minhang").sum()
    assert k["report_years"] == "2021, 2023" and k["indicators_compared"] == 6
    assert k["change_cases_concluded"] == pytest.approx(11113 / 12201 - 1)
    none = profile.key_results(obs, rec, scopes, "putuo", "en")
    assert none["observations"] == 0 and none["report_years"] == ""
    counts = profile.recognition_counts(rec, scopes, obs, lang=lang)
    fig = profile.plot_recognition_counts(counts, "putuo", lang)
    assert len(fig.axes[0].patches) >= len(counts) * len(profile.KINDS)
    reports = profile.district_report_figures(obs, "minhang")
    fig = profile.plot_years(reports, profile.year_changes(reports, lang), lang)
    assert fig is not None and sum(ax.get_visible() for ax in fig.axes) == 6
    with pytest.raises(KeyError):
        profile.scope_info(scopes, "atlantis")
