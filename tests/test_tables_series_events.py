"""Series (one measure, several indicators) and events (emergencies, laws, reforms): the rules of
the validator, the loader's ``series=`` filter and ``events_between``, and how charts mark them."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt  # the Agg backend: tests/conftest.py
import pandas as pd
import pytest

from chengguan import paths
from chengguan.curation.validate import validate
from chengguan.tables import days_inside, events_between, load_events, load_observations, load_series
from chengguan.theme import mark_events
from tables_synthetic import add_row, make_data_dir, read_table, set_cell, write_table


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path)


def messages(data: Path) -> list[str]:
    return [str(p) for p in validate(data)]


def drop_row(data: Path, name: str, key_column: str, key: str) -> None:
    write_table(data, name, [r for r in read_table(data, name) if r[key_column] != key])


# -- series: the validator ------------------------------------------------------------------------


def test_two_indicators_of_one_series_that_disagree_in_unit(data: Path) -> None:
    # Units inspected (家, establishment) filed under the garbage cases (起, case).
    set_cell(data, "indicators", "garbage_units_inspected", "series_id", "garbage_sorting_cases")
    drop_row(data, "series", "series_id", "garbage_units_inspected")
    assert messages(data) == [
        "data/indicators.csv:8: column unit: 'establishment' is not the unit of its series "
        "garbage_sorting_cases (case, like garbage_sorting_cases on line 6): one series counts one "
        "thing in one unit; give the indicator its own series, or fix the unit [series-same-unit]"]


def test_a_bare_number_joins_the_series_of_what_it_counts(data: Path) -> None:
    # A press figure printed without a counting word (unit count) beside the summary's 起.
    add_row(data, "indicators", {
        "indicator_id": "garbage_sorting_cases_count", "domain_id": "garbage_sorting",
        "name_zh": "垃圾分类案件数（无计数词）", "name_en": "Garbage sorting cases (no counting word)",
        "unit": "count", "description": "", "parent_id": "", "series_id": "garbage_sorting_cases"})
    assert validate(data) == []


def test_a_series_of_bare_numbers_only_is_counted_in_count(data: Path) -> None:
    set_cell(data, "indicators", "garbage_units_inspected", "unit", "count")
    # the quote reads 家: the catalog problem is the one reported, the series is not checked again
    assert [p.rule for p in validate(data)] == ["unit-matches-catalog"]
    set_cell(data, "observations", "garbage_units_2019_07_01", "indicator_id",
             "garbage_rectification_orders")  # no quote reads the unit now
    set_cell(data, "supplementary_map", "3", "indicator_id", "garbage_rectification_orders")
    problems = [p for p in validate(data) if p.rule == "series-same-unit"]
    assert [(p.file, p.line, p.column) for p in problems] == [("data/series.csv", 8, "unit")]


def test_a_series_no_indicator_reports_and_an_unknown_series(data: Path) -> None:
    add_row(data, "series", {"series_id": "street_cases", "domain_id": "garbage_sorting",
                             "name_zh": "街面案件", "name_en": "Street cases", "unit": "case"})
    set_cell(data, "indicators", "littering_cases", "series_id", "littering")
    assert messages(data) == [
        "data/series.csv:7: column series_id: 'littering_cases' is the series of no indicator of "
        "data/indicators.csv [series-used]",
        "data/series.csv:11: column series_id: 'street_cases' is the series of no indicator of "
        "data/indicators.csv [series-used]",
        "data/indicators.csv:7: column series_id: 'littering' matches no series_id of "
        "data/series.csv [foreign-key]",
    ]


def test_a_series_note_is_given_in_both_languages(data: Path) -> None:
    set_cell(data, "series", "garbage_sorting_cases", "note_en", "立案查处 in 2019, 依法查处 in 2022.")
    assert messages(data) == [
        "data/series.csv:6: column note_zh: '' is empty but note_en is not: write the same text in "
        "both languages [both-languages]"]


def test_every_series_that_joins_indicators_says_how_they_differ() -> None:
    # The point of a shared series is the comparison across its indicators: its note names what
    # differs (wording, counting word, scope), in both languages.
    indicators = pd.read_csv(paths.data_dir() / "indicators.csv", dtype=str)
    series = load_series().set_index("series_id")
    shared = indicators.groupby("series_id").indicator_id.count()
    shared = shared[shared > 1].index
    assert len(shared) >= 10
    for series_id in shared:
        assert isinstance(series.loc[series_id, "note_en"], str), series_id
        assert isinstance(series.loc[series_id, "note_zh"], str), series_id


# -- series: loading ------------------------------------------------------------------------------


def test_a_series_selects_every_indicator_of_the_measure() -> None:
    rows = load_observations(series="street_vending_cases", lang="en")
    assert sorted(rows.indicator_id) == ["street_vending_cases", "street_vending_cases_count"]
    assert set(rows.series_id) == {"street_vending_cases"}
    assert set(rows.series) == {"Street-vending cases"}
    assert rows.series_note.str.contains("counting word").all()
    # the nine months and the year: the per-day comparison the press figure allows
    assert sorted(rows.period_end.dt.strftime("%Y-%m-%d")) == ["2022-09-30", "2022-12-31"]
    fines = load_observations(series=["ordinary_procedure_cases"], lang="zh")
    assert {"baoshan", "minhang", "changning"} <= set(fines.scope_id)
    assert fines.series_note.str.contains("办理").all()


def test_a_single_indicator_is_its_own_series_without_a_note(data: Path) -> None:
    rows = load_observations(series="garbage_sorting_cases", data_dir=data)
    assert set(rows.indicator_id) == {"garbage_sorting_cases"}
    assert set(rows.series_note) == {""}


def test_an_unknown_series_is_refused(data: Path) -> None:
    with pytest.raises(ValueError, match="unknown series 'street'; allowed: "):
        load_observations(series="street", data_dir=data)


# -- events ---------------------------------------------------------------------------------------


LAW = {"event_id": "penalty_law_2021", "kind": "law", "name_zh": "行政处罚法修订施行",
       "name_en": "Penalty Law revision in force", "period_start": "2021-07-15",
       "period_end": "2021-07-15", "start_quote": "修订后的《行政处罚法》将于2021年7月15日起实施",
       "start_url": "http://example.org/law", "start_publisher": "example", "end_quote": "",
       "end_url": "", "end_publisher": "", "note": ""}


def test_a_law_takes_effect_on_one_day_and_has_no_end(data: Path) -> None:
    add_row(data, "events", LAW)
    assert validate(data) == []
    line = len(read_table(data, "events")) + 1
    set_cell(data, "events", "penalty_law_2021", "period_end", "2021-12-31")
    set_cell(data, "events", "penalty_law_2021", "end_url", "http://example.org/end")
    assert messages(data) == [
        f"data/events.csv:{line}: column period_end: '2021-12-31' is not period_start "
        "(2021-07-15): a law takes effect on one day [event-dates]",
        f"data/events.csv:{line}: column end_url: 'http://example.org/end' is given, but a law "
        "has no end: leave it empty [event-dates]",
    ]


def test_an_emergency_is_dated_at_both_ends(data: Path) -> None:
    set_cell(data, "events", "lockdown_2022", "end_quote", "")
    set_cell(data, "events", "lockdown_2022", "kind", "emergency")
    line = 1 + [r["event_id"] for r in read_table(data, "events")].index("lockdown_2022") + 1
    assert messages(data) == [
        f"data/events.csv:{line}: column end_quote: '' is empty: an emergency is dated at its end "
        "by a quote too [event-dates]"]


def test_an_unknown_kind_of_event_is_refused(data: Path) -> None:
    set_cell(data, "events", "lockdown_2022", "kind", "campaign")
    assert [(p.column, p.rule) for p in validate(data)] == [("kind", "enum")]


def test_the_events_a_comparison_crosses() -> None:
    crossed = events_between("2021-01-01", "2023-12-31", lang="en")
    assert list(crossed.index) == ["administrative_penalty_law_2021",
                                   "subdistrict_enforcement_2021", "lockdown_2022",
                                   "covid_class_b_2023"]
    assert crossed.loc["administrative_penalty_law_2021", "name"] == "Penalty Law revision in force"
    # a change in force from the first day on is the rule of the whole interval, not a break in it
    assert list(events_between("2019-07-01", "2019-12-31").index) == []
    assert list(events_between("2019-06-30", "2019-07-01").index) == ["garbage_regulation_2019"]
    # an emergency counts when it overlaps the interval at all
    assert list(events_between("2022-05-31", "2022-06-30").index) == ["lockdown_2022"]
    assert list(events_between("2021-01-01", "2023-12-31", kind="law").index) == [
        "administrative_penalty_law_2021"]
    with pytest.raises(ValueError, match="unknown kind 'war'"):
        events_between("2021-01-01", "2021-12-31", kind="war")


def test_every_event_has_a_quote_that_dates_it() -> None:
    events = load_events()
    assert {"garbage_regulation_2019", "administrative_penalty_law_2021",
            "subdistrict_enforcement_2021"} <= set(events.event_id)
    for event in events[events.kind != "emergency"].itertuples():
        day = event.period_start
        # the quote names the day the change takes effect
        assert f"{day.month}月{day.day}日" in event.start_quote, event.event_id


def test_charts_shade_emergencies_and_draw_a_line_for_a_law() -> None:
    fig, ax = plt.subplots()
    ax.plot(pd.to_datetime(["2021-01-01", "2022-12-31"]), [0, 1])
    ax.set_xlim(pd.Timestamp("2021-01-01"), pd.Timestamp("2022-12-31"))
    ax.set_title("A chart")
    mark_events(ax, load_events(), "en")
    labels = [" ".join(t.get_text().split()) for t in ax.texts]  # a long name may be broken into lines
    assert "Spring 2022 Shanghai lockdown" in labels  # a shaded period
    # the law of 15 July 2021 and the reform of 1 August 2021, seventeen days apart: one name
    assert "Penalty Law revision in force; Sub-districts become enforcement bodies" in labels
    assert not any("Garbage regulation" in label for label in labels)  # outside the axis
    assert len(ax.lines) == 3 and len(ax.patches) == 1  # the data, two dashed lines; one shaded period
    # an event after the last drawn date changes nothing drawn: no line, no name
    fig2, ax2 = plt.subplots()
    ax2.plot(pd.to_datetime(["2021-01-01", "2022-06-30"]), [0, 1])
    ax2.set_xlim(pd.Timestamp("2021-01-01"), pd.Timestamp("2023-03-31"))
    mark_events(ax2, load_events(), "en")
    assert not any("class B" in t.get_text() for t in ax2.texts) and len(ax2.lines) == 3
    plt.close(fig2)
    # every name stands above the plot, where no data line crosses it, and no two names overlap
    renderer = fig.canvas.get_renderer()
    plot = ax.get_window_extent(renderer)
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert all(box.y0 >= plot.y1 for box in boxes)
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    # the title is raised above the names
    assert ax.title.get_window_extent(renderer).y0 >= max(box.y1 for box in boxes)
    plt.close(fig)


def test_names_of_events_close_in_time_go_a_row_higher() -> None:
    events = pd.DataFrame({
        "event_id": ["a", "b"], "kind": ["law", "law"], "name_zh": ["甲", "乙"],
        "name_en": ["A change with a long name that runs far", "Another change"],
        "period_start": pd.to_datetime(["2020-03-01", "2020-07-01"]),
        "period_end": pd.to_datetime(["2020-03-01", "2020-07-01"])})
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.set_xlim(pd.Timestamp("2020-01-01"), pd.Timestamp("2022-12-31"))
    mark_events(ax, events, "en")
    renderer = fig.canvas.get_renderer()
    first, second = (t.get_window_extent(renderer) for t in ax.texts)
    assert not first.overlaps(second) and second.y0 > first.y0
    plt.close(fig)


def test_days_of_an_event_inside_a_period() -> None:
    lockdown = load_events().set_index("event_id").loc["lockdown_2022"]  # 28 March to 31 May 2022
    assert days_inside("2022-01-01", "2022-12-31", lockdown) == 65
    assert days_inside("2022-01-01", "2022-04-30", lockdown) == 34  # 28 March to 30 April
    assert days_inside("2023-01-01", "2023-12-31", lockdown) == 0
