"""chengguan.curation.coverage: the coverage rule on a tiny document, and on the real source."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from chengguan import sources
from chengguan.curation.cli import main
from chengguan.curation.coverage import coverage
from tables_synthetic import PRIMARY, add_row, make_data_dir, read_table, write_table

TINY = (
    "关于 2022 年工作的通知\n\n"
    "2023 年 1 月 30 日\n\n"
    "查处案件 5334 起，拆除违建 2\n\n件，出动 3.6 万人次。另有 7 处。\n\n"
    "2023 年 1 月 30 日\n"
)


def observation(oid: str, quote: str, number_text: str) -> dict[str, str]:
    # Only the source, quote and number_text matter to coverage.
    return {"observation_id": oid, "indicator_id": "illegal_building_cases", "source_id": "tiny",
            "scope_id": "city", "period_start": "2022-01-01", "period_end": "2022-12-31",
            "status": "actual", "value": "1", "qualifier": "exact", "number_text": number_text,
            "quote": quote, "section": ""}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The synthetic data plus a tiny document 'tiny' with a few observations and exclusions."""
    data = make_data_dir(tmp_path)
    (data / "raw/tiny.txt").write_text(TINY, encoding="utf-8")
    primary = read_table(data, "sources")[0]
    add_row(data, "sources", {**primary, "source_id": "tiny", "url": "", "raw_path": "raw/tiny.txt",
                              "sha256": hashlib.sha256(TINY.encode()).hexdigest()})
    for row in (
        observation("cases", "查处案件 5334 起", "5334 起"),
        observation("items", "拆除违建 2件", "2件"),  # the raw mention holds a page break
        observation("persons", "出动 3.6 万人次。另有 7 处", "3.6 万人次"),
    ):
        add_row(data, "observations", row)
    add_row(data, "exclusions", {"exclusion_id": "tiny_date", "source_id": "tiny",
                                 "quote": "2023 年 1 月 30 日", "reason": "date", "note": ""})
    return data


def test_each_mention_is_covered_excluded_or_uncovered(data: Path) -> None:
    report = coverage("tiny", data)
    assert [(m.text, m.status, m.by) for m in report.mentions] == [
        ("2022 年", "uncovered", None),
        ("2023 年", "excluded", "tiny_date"),
        ("1 月", "excluded", "tiny_date"),
        ("30 日", "excluded", "tiny_date"),
        ("5334 起", "covered", "cases"),
        ("2\n\n件", "covered", "items"),
        ("3.6 万人次", "covered", "persons"),
        # inside the quote of "persons", but not its number_text
        ("7 处", "uncovered", None),
        # an exclusion covers every occurrence of its quote
        ("2023 年", "excluded", "tiny_date"),
        ("1 月", "excluded", "tiny_date"),
        ("30 日", "excluded", "tiny_date"),
    ]
    assert report.summary().splitlines() == [
        "tiny: 11 mentions: 3 covered, 6 excluded, 2 uncovered",
        "  Arabic numerals: 11 mentions: 3 covered, 6 excluded, 2 uncovered",
        "  Chinese numerals: 0 mentions: 0 covered, 0 excluded, 0 uncovered",
    ]
    assert not report.complete


def test_uncovered_mentions_carry_their_raw_line_and_context(data: Path) -> None:
    first, second = coverage("tiny", data).uncovered
    assert (first.line, first.span, first.context) == (1, (3, 9), "关于 ⟦2022 年⟧工作的通知⏎⏎2023 年 1")
    assert second.line == 7  # "件，出动 3.6 万人次。另有 7 处。" follows a page break
    assert second.context == "，出动 3.6 万人次。另有 ⟦7 处⟧。⏎⏎2023 年 1 月 3"


def test_a_mention_reaching_out_of_the_quote_is_not_covered(data: Path) -> None:
    rows = read_table(data, "observations")
    for row in rows:
        if row["observation_id"] == "cases":
            row["quote"] = "查处案件 5334"  # the mention is "5334 起"
            row["number_text"] = "5334"
    write_table(data, "observations", rows)
    statuses = {m.text: m.status for m in coverage("tiny", data).mentions}
    assert statuses["5334 起"] == "uncovered"


