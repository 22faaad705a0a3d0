"""data/datapackage.json: generated from the schema, committed, and valid Frictionless."""

from __future__ import annotations

import json
from pathlib import Path

import frictionless
import pytest

from chengguan import paths
from chengguan.curation import datapackage
from chengguan.curation.cli import main
from chengguan.tables import schema
from tables_synthetic import make_data_dir, set_cell


def test_the_committed_descriptor_is_the_generated_one() -> None:
    committed = (paths.data_dir() / "datapackage.json").read_text(encoding="utf-8")
    assert committed == datapackage.render(paths.data_dir()), (
        "data/datapackage.json is out of date: run `chengguan-data datapackage`")


def test_the_project_package_is_valid() -> None:
    report = frictionless.validate(str(paths.data_dir() / "datapackage.json"))
    assert report.flatten(["rowNumber", "fieldName", "type", "note"]) == []
    assert report.valid


def test_the_descriptor_declares_every_table_with_keys_and_constraints(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path)
    descriptor = datapackage.descriptor(data)
    assert [r["name"] for r in descriptor["resources"]] == [t.name for t in schema.TABLES]
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"][0] == {
        "title": "城管执法系统2022年工作总结和2023年工作计划",
        "path": "https://cgzf.sh.gov.cn/channel_rszh/20230403/34cac781bb7144c5bc7c4c339d98321c.html"}
    resources = {r["name"]: r for r in descriptor["resources"]}
    indicators = resources["indicators"]["schema"]
    assert indicators["primaryKey"] == ["indicator_id"]
    assert indicators["foreignKeys"][1] == {
        "fields": ["parent_id"], "reference": {"resource": "", "fields": ["indicator_id"]}}
    assert indicators["foreignKeys"][2] == {
        "fields": ["series_id"], "reference": {"resource": "series", "fields": ["series_id"]}}
    status = next(f for f in resources["observations"]["schema"]["fields"]
                  if f["name"] == "status")
    assert status["constraints"] == {"required": True,
                                     "enum": ["actual", "target", "plan_restatement"]}


def test_frictionless_checks_the_declared_constraints(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path)
    datapackage.write(data)
    assert frictionless.validate(str(data / "datapackage.json")).valid
    set_cell(data, "indicators", "littering_cases", "parent_id", "nope")
    set_cell(data, "observations", "littering_cases_2022", "status", "planned")
    report = frictionless.validate(str(data / "datapackage.json"))
    assert sorted((row, kind) for row, kind in report.flatten(["rowNumber", "type"])) == [
        (7, "constraint-error"), (7, "foreign-key")]


def test_the_command_writes_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = make_data_dir(tmp_path)
    assert main(["--data-dir", str(data), "datapackage", "--check"]) == 1
    assert main(["--data-dir", str(data), "datapackage"]) == 0
    assert main(["--data-dir", str(data), "datapackage", "--check"]) == 0
    out, err = capsys.readouterr()
    assert out == "wrote data/datapackage.json\ndata/datapackage.json is up to date\n"
    assert err == ("data/datapackage.json differs from the schema; "
                   "run `chengguan-data datapackage`\n")
    assert json.loads((data / "datapackage.json").read_text(encoding="utf-8"))["name"] == (
        "chengguan-enforcement")
