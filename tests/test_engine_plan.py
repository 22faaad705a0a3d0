"""Skip / re-render / execute decisions for each kind of change (no kernels involved)."""

from __future__ import annotations

import dataclasses
import io
import json
import os
from pathlib import Path

import pytest
from fixtures.project import VERSIONS, make_project, run_build

import chengguan

from reportbuild.build import BuildOptions, build, prepare
from reportbuild.plan import Action, library_sources, plan
from reportbuild.state import BuildState, RunRecord


def decisions(layout, **kwargs):
    manifest, runs, params = prepare(layout, BuildOptions(patterns=["good-*"]))
    state = BuildState.load(layout.state_file)
    kwargs.setdefault("versions", VERSIONS)
    return {d.run.name: d for d in plan(runs, params, manifest, layout, state, **kwargs)}


def pretend_built(layout) -> None:
    """Record the current fingerprints as built, with output files in place."""
    state = BuildState.load(layout.state_file)
    for name, d in decisions(layout).items():
        state.runs[name] = RunRecord(status="ok", fingerprint=d.fingerprint.to_dict(), built_at="t", duration=1.0)
        layout.outputs.mkdir(exist_ok=True)
        layout.ipynb(name).write_text("{}", encoding="utf-8")
        layout.html(name).write_text("<html></html>", encoding="utf-8")
        layout.results(name).write_text("{}", encoding="utf-8")
    state.save(layout.state_file)


@pytest.fixture
def built(tmp_path):
    layout = make_project(tmp_path)
    pretend_built(layout)
    return layout


def said(layout, **kwargs) -> dict[str, str]:
    return {name: d.describe() for name, d in decisions(layout, **kwargs).items()}


def edit_notebook(layout, change) -> None:
    path = layout.root / "notebooks" / "good.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    change(nb["cells"])
    path.write_text(json.dumps(nb), encoding="utf-8")


def test_nothing_changed_means_up_to_date(built):
    assert set(said(built).values()) == {"up to date"}


def test_first_build_has_no_previous_output(tmp_path):
    assert said(make_project(tmp_path))["good-zh"] == "would run: no previous output"


def test_a_code_change_reruns_every_run_of_that_notebook(built):
    edit_notebook(built, lambda cells: cells[3]["source"].append("\nframe = frame.head(2)"))
    assert set(said(built).values()) == {"would run: notebook code changed"}


def test_a_markdown_only_change_rerenders(built):
    edit_notebook(built, lambda cells: cells[0]["source"].append("\n\nOne more sentence."))
    assert set(said(built).values()) == {"re-render: markdown changed"}


def test_a_new_markdown_cell_rerenders(built):
    edit_notebook(built, lambda cells: cells.insert(4, {"cell_type": "markdown", "metadata": {}, "source": ["Note"]}))
    assert set(said(built).values()) == {"re-render: markdown changed"}


def test_a_parameter_change_reruns_only_that_run(built):
    manifest = built.manifest.read_text(encoding="utf-8").replace("scale = 3.5", "scale = 4.5")
    built.manifest.write_text(manifest, encoding="utf-8")
    assert said(built) == {"good-zh": "up to date", "good-en": "up to date", "good-scaled": "would run: params changed"}


def test_a_title_change_rerenders(built):
    manifest = built.manifest.read_text(encoding="utf-8").replace('"Example, scaled"', '"Scaled example"')
    built.manifest.write_text(manifest, encoding="utf-8")
    assert said(built)["good-scaled"] == "re-render: rendering changed"


def test_a_data_change_reruns(built):
    with open(built.data / "scopes.csv", "a", encoding="utf-8") as f:
        f.write("minhang,district,闵行区,Minhang\n")
    assert set(said(built).values()) == {"would run: data changed"}


def test_a_new_data_file_reruns(built):
    (built.data / "raw").mkdir()
    (built.data / "raw" / "report.md").write_text("新", encoding="utf-8")
    assert set(said(built).values()) == {"would run: data changed"}


def test_touching_a_file_without_changing_it_is_not_a_change(built):
    path = built.data / "scopes.csv"
    os.utime(path, (1, 1))
    assert set(said(built).values()) == {"up to date"}


def test_a_library_change_reruns(built):
    (built.libraries[0] / "stats.py").write_text("ALPHA = 0.10\n", encoding="utf-8")
    assert set(said(built).values()) == {"would run: library changed"}


