"""chengguan.curation.validate: every rule, with the exact message it gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from chengguan import paths
from chengguan.curation.cli import main
from chengguan.curation.validate import Problem, validate
from tables_synthetic import PRIMARY, add_row, make_data_dir, read_table, set_cell, write_table


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path)


def messages(data: Path) -> list[str]:
    return [str(p) for p in validate(data)]


def test_the_synthetic_data_is_valid(data: Path) -> None:
    assert validate(data) == []


# observations.csv: the header is line 1, illegal_building_cases_2022 line 2,
# illegal_building_area_2022 line 3, ... garbage_person_times_2019_07_01 line 9, ...
# garbage_sorting_cases_2019_07_01 line 13.


def test_a_note_in_one_language_only(data: Path) -> None:
    # A zh report shows note_zh and an en report note_en: a caveat in one only is lost in the other.
    set_cell(data, "observations", "garbage_person_times_2019_07_01", "note_en", "")
    set_cell(data, "sources", PRIMARY, "reliability_note_zh", "")
    set_cell(data, "indicators", "littering_cases", "note_zh", "两期口径不同。")
    assert messages(data) == [
        "data/sources.csv:2: column reliability_note_zh: '' is empty but reliability_note_en is "
        "not: write the same text in both languages [both-languages]",
        "data/indicators.csv:7: column note_en: '' is empty but note_zh is not: write the same "
        "text in both languages [both-languages]",
        "data/observations.csv:9: column note_en: '' is empty but note_zh is not: write the same "
        "text in both languages [both-languages]",
    ]


def test_a_value_the_quote_does_not_say(data: Path) -> None:
    set_cell(data, "observations", "illegal_building_area_2022", "value", "2504701")
    assert messages(data) == [
        "data/observations.csv:3: column value: '2504701' is not what the quote says "
        "(the parser reads 2504700 from '250.47 万平方米') [value-matches-quote]"
    ]


def test_a_value_that_is_not_a_number(data: Path) -> None:
    set_cell(data, "observations", "illegal_building_cases_2022", "value", "5,334")
    assert messages(data) == [
        "data/observations.csv:2: column value: '5,334' is not a number "
        "(digits with an optional decimal point) [type]"
    ]


def test_equal_decimals_are_equal_values(data: Path) -> None:
    set_cell(data, "observations", "illegal_building_area_2022", "value", "2504700.00")
    assert validate(data) == []


def test_a_qualifier_the_quote_does_not_say(data: Path) -> None:
    set_cell(data, "observations", "garbage_education_2022", "qualifier", "more_than")
    assert messages(data) == [
        "data/observations.csv:5: column qualifier: 'more_than' is not what the quote says "
        "(the parser reads exact from '54339 起') [qualifier-matches-quote]"
    ]


def test_a_number_text_that_is_not_a_mention_of_the_quote(data: Path) -> None:
    set_cell(data, "observations", "illegal_building_cases_2022", "number_text", "5334")
    assert messages(data) == [
        "data/observations.csv:2: column number_text: '5334' is not a mention the parser "
        "finds in the quote (it finds '5334 起') [number-in-quote]"
    ]


def test_an_unknown_indicator(data: Path) -> None:
    set_cell(data, "observations", "littering_cases_2022", "indicator_id", "litter_cases")
    assert messages(data) == [
        "data/observations.csv:7: column indicator_id: 'litter_cases' matches no indicator_id "
        "of data/indicators.csv [foreign-key]"
    ]


def test_a_quote_not_in_the_source(data: Path) -> None:
    set_cell(data, "observations", "illegal_building_cases_2022", "quote",
             "依法查处违法建筑案件5334起")  # the source has spaces around the number
    assert messages(data) == [
        "data/observations.csv:2: column quote: '依法查处违法建筑案件5334起' does not occur "
        "in the normalized text of cgzf_2022_summary [quote-in-source]"
    ]


def test_a_quote_with_the_raw_page_break_is_not_normalized(data: Path) -> None:
    set_cell(data, "observations", "epidemic_problems_2022", "quote",
             "发现并当场督促整改问\n\n题 4382 个")
    assert messages(data) == [
        "data/observations.csv:8: column quote: '发现并当场督促整改问' holds a line break (the "
        "field runs from this line to line 10): a quoted field left open swallows the rows "
        "after it, so close the quote; quotes are normalized and hold no page breaks "
        "[line-break]"
    ]


def test_a_quote_of_a_supplementary_source_is_one_of_its_phrases(data: Path) -> None:
    # "检查各类单位4216家" is a phrase of the same page, "3600人次" of another row of it:
    # together they are not one phrase.
    set_cell(data, "observations", "garbage_person_times_2019_07_01", "quote",
             "共出动执法人员3600人次检查各类单位4216家")
    assert messages(data) == [
        "data/observations.csv:9: column quote: '共出动执法人员3600人次检查各类单位4216家' does not "
        "occur in the normalized text of supp_2019_first_day [quote-in-source]"
    ]


def test_a_quote_that_occurs_in_several_places(data: Path) -> None:
    # The source counts "461 起" twice: suspended phone numbers, and real-estate agency cases.
    set_cell(data, "observations", "littering_cases_2022", "quote", "461 起")
    set_cell(data, "observations", "littering_cases_2022", "number_text", "461 起")
    set_cell(data, "observations", "littering_cases_2022", "value", "461")
    assert messages(data) == [
        "data/observations.csv:7: column quote: '461 起' occurs 2 times in the normalized text "
        "of cgzf_2022_summary; quote enough to name one place [quote-once]"
    ]


def test_a_duplicate_observation_id(data: Path) -> None:
    rows = read_table(data, "observations")
    add_row(data, "observations", {**rows[0], "section": "repeated"})
    assert messages(data) == [
        "data/observations.csv:14: column observation_id: 'illegal_building_cases_2022' "
        "is a duplicate of line 2 [unique]"
    ]


def test_a_unit_the_catalog_does_not_have(data: Path) -> None:
    set_cell(data, "indicators", "illegal_building_area_demolished", "unit", "hectare")
    problems = messages(data)
    assert problems[0].startswith(
        "data/indicators.csv:3: column unit: 'hectare' is not one of: case, item, site,")
    assert problems[0].endswith(", count [enum]")
    assert len(problems) == 1  # the observations of the indicator are not blamed twice


def test_a_unit_the_parser_does_not_read_from_the_quote(data: Path) -> None:
    set_cell(data, "indicators", "illegal_building_area_demolished", "unit", "case")
    assert messages(data) == [
        "data/observations.csv:3: column indicator_id: 'illegal_building_area_demolished' "
        "counts case, but the parser reads m2 from '250.47 万平方米' [unit-matches-catalog]"
    ]


def test_a_period_that_ends_before_it_starts(data: Path) -> None:
    set_cell(data, "observations", "illegal_building_cases_2022", "period_end", "2021-12-31")
    assert messages(data) == [
        "data/observations.csv:2: column period_end: '2021-12-31' is before period_start "
        "2022-01-01 [period-order]"
    ]


def test_a_breakdown_larger_than_its_parent(data: Path) -> None:
    # Make education-and-persuasion a part of the garbage sorting cases: 54339 > 17747 in
    # 2022, and 881 > 20 on 2019-07-01.
    set_cell(data, "indicators", "garbage_education_persuasion", "parent_id",
             "garbage_sorting_cases")
    assert messages(data) == [
        "data/observations.csv:5: column value: '54339' is larger than its parent "
        "garbage_sorting_cases (17747, line 6) [breakdown-not-larger]",
        "data/observations.csv:11: column value: '881' is larger than its parent "
        "garbage_sorting_cases (20, line 13) [breakdown-not-larger]",
    ]


def test_a_breakdown_is_compared_with_the_parent_of_its_own_scope_only(data: Path) -> None:
    set_cell(data, "indicators", "garbage_education_persuasion", "parent_id",
             "garbage_sorting_cases")
    set_cell(data, "observations", "garbage_sorting_cases_2022", "scope_id", "fengxian")
    assert [(p.line, p.rule) for p in validate(data)] == [(11, "breakdown-not-larger")]


def test_a_parent_with_another_unit(data: Path) -> None:
    set_cell(data, "indicators", "littering_cases", "parent_id", "illegal_building_area_demolished")
    assert messages(data) == [
        "data/indicators.csv:7: column parent_id: 'illegal_building_area_demolished' counts m2, "
        "not case like this indicator [parent-same-unit]"
    ]


def test_parents_that_form_a_cycle(data: Path) -> None:
    set_cell(data, "indicators", "garbage_sorting_cases", "parent_id", "littering_cases")
    assert messages(data) == [
        "data/indicators.csv:6: column parent_id: 'littering_cases' leads back to this "
        "indicator (parents form a cycle) [parent-cycle]",
        "data/indicators.csv:7: column parent_id: 'garbage_sorting_cases' leads back to this "
        "indicator (parents form a cycle) [parent-cycle]",
    ]


def test_a_bad_date(data: Path) -> None:
    set_cell(data, "observations", "illegal_building_cases_2022", "period_start", "2022-02-30")
    assert messages(data) == [
        "data/observations.csv:2: column period_start: '2022-02-30' is not a date (YYYY-MM-DD) "
        "[type]"
    ]


def test_a_missing_required_field(data: Path) -> None:
    set_cell(data, "observations", "littering_cases_2022", "scope_id", "")
    assert messages(data) == [
        "data/observations.csv:7: column scope_id: '' is empty but required [required]"
    ]


def test_a_word_outside_the_vocabulary(data: Path) -> None:
    set_cell(data, "observations", "littering_cases_2022", "status", "planned")
    assert messages(data) == [
        "data/observations.csv:7: column status: 'planned' is not one of: actual, target, plan_restatement [enum]"
    ]


def test_an_id_that_is_not_snake_case(data: Path) -> None:
    set_cell(data, "scopes", "fengxian", "scope_id", "Fengxian")
    assert messages(data) == [
        "data/scopes.csv:3: column scope_id: 'Fengxian' does not match the pattern "
        "[a-z0-9]+(_[a-z0-9]+)* [pattern]",
        "data/recognitions.csv:2: column scope_id: 'fengxian' matches no scope_id of "
        "data/scopes.csv [foreign-key]",
    ]


def test_lines_are_physical_lines_after_a_multi_line_field(data: Path) -> None:
    # The note of the first exclusion spans lines 2-3, so the second row starts on line 4.
    add_row(data, "exclusions", {"exclusion_id": "no_number", "source_id": PRIMARY,
                                 "quote": "各区城管执法局", "reason": "date", "note": ""})
    assert messages(data) == [
        "data/exclusions.csv:4: column quote: '各区城管执法局' has no numeral to exclude "
        "[exclusion-has-mention]"
    ]


def test_a_wrong_checksum(data: Path) -> None:
    set_cell(data, "sources", PRIMARY, "sha256", "0" * 64)
    assert messages(data) == [
        f"data/sources.csv:2: column sha256: '{'0' * 64}' is not the SHA-256 of "
        "raw/000_9eaa17e5f8f0eda1.txt "
        "(53311b495e105ee6c5cace12c72eeb87b6f130d823d9321269647392bb2344ae) [checksum]"
    ]


def test_a_supplementary_url_that_the_raw_file_does_not_have(data: Path) -> None:
    set_cell(data, "sources", "supp_2019_first_day", "url", "https://example.org/")
    problems = validate(data)
    assert str(problems[0]) == (
        "data/sources.csv:3: column url: 'https://example.org/' is not a source_url of "
        "raw/supplementary_figures.csv [supplementary-url]")
    # With no phrases, none of its five quotes is found, and no raw row is of this source.
    assert str(problems[1]) == (
        "data/observations.csv:9: column quote: '共出动执法人员3600人次' does not occur in the "
        "normalized text of supp_2019_first_day [quote-in-source]")
    assert str(problems[-1]) == (
        "data/supplementary_map.csv:6: column source_id: 'supp_2019_first_day' is not the "
        "source of raw/supplementary_figures.csv:6 "
        "(its url is https://3g.d1xz.net/wenhua/chengshi/art311394.aspx) [supplementary-row]")
    assert [p.rule for p in problems] == (
        ["supplementary-url"] + ["quote-in-source"] * 5 + ["supplementary-row"] * 5)


def test_a_raw_row_without_a_map_row(data: Path) -> None:
    rows = read_table(data, "supplementary_map")
    write_table(data, "supplementary_map", rows[:2] + rows[3:])
    assert messages(data) == [
        "data/supplementary_map.csv: has no row for raw/supplementary_figures.csv:4 "
        "[supplementary-row]"
    ]


def test_a_map_row_of_no_raw_row(data: Path) -> None:
    set_cell(data, "supplementary_map", "6", "raw_line", "7")
    assert messages(data) == [  # a problem of the whole file comes before those of its lines
        "data/supplementary_map.csv: has no row for raw/supplementary_figures.csv:6 "
        "[supplementary-row]",
        "data/supplementary_map.csv:6: column raw_line: '7' is not the line of a row of "
        "raw/supplementary_figures.csv [supplementary-row]",
    ]


def test_a_map_row_that_disagrees_with_its_observation(data: Path) -> None:
    set_cell(data, "supplementary_map", "4", "indicator_id", "garbage_sorting_cases")
    assert messages(data) == [
        "data/supplementary_map.csv:4: column indicator_id: 'garbage_sorting_cases' is not the "
        "indicator_id of garbage_education_2019_07_01 (garbage_education_persuasion) "
        "[supplementary-observation]"
    ]


def test_an_observation_that_disagrees_with_its_raw_row(data: Path) -> None:
    set_cell(data, "observations", "garbage_units_2019_07_01", "period_end", "2019-07-06")
    assert messages(data) == [
        "data/observations.csv:10: column period_end: '2019-07-06' is not the period_end of "
        "its raw row raw/supplementary_figures.csv:3 (2019-07-01) [supplementary-observation]"
    ]


def test_an_observation_quoting_another_raw_row(data: Path) -> None:
    # Both are phrases of the source, but the map says line 3 is this observation's row.
    set_cell(data, "observations", "garbage_units_2019_07_01", "quote", "共出动执法人员3600人次")
    set_cell(data, "observations", "garbage_units_2019_07_01", "number_text", "3600人次")
    set_cell(data, "observations", "garbage_units_2019_07_01", "value", "3600")
    set_cell(data, "indicators", "garbage_units_inspected", "unit", "person_time")
    set_cell(data, "series", "garbage_units_inspected", "unit", "person_time")
    assert messages(data) == [
        "data/observations.csv:10: column quote: '共出动执法人员3600人次' is not in the phrase of "
        "its raw row raw/supplementary_figures.csv:3 ('检查各类单位4216家') "
        "[supplementary-observation]"
    ]


def test_header_and_row_shape(data: Path) -> None:
    rows = read_table(data, "domains")
    (data / "domains.csv").write_text(
        "domain_id,name_zh,name_en,part,descr\n"
        + "".join(f"{r['domain_id']},{r['name_zh']},{r['name_en']},{r['part']},\n"
                  for r in rows[:-1])
        + "epidemic_duty,疫情防控,Epidemic duty\n",
        encoding="utf-8")
    assert messages(data) == [
        "data/domains.csv:1: column description: 'description' is missing from the header "
        "[header]",
        "data/domains.csv:1: column descr: 'descr' is not a column of this table [header]",
        "data/domains.csv:4: row has 3 fields, the header 5 [row-shape]",
    ]


def test_a_missing_table(data: Path) -> None:
    (data / "recognitions.csv").unlink()
    assert messages(data) == ["data/recognitions.csv: file is missing [file]"]


def test_every_problem_at_once_in_file_and_line_order(data: Path) -> None:
    set_cell(data, "observations", "littering_cases_2022", "status", "planned")
    set_cell(data, "observations", "illegal_building_cases_2022", "value", "5335")
    set_cell(data, "scopes", "fengxian", "kind", "county")
    problems = validate(data)
    assert [(p.file, p.line, p.rule) for p in problems] == [
        ("data/scopes.csv", 3, "enum"),
        ("data/observations.csv", 2, "value-matches-quote"),
        ("data/observations.csv", 7, "enum"),
    ]
    assert problems[0] == Problem("data/scopes.csv", 3, "kind", "county",
                                  "is not one of: city, district, unit, subdistrict", "enum")


def test_the_command_prints_every_problem_and_exits_1(
        data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(data, "observations", "littering_cases_2022", "status", "planned")
    set_cell(data, "observations", "illegal_building_cases_2022", "value", "5335")
    assert main(["--data-dir", str(data), "validate"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "data/observations.csv:2: column value: '5335' is not what the quote says "
        "(the parser reads 5334 from '5334 起') [value-matches-quote]",
        "data/observations.csv:7: column status: 'planned' is not one of: actual, target, "
        "plan_restatement [enum]",
    ]
    assert err == "2 problems (value-matches-quote: 1, enum: 1)\n"


def test_the_command_summarizes_clean_data(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data), "validate"]) == 0
    # labels and events are copies of the project's tables: counted, not written out
    labels, events = len(read_table(data, "labels")), len(read_table(data, "events"))
    assert capsys.readouterr().out == (
        "data/ is valid: 2 scopes, 2 sources, 3 domains, 9 series, 9 indicators, "
        "12 observations, 1 exclusions, 1 recognitions, 5 supplementary_map, "
        f"{labels} labels, {events} events\n")


def test_the_project_data_is_valid() -> None:
    problems = validate(paths.data_dir())
    assert [str(p) for p in problems] == []


def test_reach_is_a_floor_in_a_target_only(data: Path) -> None:
    add_row(data, "indicators", {
        "indicator_id": "regular_squadron_rate", "domain_id": "garbage_sorting",
        "name_zh": "规范中队创建率", "name_en": "Regular-squadron rate", "unit": "percent",
        "description": "", "parent_id": "", "series_id": "regular_squadron_rate"})
    add_row(data, "series", {
        "series_id": "regular_squadron_rate", "domain_id": "garbage_sorting",
        "name_zh": "规范中队创建率", "name_en": "Regular-squadron rate", "unit": "percent"})
    add_row(data, "observations", {
        "observation_id": "regular_squadron_rate_2023", "indicator_id": "regular_squadron_rate",
        "source_id": PRIMARY, "scope_id": "city", "period_start": "2023-01-01",
        "period_end": "2023-12-31", "status": "target", "value": "98", "qualifier": "at_least",
        "number_text": "达到 98%", "quote": "规范中队创建率达到 98%", "section": "", "note_zh": "", "note_en": ""})
    assert validate(data) == []
    line = len(read_table(data, "observations")) + 1
    set_cell(data, "observations", "regular_squadron_rate_2023", "status", "actual")
    assert messages(data) == [
        f"data/observations.csv:{line}: column qualifier: 'at_least' is not what the quote says "
        "(the parser reads exact from '达到 98%') [qualifier-matches-quote]"
    ]


# -- issue 20: links, empty tables, formulas ---------------------------------------------------

@pytest.mark.parametrize("url", [
    "javascript:alert(document.domain)", "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
    "file:///etc/passwd", "//evil.example/x", "www.shanghai.gov.cn/x",
])
def test_a_source_url_that_is_not_http_is_refused_with_its_line(data: Path, url: str) -> None:
    set_cell(data, "sources", PRIMARY, "url", url)
    problems = validate(data)
    assert [(p.file, p.line, p.column, p.rule) for p in problems] == [
        ("data/sources.csv", 2, "url", "url-scheme")]
    assert str(problems[0]).startswith("data/sources.csv:2: column url: ")


def test_an_event_url_that_is_not_http_is_refused(data: Path) -> None:
    (event, *_) = read_table(data, "events")
    set_cell(data, "events", event["event_id"], "end_url", "data:text/html,x")
    assert [(p.file, p.line, p.column, p.rule) for p in validate(data)] == [
        ("data/events.csv", 2, "end_url", "url-scheme")]


@pytest.mark.parametrize(("table", "dependents"), [
    ("observations", "data/supplementary_map.csv"),
    ("indicators", "data/observations.csv, data/supplementary_map.csv"),
    ("sources", "data/observations.csv, data/exclusions.csv, data/recognitions.csv, "
                "data/supplementary_map.csv"),
])
@pytest.mark.parametrize(("content", "what"), [
    ("", "is empty (no header, no rows)"), ("\ufeff\n\n", "is empty (no header, no rows)"),
    (None, "has a header but no rows"),
])
def test_an_empty_table_is_one_problem(data: Path, table: str, dependents: str,
                                       content: str | None, what: str) -> None:
    path = data / f"{table}.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0] + "\n"
    path.write_text(header if content is None else content, encoding="utf-8")
    assert messages(data) == [
        f"data/{table}.csv: {what}; what refers to it ({dependents}) is not checked against it "
        f"until it is fixed [empty-table]"]


def test_an_unreadable_table_is_one_problem(data: Path) -> None:
    (data / "indicators.csv").write_bytes(bytes(range(256)) * 40)  # binary
    (problem,) = validate(data)
    assert (problem.file, problem.rule) == ("data/indicators.csv", "encoding")
    assert "is not checked against it until it is fixed" in problem.message


def test_a_table_of_another_kind_is_one_problem(data: Path) -> None:
    (data / "indicators.csv").write_bytes((data / "scopes.csv").read_bytes())
    assert messages(data) == [
        "data/indicators.csv:1: has no column indicator_id in its header (it reads: scope_id, "
        "kind, name_zh, name_en); the columns of indicators.csv are indicator_id, domain_id, "
        "name_zh, name_en, unit, description, parent_id, note_zh, note_en, series_id; what refers "
        "to it "
        "(data/observations.csv, data/supplementary_map.csv) is not checked against it until it "
        "is fixed [header]"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])  # "\r": a line break, its own rule
def test_text_a_spreadsheet_reads_as_a_formula_is_refused(data: Path, start: str) -> None:
    set_cell(data, "observations", "illegal_building_cases_2022", "note_en", f"{start}1+1")
    set_cell(data, "observations", "illegal_building_cases_2022", "note_zh", "注")
    (problem,) = validate(data)
    assert (problem.file, problem.line, problem.column, problem.rule) == (
        "data/observations.csv", 2, "note_en", "no-formula")


def test_the_real_data_has_no_formula_text_and_only_web_urls() -> None:
    # The rule refuses nothing real: no quote, note or name of data/ begins with = + - @.
    assert [p for p in validate(paths.data_dir()) if p.rule in {"no-formula", "url-scheme"}] == []