def test_observations_of_other_sources_cover_nothing_here(data: Path) -> None:
    rows = read_table(data, "observations")
    for row in rows:
        if row["observation_id"] == "cases":
            row["source_id"] = PRIMARY
    write_table(data, "observations", rows)
    statuses = {m.text: m.status for m in coverage("tiny", data).mentions}
    assert statuses["5334 起"] == "uncovered"


def test_a_supplementary_source_is_covered_phrase_by_phrase(data: Path) -> None:
    report = coverage("supp_2019_first_day", data)
    assert [(m.text, m.status, m.line) for m in report.mentions] == [
        ("3600人次", "covered", 2), ("4216家", "covered", 3), ("881起", "covered", 4),
        ("623起", "covered", 5), ("20起", "covered", 6),
    ]


def test_the_command_lists_the_uncovered_mentions_and_exits_1(
        data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data), "coverage", "tiny"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "tiny: 11 mentions: 3 covered, 6 excluded, 2 uncovered",
        "  Arabic numerals: 11 mentions: 3 covered, 6 excluded, 2 uncovered",
        "  Chinese numerals: 0 mentions: 0 covered, 0 excluded, 0 uncovered",
        "  data/raw/tiny.txt:1: 关于 ⟦2022 年⟧工作的通知⏎⏎2023 年 1",
        "  data/raw/tiny.txt:7: ，出动 3.6 万人次。另有 ⟦7 处⟧。⏎⏎2023 年 1 月 3",
    ]


def test_the_command_exits_0_when_all_is_accounted_for(
        data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_row(data, "exclusions", {"exclusion_id": "tiny_title", "source_id": "tiny",
                                 "quote": "关于 2022 年工作的通知", "reason": "year", "note": ""})
    add_row(data, "observations", observation("sites", "另有 7 处", "7 处"))
    assert main(["--data-dir", str(data), "coverage", "tiny"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "tiny: 11 mentions: 4 covered, 7 excluded, 0 uncovered")


def test_the_command_rejects_an_unknown_source(
        data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data), "coverage", "nope"]) == 2
    assert "unknown source 'nope'; sources.csv lists: cgzf_2022_summary," in capsys.readouterr().err


CHINESE_TINY = "聚焦四个环节、十个事项，围绕十类对象。进一步推动。\n"


def test_chinese_numerals_are_counted_apart(data: Path) -> None:
    (data / "raw/tiny.txt").write_text(TINY + CHINESE_TINY, encoding="utf-8")
    rows = read_table(data, "sources")
    rows[-1]["sha256"] = hashlib.sha256((TINY + CHINESE_TINY).encode()).hexdigest()
    write_table(data, "sources", rows)
    add_row(data, "observations", observation("links", "聚焦四个环节", "四个"))
    add_row(data, "exclusions", {"exclusion_id": "tiny_word", "source_id": "tiny",
                                 "quote": "进一步", "reason": "word", "note": ""})
    report = coverage("tiny", data)
    chinese = report.of("chinese")
    assert [(m.text, m.status, m.by) for m in chinese.mentions] == [
        ("四个", "covered", "links"), ("十个", "uncovered", None), ("十类", "uncovered", None),
        ("一", "excluded", "tiny_word"),
    ]
    assert report.summary().splitlines()[1:] == [
        "  Arabic numerals: 11 mentions: 3 covered, 6 excluded, 2 uncovered",
        "  Chinese numerals: 4 mentions: 1 covered, 1 excluded, 2 uncovered",
    ]


def test_every_numeral_of_the_primary_source_is_accounted_for() -> None:
    report = coverage(sources.PRIMARY_SOURCE_ID)
    assert [f"line {m.line}: {m.context}" for m in report.uncovered] == []
    assert len(report.of("arabic").mentions) == 211
    assert len(report.of("chinese").mentions) == 211
