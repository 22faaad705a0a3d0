"""chengguan.sources: raw files, checksums, normalization and the offset map."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from chengguan import paths, sources
from chengguan.sources import NormalizedText, normalize, normalized_text
from tables_synthetic import FIRST_DAY_URL, PRIMARY, PRIMARY_SHA256, make_data_dir, set_cell


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path)


def normalized(raw: str) -> NormalizedText:
    text, offsets = normalize(raw)
    return NormalizedText("test", raw, text, offsets, tuple(range(1, raw.count("\n") + 2)))


# -- normalization ------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, text", [
    ("整改问\n\n题 4382 个", "整改问题 4382 个"),  # a page break inside a word
    ("在**奉贤区**\n\n召开", "在奉贤区召开"),  # bold markers and a page break
    ("5334 起，拆除", "5334 起，拆除"),  # spaces without a newline stay
    ("末尾。 \n \n开头", "末尾。开头"),  # the whole run goes, blanks on both sides included
    ("一\n二", "一二"),
    ("单 * 星号", "单 * 星号"),  # a single asterisk is text
    ("", ""),
])
def test_normalize(raw: str, text: str) -> None:
    assert normalize(raw)[0] == text


def test_every_normalized_character_maps_to_the_same_raw_character() -> None:
    raw = "发现并当场督促整改问\n\n题 4382 个，在**奉贤区**\n\n召开"
    n = normalized(raw)
    assert all(raw[n.to_raw(i)] == ch for i, ch in enumerate(n.text))
    assert n.to_raw(len(n.text)) == len(raw)


def test_a_quote_across_a_page_break_maps_to_a_raw_span_that_includes_the_break() -> None:
    raw = "当场督促整改问\n\n题 4382 个，针对"
    n = normalized(raw)
    (span,) = n.find_all("整改问题 4382 个")
    start, end = n.raw_span(*span)
    assert raw[start:end] == "整改问\n\n题 4382 个"


def test_a_raw_span_does_not_take_the_removed_text_after_it() -> None:
    n = normalized("**奉贤区**\n\n召开")
    assert n.raw_regions("奉贤区") == [(2, 5)]


def test_find_all_returns_every_occurrence() -> None:
    n = normalized("2022 年，\n\n2022 年")
    assert n.find_all("2022 年") == [(0, 6), (7, 13)]
    assert n.find_all("") == []
    assert n.find_all("2023") == []


def test_to_raw_rejects_offsets_outside_the_text() -> None:
    with pytest.raises(IndexError):
        normalized("abc").to_raw(4)


def test_line_of_counts_raw_lines() -> None:
    n = normalized("一\n\n二 3 个\n四")
    assert [n.line_of(n.raw.index(c)) for c in "一二3四"] == [1, 3, 3, 4]


# -- the primary source ---------------------------------------------------------------------------


def test_the_primary_raw_file_has_the_checksum_of_the_seed_readme() -> None:
    assert sources.sha256_of(paths.raw_dir() / "000_9eaa17e5f8f0eda1.txt") == PRIMARY_SHA256


def test_sources_csv_records_the_primary_checksum_and_it_matches() -> None:
    assert sources.source(PRIMARY).sha256 == PRIMARY_SHA256
    assert sources.checksum_matches(PRIMARY)


def test_checksum_mismatch_is_detected(data: Path) -> None:
    assert sources.checksum_matches(PRIMARY, data)
    set_cell(data, "sources", PRIMARY, "sha256", "0" * 64)
    assert not sources.checksum_matches(PRIMARY, data)


def test_the_primary_text_normalized(data: Path) -> None:
    n = normalized_text(PRIMARY, data)
    assert n.raw == (data / "raw/000_9eaa17e5f8f0eda1.txt").read_text(encoding="utf-8")
    assert "\n" not in n.text and "**" not in n.text
    assert "发现并当场督促整改问题 4382 个" in n.text
    assert "浦东城管学校承办全市城管基层队伍科级干部培训班" in n.text
    assert "检查 and “场所码”信息核查" in n.text  # the English "and" stays as it is
    # every numeral survives normalization, and in order
    assert re.findall(r"[0-9.]+", n.text) == re.findall(r"[0-9.]+", n.raw)


def test_normalized_text_is_cached_until_the_raw_file_changes(data: Path) -> None:
    first = normalized_text(PRIMARY, data)
    assert normalized_text(PRIMARY, data) is first
    raw = data / "raw/000_9eaa17e5f8f0eda1.txt"
    raw.write_text("改过的 1 个", encoding="utf-8")
    os.utime(raw, ns=(1, 1))  # a different mtime even on coarse-grained file systems
    assert normalized_text(PRIMARY, data).text == "改过的 1 个"


def test_an_unknown_source_names_the_known_ones(data: Path) -> None:
    with pytest.raises(sources.UnknownSourceError) as error:
        normalized_text("cgzf_2021", data)
    assert str(error.value) == ("unknown source 'cgzf_2021'; sources.csv lists: "
                                "cgzf_2022_summary, supp_2019_first_day")


# -- supplementary sources ----------------------------------------------------------------------


def test_a_supplementary_source_is_its_phrases_one_per_line(data: Path) -> None:
    n = normalized_text("supp_2019_first_day", data)
    assert n.text.split("\n") == [
        "共出动执法人员3600人次", "检查各类单位4216家", "共教育劝阻相对人881起",
        "责令当场或限期整改623起", "共依法立案查处生活垃圾分类违法行为20起",
    ]
    assert sources.source("supp_2019_first_day", data).url == FIRST_DAY_URL
    assert sources.raw_file("supp_2019_first_day", data) == data / "raw/supplementary_figures.csv"


def test_supplementary_lines_are_the_csv_lines_of_the_phrases(data: Path) -> None:
    n = normalized_text("supp_2019_first_day", data)
    assert n.line_of(n.raw.index("4216")) == 3  # the header is line 1


def test_the_offsets_of_supplementary_text_point_into_its_raw_text(data: Path) -> None:
    n = normalized_text("supp_2019_first_day", data)
    assert n.raw == n.text  # the phrases have no page breaks or bold markers
    assert all(n.raw[n.to_raw(i)] == ch for i, ch in enumerate(n.text))


# -- the cross-year candidates file ------------------------------------------------------------


SHINE_2022 = "https://www.shine.cn/news/metro/2210091307/"


def test_a_cross_year_source_is_its_distinct_quotes(tmp_path: Path) -> None:
    """Rows of raw/cross_year_candidates.csv repeat a quote once per figure; it stands once."""
    import shutil

    shutil.copytree(paths.data_dir(), tmp_path / "data")
    data = tmp_path / "data"
    n = normalized_text("shine_2022_10_09", data)
    lines = n.text.split("\n")
    assert len(lines) == len(set(lines)) == 7  # 11 rows of the page, 7 sentences
    assert lines[1].startswith("They were mainly related to the city's environment, with 67,000")
    assert sources.source("shine_2022_10_09", data).url == SHINE_2022
    assert n.line_of(n.raw.index("They were mainly")) == 3  # its first row (the header is 1)
    set_cell(data, "sources", "shine_2022_10_09", "url", SHINE_2022 + "x")
    from chengguan.curation.validate import validate

    assert [str(p) for p in validate(data) if p.rule == "supplementary-url"] == [
        f"data/sources.csv:{_line_of(data, 'shine_2022_10_09')}: column url: "
        f"'{SHINE_2022}x' is not a url of raw/cross_year_candidates.csv [supplementary-url]"]


def _line_of(data: Path, source_id: str) -> int:
    lines = (data / "sources.csv").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(source_id + ","))