def test_bytecode_caches_are_not_part_of_the_library(built):
    (built.libraries[0] / "__pycache__").mkdir()
    (built.libraries[0] / "__pycache__" / "stats.cpython-311.pyc").write_bytes(b"\0")
    assert set(said(built).values()) == {"up to date"}


def test_libraries_are_found_where_python_imports_them(tmp_path):
    layout = make_project(tmp_path)
    default = dataclasses.replace(layout, libraries=None)
    manifest, _, _ = prepare(default, BuildOptions())
    assert manifest.build.libraries == ("chengguan",)
    assert library_sources(manifest, default) == [Path(chengguan.__file__).resolve().parent]


def test_an_unimportable_library_is_refused(tmp_path):
    layout = make_project(tmp_path)
    manifest = layout.manifest.read_text(encoding="utf-8")
    layout.manifest.write_text(manifest.replace('libraries = ["chengguan"]', 'libraries = ["no_such_library_x"]'),
                               encoding="utf-8")
    code, _, err = run_build(dataclasses.replace(layout, libraries=None), dry_run=True)
    assert code == 2
    assert "'no_such_library_x'" in err and "not importable" in err


def test_a_package_upgrade_reruns(built):
    assert set(said(built, versions={**VERSIONS, "pandas": "9.9"}).values()) == {"would run: packages changed"}


def test_a_renderer_upgrade_only_rerenders(built):
    assert set(said(built, versions={**VERSIONS, "nbconvert": "99.0"}).values()) == {"re-render: rendering changed"}


def test_several_reasons_are_all_named(built):
    (built.libraries[0] / "stats.py").write_text("ALPHA = 0.10\n", encoding="utf-8")
    (built.data / "scopes.csv").write_text("scope_id,kind,name_zh,name_en\n", encoding="utf-8")
    assert said(built)["good-zh"] == "would run: data changed, library changed"


def test_missing_outputs_and_failures_and_force(built):
    built.html("good-zh").unlink()
    built.ipynb("good-en").unlink()
    state = BuildState.load(built.state_file)
    state.runs["good-scaled"].status = "failed"
    state.save(built.state_file)
    assert said(built) == {
        "good-zh": "re-render: HTML missing",
        "good-en": "would run: no previous output",
        "good-scaled": "would run: previous run failed",
    }
    assert set(said(built, force=True).values()) == {"would run: forced"}
    assert decisions(built, force=True)["good-zh"].action is Action.EXECUTE


def test_dry_run_prints_the_decisions_and_changes_nothing(built):
    (built.libraries[0] / "stats.py").write_text("ALPHA = 0.10\n", encoding="utf-8")
    before = built.state_file.read_bytes()
    out = io.StringIO()
    code = build(built, BuildOptions(patterns=["good-*"], dry_run=True, versions=VERSIONS), out=out, err=io.StringIO())
    assert code == 0
    assert out.getvalue().splitlines() == [
        "good-zh      would run: library changed",
        "good-en      would run: library changed",
        "good-scaled  would run: library changed",
    ]
    assert built.state_file.read_bytes() == before


def test_invalid_parameters_are_refused_before_anything_runs(built):
    manifest = built.manifest.read_text(encoding="utf-8").replace('lang = ["zh", "en"]', 'lang = ["zh", "fr"]')
    built.manifest.write_text(manifest, encoding="utf-8")
    err = io.StringIO()
    code = build(built, BuildOptions(patterns=["good-*"], versions=VERSIONS), out=io.StringIO(), err=err)
    assert code == 2
    assert err.getvalue().startswith(
        "chengguan-build: run 'good-fr': invalid parameters for notebook 'good':\n  - lang: 'fr' is not one of 'zh', 'en'\n"
        "parameters of notebook 'good':\n  lang: str = 'zh'; one of 'zh', 'en' (vocabulary 'languages')"
    )
    assert not Path(built.ipynb("good-fr")).exists()


def test_installed_versions_read_fast_agree_with_importlib_metadata():
    from importlib import metadata

    from reportbuild.plan import EXECUTION_PACKAGES, RENDER_PACKAGES, package_versions

    names = [*EXECUTION_PACKAGES, *RENDER_PACKAGES, "no-such-distribution-x"]
    expected = {}
    for name in names:
        try:
            expected[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            expected[name] = None
    assert package_versions(names) == expected
