"""The new-source workflow end to end, on a synthetic 2023 summary, in a copy of data/.

add-source -> coverage --source -> draft -> review -> append -> validate -> coverage: the tables
end valid, every numeral of the new source accounted for, and recurring indicators with a
second period beside 2022.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from chengguan import paths
from chengguan.curation import datapackage
from chengguan.curation.cli import main
from chengguan.curation.validate import validate
from chengguan.tables import load

FIXTURE = Path(__file__).parent / "fixtures" / "new_source" / "cgzf_2023_summary.txt"
SOURCE = "cgzf_2023_summary"
ADD = ["add-source", str(FIXTURE), "--id", SOURCE,
       "--title", "城管执法系统2023年工作总结和2024年工作计划（合成测试文本）",
       "--issued", "2024-01-26", "--url", "https://example.invalid/cgzf_2023_summary",
       "--doc-number", "沪城管执〔2024〕9号", "--reliability", "high",
       "--reliability-note-zh", "市局自己的年度工作总结（合成测试文本）。",
       "--reliability-note-en", "The bureau's own annual summary (synthetic test text)."]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(paths.data_dir(), tmp_path / "data")
    return tmp_path / "data"


def run(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *args])


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, table: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


def snapshot(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}


@pytest.mark.notebooks  # starts kernels
def test_the_whole_workflow(data: Path, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    # (a) store the raw text with its checksum, and its sources.csv row
    assert run(data, *ADD) == 0
    digest = hashlib.sha256(FIXTURE.read_bytes()).hexdigest()
    (source,) = [r for r in rows(data / "sources.csv") if r["source_id"] == SOURCE]
    assert source["sha256"] == digest
    assert (source["reliability_note_zh"], source["reliability_note_en"]) == (
        "市局自己的年度工作总结（合成测试文本）。", "The bureau's own annual summary (synthetic test text).")
    assert source["raw_path"] == f"raw/001_{digest[:16]}.txt"
    assert (data / source["raw_path"]).read_bytes() == FIXTURE.read_bytes()
    assert datapackage.is_current(data)
    assert validate(data) == []
    capsys.readouterr()

    # (b) every numeral not yet accounted for
    assert run(data, "coverage", "--source", SOURCE) == 1
    listed = capsys.readouterr().out
    assert f"{SOURCE}: 40 mentions: 0 covered, 0 excluded, 40 uncovered" in listed
    assert "  Chinese numerals: 10 mentions: 0 covered, 0 excluded, 10 uncovered" in listed
    assert f"data/{source['raw_path']}:25: 境质量。依法查处违法建筑案件 ⟦6120 起⟧" in listed

    # (c) draft rows; recurring indicators are recognised by their wording
    draft_dir = tmp_path / "draft"
    assert run(data, "draft", "--source", SOURCE, "--year", "2023", "--out", str(draft_dir)) == 0
    assert "15 observations (14 of known indicators), 1 new indicators, 13 exclusions" in (
        capsys.readouterr().out)
    observations = {r["quote"]: r for r in rows(draft_dir / "observations.csv")}
    # a note, if the reviewer writes one, has a column in each language
    assert {"note_zh", "note_en"} <= set(next(iter(observations.values())))
    drafted = {quote: (r["indicator_id"], r["value"], r["status"], r["period_start"])
               for quote, r in observations.items()}
    assert drafted["依法查处违法建筑案件 6120 起"] == (
        "illegal_building_cases", "6120", "actual", "2023-01-01")
    assert drafted["拆除违法建筑 231.6 万平方米"] == (
        "illegal_building_area_demolished", "2316000", "actual", "2023-01-01")
    # The same words "暂扣运输工具" follow building waste and kitchen waste: the clause before
    # them decides.
    assert drafted["暂扣运输工具 352 辆"][0] == "construction_waste_vehicles_impounded"
    assert drafted["取缔 38002 处"][0] == "street_vending_sites_cleared"
    assert drafted["出动 20.1 万人次"][0] == "garbage_enforcement_person_times"
    # Under the plan's heading, a target for the next year.
    assert drafted["依法拆除违法户外广告设施 1000 块以上"] == (
        "outdoor_ad_facilities_removed_panels", "1000", "target", "2024-01-01")
    assert observations["依法拆除违法户外广告设施 1000 块以上"]["qualifier"] == "at_least"
    # the last plan restated its workroom stock, so the draft proposes the same status
    assert drafted["健全 6100 家"][2] == "plan_restatement"
    assert observations["依法查处违法建筑案件 6120 起"]["section"] == (
        "2023 年工作总结 > 一、强化重点领域执法保障… > （一）持续提升生态环境质量")
    (new_indicator,) = rows(draft_dir / "indicators.csv")
    assert (new_indicator["name_zh"], new_indicator["unit"]) == ("新建城管驿站", "unit")
    assert drafted["新建城管驿站 36 个"][0] == new_indicator["indicator_id"]
    exclusions = {r["quote"]: r["reason"] for r in rows(draft_dir / "exclusions.csv")}
    assert exclusions == {"沪城管执〔2024〕9号": "document_number", "2023 年": "year",
                          "2024 年": "year", "2024 年 1 月 26 日": "date",
                          "2024年1月26日": "date", "一、强化重点": "heading",
                          "一、加大重点": "heading", "二、坚持党建": "heading",
                          "（一）": "heading", "（二）": "heading", "（三）": "heading",
                          "（四）": "heading", "便一线": "word"}

    # (d) an unreviewed draft is refused, nothing is written, problems point into the draft
    before = snapshot(data)
    assert run(data, "append", str(draft_dir)) == 1
    errors = capsys.readouterr().err
    assert "draft/indicators.csv:2: column name_en: '' is empty but required [required]" in errors
    assert "nothing was written" in errors
    assert snapshot(data) == before

    # the review: name the new indicator and give it its domain
    new_id = new_indicator["indicator_id"]
    new_indicator.update(indicator_id="rest_stations_built", domain_id="grassroots_units",
                         name_en="City-management rest stations built")
    write_rows(draft_dir / "indicators.csv", [new_indicator])
    reviewed = list(observations.values())
    for row in reviewed:
        if row["indicator_id"] == new_id:
            row["indicator_id"] = "rest_stations_built"
    # a note in one language only is refused at its draft line: each report shows its own
    noted = next(i for i, row in enumerate(reviewed) if row["quote"] == "依法查处违法建筑案件 6120 起")
    reviewed[noted]["note_en"] = "Synthetic figure."
    write_rows(draft_dir / "observations.csv", reviewed)
    assert run(data, "append", str(draft_dir)) == 1
    assert (f"draft/observations.csv:{noted + 2}: column note_zh: '' is empty but note_en is not: "
            "write the same text in both languages [both-languages]") in capsys.readouterr().err
    assert snapshot(data) == before
    reviewed[noted]["note_zh"] = "合成数字。"
    write_rows(draft_dir / "observations.csv", reviewed)

    assert run(data, "append", str(draft_dir)) == 0
    # the new indicator is a series of its own: its series row is appended with it
    assert "appended 1 series, 1 indicators, 15 observations, 13 exclusions" in (
        capsys.readouterr().out)
    assert run(data, "validate") == 0
    assert run(data, "coverage", "--source", SOURCE) == 0
    assert f"{SOURCE}: 40 mentions: 15 covered, 25 excluded, 0 uncovered" in (
        capsys.readouterr().out)
    assert run(data, "datapackage", "--check") == 0

    # (e) what the notebooks load: a second period beside 2022
    cases = load.load_observations(indicator="illegal_building_cases", status="actual",
                                   scope="city", data_dir=data).sort_values("period_start")
    assert cases.period_start.dt.year.tolist() == [2022, 2023]
    assert cases.value.tolist() == [5334.0, 6120.0]
    assert cases.source_id.tolist() == ["cgzf_2022_summary", SOURCE]
    garbage = load.load_observations(domain="garbage_sorting", period=2023, status="actual",
                                     data_dir=data)
    assert set(garbage.indicator_id) >= {"garbage_sorting_cases", "garbage_inspections"}

    # (f) rebuild with the engine, as `make reports` does: the new year reaches the trend charts,
    # the findings and the key results of the pages, picked as the latest year by rule
    from notebook_runs import engine_build

    project = data.parent
    shutil.copy(paths.project_root() / "reports.toml", project / "reports.toml")
    shutil.copytree(paths.notebooks_dir(), project / "notebooks")
    built = engine_build(project, project / "reports.toml", tmp_path / "outputs",
                         ["garbage_sorting-*", "illegal_construction-*"])
    assert built.code == 0, built.err

    def page(run: str) -> tuple[str, dict[str, dict]]:
        html = (tmp_path / "outputs" / f"{run}.html").read_text(encoding="utf-8")
        payload = json.loads((tmp_path / "outputs" / f"{run}.results.json").read_text(encoding="utf-8"))
        return html, {r["name"]: r for r in payload["results"]}

    def alt_texts(html: str) -> list[str]:
        return re.findall(r'<img[^>]* alt="([^"]*)"', html)

    html, key = page("garbage_sorting-en")
    # the latest annual summary is 2023's: title, key results and findings follow it
    # 16,230 / 31,020; at least 52.32 / 25.22 = 2.07 times the regulation's first year, cut to 2.0
    assert "52 cases per 100 rectification orders in 2023, at least 2.0 times the regulation's first year" in html
    assert key["cases_per_100_orders_latest_year"]["label"].endswith("2023")
    assert key["cases_per_100_orders_latest_year"]["value"] == pytest.approx(16230 / 31020 * 100)
    assert key["case_share_latest_year"]["value"] == pytest.approx(16230 / (50112 + 31020 + 16230) * 100)
    # the latest pair of annual summaries, 2022 against 2023, with what lies between them
    change = key["case_share_change_from_previous_year"]["value"]
    assert change == pytest.approx(16230 / 97362 * 100 - 17747 / 106873 * 100)
    assert f"from 16.6% in 2022 to 16.7% in 2023 ({change:+.1f} points)" in html
    assert "Spring 2022 Shanghai lockdown; COVID class B management" in html
    # the timeline reaches the new year, and the 2023 rows are in the rate tables
    assert any("to 2023" in alt for alt in alt_texts(html))
    assert ">2023<" in html and ">2022<" in html
    # no lockdown sentence about a year without one
    assert "were there none in the lockdown" not in html
    zh_html, zh_key = page("garbage_sorting-zh")
    assert "2023 年每百起责令整改对应 52 起立案，至少是施行第一年的 2.0 倍" in zh_html
    assert zh_key["case_share_latest_year"]["label"].startswith("2023 年")

    html, key = page("illegal_construction-en")
    assert key["citywide_area_demolished_latest_year"]["value"] == pytest.approx(2316000)
    assert key["citywide_area_demolished_latest_year"]["label"].endswith("2023")
    assert key["citywide_area_change_from_previous_year_pct"]["value"] == pytest.approx(
        (2316000 / 2504700 - 1) * 100)
    assert "In 2023 the city handled 6,120 illegal-building cases against 5,334 in 2022" in html  # 查处, not 立案
    assert any(alt.startswith("Two bar charts") and "2022: 5,334 cases" in alt and "2023: 6,120 cases" in alt
               for alt in alt_texts(html))
    # the decomposition of 2022's demolished area stays 2022's: the 2023 summary gives none
    assert "What was demolished in 2022" in html
    # the 2024 target has no 2023 base in the tables: the comparison stays 2023's target against 2022
    assert "The 2023 outdoor-advertising target against 2022" in html


def test_a_source_is_stored_once(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(data, *ADD) == 0
    before = snapshot(data)
    assert run(data, *[a if a != SOURCE else "other_id" for a in ADD]) == 1
    assert "already stored as raw/001_" in capsys.readouterr().err
    assert snapshot(data) == before


def test_a_gbk_document_is_refused_with_its_encoding(data: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    gbk = tmp_path / "summary_gbk.txt"
    gbk.write_bytes(FIXTURE.read_text(encoding="utf-8").encode("gbk"))
    before = snapshot(data)
    raw_before = sorted(p.name for p in (data / "raw").iterdir())
    assert run(data, *ADD[:1], str(gbk), *ADD[2:]) == 1
    error = capsys.readouterr().err
    assert f"{gbk}:3: the file is not UTF-8" in error and "GBK/GB18030" in error
    assert snapshot(data) == before
    assert sorted(p.name for p in (data / "raw").iterdir()) == raw_before


def test_an_invalid_source_row_writes_nothing(data: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(data)
    raw_before = sorted(p.name for p in (data / "raw").iterdir())
    args = [a if a != "2024-01-26" else "2024-13-26" for a in ADD]
    assert run(data, *args) == 1
    assert ("the new sources.csv row: column issued: '2024-13-26' is not a date (YYYY-MM-DD) "
            "[type]") in capsys.readouterr().err
    assert snapshot(data) == before
    assert sorted(p.name for p in (data / "raw").iterdir()) == raw_before


def test_words_that_fit_two_indicators_equally_are_left_for_review(
        data: Path, tmp_path: Path) -> None:
    from chengguan.curation.draft import draft

    text = tmp_path / "note.txt"
    text.write_text("（一）其他工作。暂扣运输工具 12 辆。\n", encoding="utf-8")
    assert run(data, *ADD[:1], str(text), "--id", "short_note", *ADD[4:]) == 0
    result = draft("short_note", 2023, data)
    (observation,) = result.rows["observations"]
    assert observation["review"] == (
        "NEW indicator new_short_note_01 (ambiguous: construction_waste_vehicles_impounded, "
        "kitchen_waste_vehicles_impounded); or delete this row and add an exclusion")


def test_reliability_is_a_choice_with_its_reason(data: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    # no default: leaving out the reliability is refused by the command line itself
    without = [a for a in ADD if a != "--reliability" and a != "high"]
    with pytest.raises(SystemExit):
        run(data, *without)
    assert "--reliability" in capsys.readouterr().err
    before = snapshot(data)
    # a reason in one language only is refused, and nothing is written
    blank_en = ADD[:ADD.index("--reliability-note-en") + 1] + ["  "]
    assert run(data, *blank_en) != 0
    assert "reason in both languages" in capsys.readouterr().err
    assert snapshot(data) == before


def test_drafted_quotes_are_sentences_and_sections_follow_the_numbering(
        data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # headings on lines of their own, with no punctuation to end them, and sibling sections
    text = tmp_path / "headings.txt"
    text.write_text("2024 年工作总结\n一、强化重点领域执法保障\n（一）有效提升生态环境质量\n"
                    "依法查处违法建筑案件 6120 起。\n（二）整治街面环境秩序\n取缔无序设摊 38002 处。\n"
                    "二、建设高素质执法队伍\n（一）加强教育培训\n开展执法培训 3100 人次。\n", encoding="utf-8")
    args = ["add-source", str(text), "--id", "headings_test", "--title", "标题测试", "--issued", "2025-01-20",
            "--url", "https://example.invalid/headings", "--reliability", "medium",
            "--reliability-note-zh", "合成测试文本。", "--reliability-note-en", "Synthetic test text."]
    assert run(data, *args) == 0
    assert run(data, "draft", "--source", "headings_test", "--year", "2024", "--out", str(tmp_path / "d")) == 0
    capsys.readouterr()
    drafted = {r["number_text"]: r for r in rows(tmp_path / "d" / "observations.csv")}
    assert drafted["6120 起"]["quote"] == "依法查处违法建筑案件 6120 起"  # no heading glued on
    assert drafted["38002 处"]["section"] == "2024 年工作总结 > 一、强化重点领域执法保障 > （二）整治街面环境秩序"
    assert drafted["3100 人次"]["section"] == "2024 年工作总结 > 二、建设高素质执法队伍 > （一）加强教育培训"
    assert all(not r["quote"].startswith(("一、", "二、", "（")) for r in drafted.values())
