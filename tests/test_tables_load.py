"""chengguan.tables.load: typed, joined, filtered observations for notebooks."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from tables_synthetic import PRIMARY, make_data_dir, set_cell

from chengguan.tables import (
    Observation,
    load_domains,
    load_exclusions,
    load_indicators,
    load_observations,
    load_recognitions,
    load_scopes,
    load_sources,
    value_of,
)
from chengguan.tables.load import OBSERVATION_COLUMNS


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path)


def ids(frame: pd.DataFrame) -> list[str]:
    return sorted(frame.observation_id)


def test_columns_and_types(data: Path) -> None:
    frame = load_observations(data_dir=data)
    assert tuple(frame.columns) == OBSERVATION_COLUMNS
    assert len(frame) == 12
    assert frame.value.dtype == "float64"
    assert frame.days.dtype == "int64"
    assert pd.api.types.is_datetime64_any_dtype(frame.period_start)
    assert pd.api.types.is_datetime64_any_dtype(frame.period_end)
    assert pd.api.types.is_string_dtype(frame.quote)


def test_rows_are_joined_with_catalog_scope_domain_and_source(data: Path) -> None:
    frame = load_observations(data_dir=data).set_index("observation_id")
    row = frame.loc["illegal_building_area_2022"]
    assert row.value == 2504700.0
    assert (row.indicator, row.indicator_en, row.unit) == ("拆除违法建筑面积",
                                                           "Illegal building area demolished", "m2")
    assert (row.domain_id, row.domain_name) == ("ecological_environment", "生态环境")
    assert (row.scope_name, row.scope_kind) == ("上海市", "city")
    assert (row.source_kind, row.reliability) == ("official_report", "high")
    assert row.days == 365
    assert frame.loc["garbage_person_times_2019_07_01"].days == 1
    assert frame.loc["littering_cases_2022"].parent_id == "garbage_sorting_cases"
    assert pd.isna(row.parent_id)  # optional and empty: missing, not ""


def test_english_labels(data: Path) -> None:
    row = load_observations(lang="en", data_dir=data).iloc[0]
    assert (row.indicator, row.domain_name, row.scope_name) == (
        "Illegal building cases", "Ecology", "Shanghai")


def test_filters_take_one_id_or_a_list(data: Path) -> None:
    assert ids(load_observations(indicator="littering_cases", data_dir=data)) == [
        "littering_cases_2022"]
    assert len(load_observations(domain=["ecological_environment", "epidemic_duty"],
                                 data_dir=data)) == 3
    assert ids(load_observations(source="supp_2019_first_day",
                                 indicator=["garbage_sorting_cases", "littering_cases"],
                                 data_dir=data)) == ["garbage_sorting_cases_2019_07_01"]
    assert len(load_observations(scope="city", status="actual", data_dir=data)) == 12
    assert load_observations(status="target", data_dir=data).empty


def test_a_year_selects_the_periods_that_overlap_it(data: Path) -> None:
    assert set(load_observations(period=2019, data_dir=data).source_id) == {
        "supp_2019_first_day"}
    assert len(load_observations(period=2022, data_dir=data)) == 7
    assert load_observations(period=2021, data_dir=data).empty


def test_a_pair_of_dates_selects_the_periods_that_overlap_it(data: Path) -> None:
    assert len(load_observations(period=("2019-06-01", date(2019, 7, 1)), data_dir=data)) == 5
    assert load_observations(period=("2019-07-02", "2021-12-31"), data_dir=data).empty
    assert len(load_observations(period=("2022-12-31", "2023-06-30"), data_dir=data)) == 7


@pytest.mark.parametrize("period", ["2022", (2022,), 2022.0, True, ("2023-01-01", "2022-01-01")])
def test_a_bad_period_is_refused(data: Path, period: object) -> None:
    with pytest.raises(ValueError, match="period"):
        load_observations(period=period, data_dir=data)  # type: ignore[arg-type]


def test_an_unknown_id_names_the_allowed_ones(data: Path) -> None:
    with pytest.raises(ValueError) as error:
        load_observations(scope=["city", "shanghai"], data_dir=data)
    assert str(error.value) == "unknown scope 'shanghai'; allowed: city, fengxian"
    with pytest.raises(ValueError, match="unknown status 'planned'; allowed: actual, target"):
        load_observations(status="planned", data_dir=data)
    with pytest.raises(ValueError, match="unknown lang 'fr'; allowed: zh, en"):
        load_observations(lang="fr", data_dir=data)


def test_the_note_is_in_the_language_asked_for(data: Path) -> None:
    # One `note` column, as for the labels: a report shows the note in its own language.
    for lang, note in (("zh", "一天的数字。"), ("en", "One day's figure.")):
        frame = load_observations(lang=lang, data_dir=data).set_index("observation_id")
        assert frame.loc["garbage_person_times_2019_07_01", "note"] == note
        assert pd.isna(frame.loc["garbage_person_times_2022", "note"])  # none: missing, not ""
        assert not {"note_zh", "note_en"} & set(frame.columns)
    obs = value_of("garbage_enforcement_person_times", period=2019, data_dir=data)
    assert (obs.note_zh, obs.note_en) == ("一天的数字。", "One day's figure.")
    assert obs.note("zh") == "一天的数字。" and obs.note("en") == "One day's figure."
    with pytest.raises(ValueError, match="unknown lang 'fr'"):
        obs.note("fr")


def test_value_of_gives_the_exact_value(data: Path) -> None:
    obs = value_of("illegal_building_area_demolished", data_dir=data)
    assert isinstance(obs, Observation)
    assert obs.value == Decimal("2504700") and obs.value_float == 2504700.0
    assert float(obs) == 2504700.0
    assert (obs.qualifier, obs.unit, obs.source_id) == ("exact", "m2", PRIMARY)
    assert obs.period == (date(2022, 1, 1), date(2022, 12, 31)) and obs.days == 365
    assert obs.quote == "拆除违法建筑 250.47 万平方米"


def test_value_of_refuses_none_or_several(data: Path) -> None:
    with pytest.raises(LookupError) as error:
        value_of("garbage_enforcement_person_times", data_dir=data)
    assert str(error.value) == (
        "2 observations of garbage_enforcement_person_times with no filters: "
        "garbage_person_times_2022 (city, actual, 2022-01-01..2022-12-31, cgzf_2022_summary); "
        "garbage_person_times_2019_07_01 (city, actual, 2019-07-01..2019-07-01, "
        "supp_2019_first_day); narrow with scope=, status=, period= or source=")
    assert value_of("garbage_enforcement_person_times", period=2019,
                    data_dir=data).value == Decimal("3600")
    with pytest.raises(LookupError, match="no observation of littering_cases with "
                                          "scope='fengxian'"):
        value_of("littering_cases", scope="fengxian", data_dir=data)
    with pytest.raises(ValueError, match="unknown indicator 'littering'"):
        value_of("littering", data_dir=data)
    with pytest.raises(TypeError, match="unexpected filters: year"):
        value_of("littering_cases", year=2022, data_dir=data)


def test_the_other_tables_are_typed(data: Path) -> None:
    assert list(load_indicators(data).indicator_id)[:2] == [
        "illegal_building_cases", "illegal_building_area_demolished"]
    sources = load_sources(data)
    assert sources.issued.iloc[0] == pd.Timestamp("2023-01-30") and pd.isna(sources.issued.iloc[1])
    assert list(load_scopes(data).kind) == ["city", "district"]
    assert len(load_domains(data)) == 3
    assert load_exclusions(data).note.iloc[0] == "the date of the notice,\nnot a figure"
    recognitions = load_recognitions(lang="en", data_dir=data)
    assert recognitions.bold.dtype == bool and bool(recognitions.bold.iloc[0])
    assert (recognitions.scope_name.iloc[0], recognitions.domain_name.iloc[0]) == (
        "Fengxian", "Ecology")
    assert list(recognitions.columns[:4]) == ["recognition_id", "source_id", "scope_id",
                                              "scope_name"]


def test_tables_are_cached_until_a_file_changes(data: Path) -> None:
    first = load_observations(data_dir=data)
    first.loc[0, "value"] = -1.0  # the caller's copy: the cache is not touched
    assert load_observations(data_dir=data).value.iloc[0] == 5334.0
    set_cell(data, "observations", "illegal_building_cases_2022", "section", "changed")
    os.utime(data / "observations.csv", ns=(1, 1))
    assert load_observations(data_dir=data).section.iloc[0] == "changed"


def test_a_bad_cell_points_to_the_validator(data: Path) -> None:
    set_cell(data, "observations", "illegal_building_cases_2022", "period_start", "2022-13-01")
    with pytest.raises(ValueError) as error:
        load_observations(data_dir=data)
    assert str(error.value) == (
        "data/observations.csv:2: column period_start: '2022-13-01' is not a date (YYYY-MM-DD); "
        "run `chengguan-data validate` for every problem")


def test_loading_imports_neither_the_parser_nor_the_validator_rules(data: Path) -> None:
    code = (
        "import sys\n"
        "from chengguan.tables import load_observations\n"
        f"load_observations(data_dir={str(data)!r})\n"
        "print('chengguan.quantities' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout == "False\n"


def test_the_project_data_loads() -> None:
    frame = load_observations()
    assert len(frame) > 100
    assert frame.indicator.notna().all() and frame.scope_name.notna().all()
    assert frame.source_title.notna().all() and frame.domain_name.notna().all()


def test_whole_years_keeps_the_year_beside_its_part_years() -> None:
    from chengguan.tables import whole_years

    cases = load_observations(indicator="all_cases", scope="city", status="actual")
    assert len(cases) == 3  # 2022, and January–September of 2021 and 2022 from press reports
    kept = whole_years(cases)
    assert kept.period_start.dt.year.tolist() == [2022] and kept.value.tolist() == [108000.0]
    assert list(kept.index) == list(cases.index[cases.days >= 365])


def test_what_reports_print_about_sources_names_no_tool_or_project_file() -> None:
    # reliability notes and titles are printed in every report's source list
    sources = load_sources()
    for column in ("title", "title_zh", "title_en", "reliability_note_zh", "reliability_note_en"):
        text = sources[column].fillna("")
        for word in ("raw/", ".csv", "search tool", "corpus", "检索工具", "语料库"):
            assert not text.str.contains(word, regex=False).any(), (column, word)


def test_a_figure_to_date_ends_on_or_before_its_source_s_issue() -> None:
    obs = load_observations(scope="changning").set_index("observation_id")
    # Changning's 2025 report ("截至目前") was issued on 2 December, the day its figures end
    assert obs.loc["changning_2025_01", "end_open"]
    assert not obs.loc["changning_2025_13", "end_open"]  # the year's target runs to 31 December
    assert not obs.loc["changning_2024_01", "end_open"]  # a whole year, reported afterwards
