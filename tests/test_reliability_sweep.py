"""Issue 20 (4): a hostile sweep of the surfaces added since issue 13, each fault kept as a test.

Data side (fast): the intake workflow (``add-source``, ``draft``, ``append``) with malicious and
malformed source text; the downloads round-trip of hostile cells; raw paths that climb out of
``data/``. Engine side: a corrupt or foreign ``outputs/.build/state.json``; ``kill -9`` of a
kernel, of the fork server and of the build; outputs on a full disk (``RLIMIT_FSIZE``) and
read-only. The table of faults, what was expected and what happens is in the closing note of
issue 20.
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from chengguan import paths
from chengguan.curation.cli import main
from chengguan.curation.export import WORKBOOK, ExportRefused, export
from chengguan.curation.validate import validate
from chengguan.tables.io import read_csv
from tables_synthetic import PRIMARY, make_data_dir, set_cell

ADD = ["--id", "hostile_src", "--title", "某区城管执法2023年工作总结", "--issued", "2024-01-30",
       "--url", "https://example.invalid/hostile", "--reliability", "low",
       "--reliability-note-zh", "测试文本。", "--reliability-note-en", "Test text."]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(paths.data_dir(), tmp_path / "data")
    return tmp_path / "data"


def snapshot(data: Path) -> dict[str, bytes]:
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in data.rglob("*") if p.is_file()}


def add_source(data: Path, document: Path, *extra: str) -> int:
    return main(["--data-dir", str(data), "add-source", str(document), *ADD, *extra])


# -- intake: add-source refuses what is not a text document, writing nothing ---------------------


@pytest.mark.parametrize(("name", "content", "message"), [
    ("binary.txt", bytes(range(256)) * 64, "the file is not UTF-8"),
    ("nul.txt", "全年共查处案件 5 起\x00\x00".encode(), "holds the control character '\\x00'"),
    ("utf16.txt", "全年共查处案件 5 起".encode("utf-16"), "the file is UTF-16"),
    ("gbk.txt", "全年共查处案件 5 起".encode("gbk"), "it is GBK/GB18030"),
    ("empty.txt", b"", "is empty: there is nothing to quote"),
    ("blank.txt", b" \n\n\t\n", "is empty: there is nothing to quote"),
    ("a.t xt<img src=x>", "全年共查处案件 5 起".encode(), "is not a plain extension"),
])
def test_add_source_refuses_what_is_not_a_text_document(data: Path, tmp_path: Path, name: str,
                                                        content: bytes, message: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / name
    document.write_bytes(content)
    before = snapshot(data)
    assert add_source(data, document) == 1
    err = capsys.readouterr().err
    assert message in err and "nothing was written" in err and "Traceback" not in err
    assert snapshot(data) == before


def test_add_source_refuses_a_huge_file_before_reading_it(data: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "huge.txt"
    with document.open("wb") as handle:  # sparse: 6 MB on paper, nothing on disk
        handle.truncate(6_000_000)
    before = snapshot(data)
    assert add_source(data, document) == 1
    assert "is 6.0 MB; a source document is at most 5 MB" in capsys.readouterr().err
    assert snapshot(data) == before


@pytest.mark.parametrize("path", ["/dev/zero", "folder", "missing.txt"])
def test_add_source_refuses_a_device_a_folder_or_nothing(data: Path, tmp_path: Path, path: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "folder").mkdir()
    target = Path(path) if path.startswith("/") else tmp_path / path
    if path == "/dev/zero" and not target.exists():
        pytest.skip("no /dev/zero")
    before = snapshot(data)
    assert add_source(data, target) == 1
    err = capsys.readouterr().err
    assert ("is not a file" in err or "no such file" in err) and "Traceback" not in err
    assert snapshot(data) == before


@pytest.mark.parametrize(("option", "value", "rule"), [
    ("--title", "<img src=x onerror=alert(1)>", "no-markup"),
    ("--title", '=HYPERLINK("http://evil.example","x")', "no-formula"),
    ("--issuer", "@SUM(A1)", "no-formula"),
    ("--url", "javascript:alert(document.domain)", "url-scheme"),
    ("--url", "data:text/html,<script>alert(1)</script>", "url-scheme"),
    ("--id", "../../etc/passwd", "pattern"),
    ("--reliability-note-en", "bell\x07", "control-character"),
])
def test_add_source_refuses_hostile_row_text(data: Path, tmp_path: Path, option: str, value: str,
                                             rule: str, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "report.txt"
    document.write_text("全年共查处违法建筑案件 6120 起。\n", encoding="utf-8")
    before = snapshot(data)
    assert add_source(data, document, option, value) == 1  # argparse: the last value wins
    err = capsys.readouterr().err
    assert f"[{rule}]" in err and "nothing was written" in err
    assert snapshot(data) == before


# -- intake: a hostile text drafts rows a spreadsheet cannot run, and append refuses the rest ------

HOSTILE_TEXT = (
    "一、总体情况\n"
    "全年共查处违法建筑案件 6120 起。\n"
    '=HYPERLINK("http://evil.example","点击") 共查处跨门营业案件 5 起。\n'
    "+7 起\n"
    "-8 起\n"
    "@SUM(1) 查处 9 起\n"
    "<script>alert(1)</script>查处渣土案件 11 起。\n"
)


def test_a_hostile_text_drafts_no_formula_and_append_refuses_markup(
        data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "hostile.txt"
    document.write_text(HOSTILE_TEXT, encoding="utf-8")
    assert add_source(data, document) == 0
    drafts = tmp_path / "drafts"
    assert main(["--data-dir", str(data), "draft", "--source", "hostile_src", "--year", "2023",
                 "--out", str(drafts)]) == 0
    cells = []
    for path in drafts.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            cells += [(path.name, k, v) for row in csv.DictReader(handle) for k, v in row.items() if v]
    # The reviewer opens the draft in a spreadsheet: no cell of it may start a formula.
    assert [c for c in cells if c[2][0] in "=+-@"] == []
    quotes = [v for name, k, v in cells if k == "quote"]
    assert "7 起" in quotes and "全年共查处违法建筑案件 6120 起" in quotes
    # Appended as drafted, the markup of the text in a name is refused, naming the draft line.
    before = snapshot(data)
    capsys.readouterr()
    assert main(["--data-dir", str(data), "append", str(drafts)]) == 1
    err = capsys.readouterr().err
    assert "[no-markup]" in err and "drafts/indicators.csv:" in err and "Traceback" not in err
    assert snapshot(data) == before


@pytest.mark.parametrize(("note", "encoding", "message"), [
    ('=HYPERLINK("http://evil.example","x")', "utf-8", "[no-formula]"),
    ("注释", "gbk", "it is GBK/GB18030"),
    ("长" * 200_000, "utf-8", "is not valid CSV (field larger than field limit"),
    ("vt\x0binside", "utf-8", "[control-character]"),
])
def test_append_refuses_a_hostile_draft_writing_nothing(data: Path, tmp_path: Path, note: str,
                                                        encoding: str, message: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    header = read_csv(data / "exclusions.csv").header
    row = {"exclusion_id": "hostile_x01", "source_id": "cgzf_2022_summary", "quote": "一、总体情况",
           "reason": "heading", "note": note}
    with (drafts / "exclusions.csv").open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow([row.get(c, "") for c in header])
    before = snapshot(data)
    assert main(["--data-dir", str(data), "append", str(drafts)]) == 1
    err = capsys.readouterr().err
    assert message in err and "nothing was written" in err and "Traceback" not in err
    assert snapshot(data) == before


# -- the raw path of a source stays in data/raw/ (the export copies it to downloads/<raw_path>) ----


@pytest.mark.parametrize("raw_path", ["../outside.txt", "raw/../../outside.txt", "/etc/hostname",
                                      "raw/sub/x.txt", "raw/.hidden"])
def test_a_raw_path_out_of_data_raw_is_refused(tmp_path: Path, raw_path: str) -> None:
    data = make_data_dir(tmp_path)
    set_cell(data, "sources", PRIMARY, "raw_path", raw_path)
    problems = [p for p in validate(data) if p.column == "raw_path"]
    assert [(p.line, p.rule) for p in problems] == [(2, "raw-path")]
    with pytest.raises(ExportRefused):
        export(tmp_path / "out", data)
    assert not (tmp_path / "outside.txt").exists()


# -- downloads: hostile cells come back exactly from every format ----------------------------------

ROUND_TRIP = ['逗号,引号"双"\n换行', "NA", " 前后空格 ", "null", "1e5", "０１２ 𠀀 😀", "tab\tinside",
              "\u202eRTL", "007", "<b>&amp;</b>"]


def test_hostile_cells_round_trip_through_every_download(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path)
    key = "illegal_building_cases_2022"
    for i, text in enumerate(ROUND_TRIP):
        set_cell(data, "observations", key, "note_zh", text)
        set_cell(data, "observations", key, "note_en", text)
        out = tmp_path / f"out{i}"
        export(out, data)
        csv_cell = next(r for r in read_csv(out / "observations.csv") if r["observation_id"] == key)
        frame = pd.read_csv(out / "observations.csv", encoding="utf-8-sig", dtype=str,
                            keep_default_na=False).set_index("observation_id")
        parquet = pd.read_parquet(out / "observations.parquet").set_index("observation_id")
        sheet = load_workbook(out / WORKBOOK)["observations"]
        header = [c.value for c in sheet[1]]
        book = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == key)
        assert (csv_cell["note_en"], frame.loc[key, "note_en"], parquet.loc[key, "note_en"],
                book[header.index("note_en")]) == (text,) * 4, text


@pytest.mark.parametrize("text", ["vt\x0binside", "nul\x01x", "esc\x1b[31m"])
def test_a_control_character_is_refused_before_it_breaks_the_workbook(tmp_path: Path,
                                                                       text: str) -> None:
    # Before: openpyxl raised IllegalCharacterError half-way through an export.
    data = make_data_dir(tmp_path)
    set_cell(data, "observations", "illegal_building_cases_2022", "note_en", text)
    set_cell(data, "observations", "illegal_building_cases_2022", "note_zh", "注")
    with pytest.raises(ExportRefused) as refused:
        export(tmp_path / "out", data)
    assert [p.rule for p in refused.value.problems] == ["control-character"]
    assert not (tmp_path / "out").exists()


def test_the_project_downloads_round_trip_with_chinese_intact() -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        export(out)
        for name in ("observations", "sources", "indicators"):
            stored = read_csv(paths.data_dir() / f"{name}.csv")
            published = read_csv(out / f"{name}.csv")
            assert [r.cells for r in published] == [r.cells for r in stored]
        assert "依法查处违法建筑案件 5334 起" in (out / "observations.csv").read_text(encoding="utf-8-sig")
        sheet = load_workbook(out / WORKBOOK, read_only=True)["sources"]
        assert any("上海市城市管理行政执法局" in str(v) for row in sheet.iter_rows(values_only=True)
                   for v in row)


if sys.platform.startswith("linux"):  # the engine side needs /proc and fork
    pass
