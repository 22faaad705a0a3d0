"""chengguan.curation.export: every download read back and compared with the tables exactly."""

from __future__ import annotations

import codecs
import hashlib
import json
import subprocess
import sys
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from chengguan import paths
from chengguan.curation.export import WORKBOOK, ExportRefused, export
from chengguan.tables import load
from chengguan.tables.io import read_csv
from chengguan.tables.schema import TABLES, TableSchema
from tables_synthetic import make_data_dir, set_cell


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own tables, exported once for the module."""
    out = tmp_path_factory.mktemp("export")
    export(out)
    return out


def source_rows(table: TableSchema, data: Path | None = None) -> list[list[str]]:
    csv_file = read_csv((data or paths.data_dir()) / table.filename)
    return [[row[c] for c in table.columns] for row in csv_file]


def same_number(value: float, text: str) -> bool:
    """The float gives back the stored decimal exactly (shortest repr)."""
    return Decimal(repr(value)) == Decimal(text)


def test_the_files_written(exported: Path) -> None:
    names = {p.relative_to(exported).as_posix() for p in exported.rglob("*") if p.is_file()}
    expected = {f"{t.name}.{ext}" for t in TABLES for ext in ("csv", "parquet")}
    raw = {row["raw_path"] for row in read_csv(paths.data_dir() / "sources.csv")}
    assert {"raw/cross_year_candidates.csv", "raw/supplementary_figures.csv"} <= raw
    assert names == expected | raw | {WORKBOOK, "datapackage.json"}  # no temporary file left behind


def test_every_stored_source_file_is_published_byte_for_byte(exported: Path) -> None:
    # sources.csv names each source's raw file and its SHA-256: a reader of the downloads can
    # check both, and find each quote in the text (the cross-year pages are stored only as the
    # quoted sentences, in raw/cross_year_candidates.csv)
    for row in read_csv(paths.data_dir() / "sources.csv"):
        data = (exported / row["raw_path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["source_id"]


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_csv_is_utf8_with_bom_and_holds_the_cells_exactly(exported: Path,
                                                          table: TableSchema) -> None:
    raw = (exported / table.filename).read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    assert b"\r\n" in raw  # RFC 4180 line ends
    assert read_csv(exported / table.filename).header == table.columns
    assert source_rows(table, exported) == source_rows(table)
    # What a pandas user gets with the encoding Excel users' files need.
    frame = pd.read_csv(exported / table.filename, encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    assert frame.values.tolist() == source_rows(table)


def test_csv_keeps_the_chinese_text(exported: Path) -> None:
    text = (exported / "observations.csv").read_text(encoding="utf-8-sig")
    assert "依法查处违法建筑案件 5334 起" in text
    assert "上海市城市管理行政执法局" in (exported / "sources.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_parquet_has_the_declared_types_and_the_loaded_values(exported: Path,
                                                              table: TableSchema) -> None:
    frame = pd.read_parquet(exported / f"{table.name}.parquet")
    loaded = load._load(table.name)
    assert list(frame.columns) == list(table.columns)
    texts = source_rows(table)
    for i, field in enumerate(table.fields):
        got, want = frame[field.name], loaded[field.name]
        column_texts = [row[i] for row in texts]
        if field.type == "number":
            assert got.dtype == "float64"
            assert all(same_number(v, t) if t else pd.isna(v) for v, t in zip(got, column_texts))
        elif field.type == "integer":
            assert got.dtype == "int64"  # required integers: no missing values
            assert got.tolist() == [int(t) for t in column_texts]
        elif field.type == "date":
            assert [d.isoformat() if d is not None else "" for d in got] == column_texts
            assert [d.date() if not pd.isna(d) else None for d in want] == got.tolist()
        elif field.type == "boolean":
            assert got.dtype == "bool"
            assert got.tolist() == want.tolist()
        else:
            assert [v if not pd.isna(v) else "" for v in got] == column_texts


def test_the_downloads_carry_every_note_in_both_languages(exported: Path) -> None:
    noted = "supp_2019_first_day_02"
    csv_rows = {row["observation_id"]: row for row in read_csv(exported / "observations.csv")}
    parquet = pd.read_parquet(exported / "observations.parquet").set_index("observation_id")
    sheet = load_workbook(exported / WORKBOOK, read_only=True)["observations"]
    header, *cells = sheet.iter_rows(values_only=True)
    workbook = {row[0]: dict(zip(header, row)) for row in cells}
    for row in (csv_rows[noted], parquet.loc[noted], workbook[noted]):
        assert row["note_zh"].startswith("“检查各类单位”以“家”计")
        assert row["note_en"].startswith("检查各类单位 counted in 家 (establishments)")
    sources = pd.read_parquet(exported / "sources.parquet").set_index("source_id")
    assert sources.loc["cgzf_2022_summary", "reliability_note_zh"].startswith("市局自己的年度工作总结")
    assert sources.loc["cgzf_2022_summary", "reliability_note_en"].startswith("The bureau's own")


def test_parquet_carries_the_column_descriptions(exported: Path) -> None:
    import pyarrow.parquet as pq

    arrow = pq.read_schema(exported / "observations.parquet")
    assert arrow.field("quote").metadata[b"description"].decode() == (
        "Verbatim sentence of the normalized source text.")
    assert not arrow.field("value").nullable and arrow.field("note_en").nullable


@pytest.fixture(scope="module")
def workbook(exported: Path):
    return load_workbook(exported / WORKBOOK)


def test_the_workbook_has_a_readme_then_a_sheet_per_table(workbook) -> None:
    assert workbook.sheetnames == ["README"] + [t.name for t in TABLES]


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_each_sheet_holds_the_table_with_typed_cells(workbook, table: TableSchema) -> None:
    sheet = workbook[table.name]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(table.columns)
    assert len(rows) - 1 == len(source_rows(table))
    for cells, texts in zip(rows[1:], source_rows(table)):
        for field, cell, text in zip(table.fields, cells, texts):
            if text == "":
                assert cell is None
            elif field.type == "number":
                assert isinstance(cell, (int, float)) and same_number(float(cell), text)
            elif field.type == "integer":
                assert cell == int(text)
            elif field.type == "date":
                assert isinstance(cell, datetime) and cell.date() == date.fromisoformat(text)
            elif field.type == "boolean":
                assert cell is (text in ("true", "True", "TRUE", "1"))
            else:
                assert cell == text


def test_the_readme_sheet_explains_every_column_the_sources_and_the_licence(workbook) -> None:
    cells = [c for row in workbook["README"].iter_rows(values_only=True) for c in row if c]
    text = "\n".join(str(c) for c in cells)
    assert "Creative Commons Attribution 4.0 International (CC-BY-4.0)" in text
    for table in TABLES:
        for field in table.fields:
            assert field.description in cells, (table.name, field.name)
    for row in read_csv(paths.data_dir() / "sources.csv"):
        assert row["title"] in cells
        if row["url"]:
            assert row["url"] in cells


def test_the_descriptor_lists_every_file_with_its_size_and_checksum(exported: Path) -> None:
    package = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    paths_listed = {r["path"] for r in package["resources"]}
    others = {p.relative_to(exported).as_posix() for p in exported.rglob("*") if p.is_file()} - {"datapackage.json"}
    assert paths_listed == others
    for resource in package["resources"]:
        data = (exported / resource["path"]).read_bytes()
        # Parquet has no byte count: frictionless cannot count its bytes and would refuse any.
        assert resource.get("bytes") == (None if resource["format"] == "parquet" else len(data))
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert package["licenses"][0]["name"] == "CC-BY-4.0"


def test_every_table_is_described_once_per_format_with_its_schema(exported: Path) -> None:
    package = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in package["resources"]}
    for table in TABLES:
        csv_resource = by_name[table.name]
        assert by_name[f"{table.name}-parquet"]["schema"] == csv_resource["schema"]
        sheet = by_name[f"workbook-{table.name}"]
        assert (sheet["path"], sheet["dialect"]) == (WORKBOOK, {"excel": {"sheet": table.name}})
        assert sheet["schema"] == csv_resource["schema"]
    # The README sheet stays in the workbook but is no resource's table.
    sheets = [r["dialect"]["excel"]["sheet"] for r in package["resources"] if r["path"] == WORKBOOK]
    assert sheets == [t.name for t in TABLES]


def frictionless_errors(report) -> list[list[str]]:
    return report.flatten(["taskName", "type", "note"])


def test_frictionless_validates_the_whole_exported_package(exported: Path) -> None:
    """`frictionless validate datapackage.json` (the command a reader of the downloads runs) exits 0:
    every CSV, Parquet file, workbook sheet and stored source checked against its description."""
    # The command itself, once (validating the package takes seconds); its report as JSON.
    cli = Path(sys.executable).parent / "frictionless"
    result = subprocess.run([cli, "validate", "--json", "datapackage.json"], cwd=exported,
                            capture_output=True, text=True, timeout=600)
    report = json.loads(result.stdout)
    errors = [(task["name"], error.get("type"), error.get("note")) for task in report["tasks"] for error in task["errors"]]
    assert result.returncode == 0 and report["valid"], errors[:10] or result.stderr[-2000:]
    checked = {task["name"] for task in report["tasks"]}
    assert {f"{t.name}-parquet" for t in TABLES} | {f"workbook-{t.name}" for t in TABLES} <= checked
    assert {t.name for t in TABLES} <= checked


def test_frictionless_refuses_a_workbook_read_from_its_readme_or_a_mistyped_parquet(exported: Path,
                                                                                    tmp_path: Path) -> None:
    """The validator above can fail: without its sheet a resource reads the README sheet; a Parquet
    value of the wrong type is caught by the schema the descriptor gives it."""
    import frictionless
    import pyarrow as pa
    import pyarrow.parquet as pq

    package = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    (sheet,) = [r for r in package["resources"] if r["name"] == "workbook-scopes"]
    del sheet["dialect"]
    report = frictionless.Resource(sheet, basepath=str(exported)).validate()
    assert not report.valid
    assert {"blank-label", "incorrect-label"} & {e[1] for e in frictionless_errors(report)}

    (parquet,) = [r for r in package["resources"] if r["name"] == "scopes-parquet"]
    table = pq.read_table(exported / "scopes.parquet")
    mistyped = table.set_column(0, table.schema.field(0).name,
                                pa.array(list(range(table.num_rows)), type=pa.int64()))
    pq.write_table(mistyped, tmp_path / "scopes.parquet")
    report = frictionless.Resource({**parquet, "schema": {**parquet["schema"], "foreignKeys": []}},
                                   basepath=str(tmp_path)).validate()
    assert not report.valid
    assert "type-error" in {e[1] for e in frictionless_errors(report)}


# -- synthetic data: what only a change can show -------------------------------------------------


def test_invalid_tables_are_not_exported(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path)
    set_cell(data, "observations", "illegal_building_area_2022", "value", "2504701")
    out = tmp_path / "out"
    with pytest.raises(ExportRefused) as refused:
        export(out, data)
    assert [p.rule for p in refused.value.problems] == ["value-matches-quote"]
    assert not out.exists()
    result = subprocess.run(
        [Path(sys.executable).parent / "chengguan-data", "--data-dir", data, "export", out],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "data/observations.csv:3: column value: '2504701'" in result.stderr
    assert "nothing was exported" in result.stderr
    assert not out.exists()


def test_a_cell_that_looks_like_a_formula_is_refused_and_nothing_exported(tmp_path: Path) -> None:
    """The CSV downloads keep cells exact, so text a spreadsheet would run is refused upstream."""
    data = make_data_dir(tmp_path)
    formula = '=HYPERLINK("http://example.invalid","click")'
    set_cell(data, "observations", "illegal_building_cases_2022", "note_zh", formula)
    set_cell(data, "observations", "illegal_building_cases_2022", "note_en", formula)
    out = tmp_path / "out"
    with pytest.raises(ExportRefused) as refused:
        export(out, data)
    assert {p.rule for p in refused.value.problems} == {"no-formula"}
    assert not out.exists() or not list(out.iterdir())


def test_a_cell_that_looks_like_a_formula_stays_text_in_the_workbook(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path)
    formula = '=HYPERLINK("http://example.invalid","click")'
    set_cell(data, "observations", "illegal_building_cases_2022", "note_zh", formula)
    set_cell(data, "observations", "illegal_building_cases_2022", "note_en", formula)
    out = tmp_path / "out"
    export(out, data, validate=False)  # the workbook's own guard, behind validation's
    sheet = load_workbook(out / WORKBOOK)["observations"]
    notes = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert formula in notes
    with zipfile.ZipFile(out / WORKBOOK) as book:
        xml = b"".join(book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml


def test_export_replaces_earlier_files_in_place(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path)
    out = tmp_path / "out"
    export(out, data)
    set_cell(data, "scopes", "fengxian", "name_en", "Fengxian District")
    export(out, data)
    assert "Fengxian District" in (out / "scopes.csv").read_text(encoding="utf-8-sig")
    assert pd.read_parquet(out / "scopes.parquet").name_en.tolist()[-1] == "Fengxian District"
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
