"""The manifest: schema check, fan-out, selection; the real reports.toml is valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chengguan.params import ParameterError
from reportbuild.manifest import ManifestError, load_manifest, validate_runs

ROOT = Path(__file__).resolve().parents[1]


def write_notebook(path: Path, parameters_cell: str) -> None:
    nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": parameters_cell,
                     "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture
def root(tmp_path):
    (tmp_path / "notebooks").mkdir()
    write_notebook(tmp_path / "notebooks" / "demo.ipynb", 'lang = "zh"  # language\nsize = 3  # size\n')
    return tmp_path


SPECS = """
[notebooks.demo.parameters]
lang = { choices = "languages" }
size = { min = 1 }
"""


def manifest(root: Path, text: str):
    (root / "reports.toml").write_text(SPECS + text, encoding="utf-8")
    return load_manifest(root / "reports.toml", root)


def problems(root: Path, text: str, specs: str = SPECS) -> str:
    (root / "reports.toml").write_text(specs + text, encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        load_manifest(root / "reports.toml", root)
    return str(info.value)


def test_a_matrix_fans_out_with_templated_names_and_titles(root):
    m = manifest(root, """
[[runs]]
name = "demo-{lang}-{size}"
notebook = "demo"
title = "Demo {lang}"
description = "size {size}"
matrix = { lang = ["zh", "en"], size = [1, 2] }
""")
    assert [r.name for r in m.runs] == ["demo-zh-1", "demo-zh-2", "demo-en-1", "demo-en-2"]
    assert m.runs[3].title == "Demo en" and m.runs[3].description == "size 2"
    assert m.runs[3].parameters == {"lang": "en", "size": 2}
    assert m.runs[0].timeout == 600.0 and m.runs[0].show_code is False


def test_fixed_parameters_and_run_settings(root):
    m = manifest(root, """
[build]
timeout = 30
[[runs]]
name = "big"
notebook = "demo"
title = "Big"
parameters = { size = 9 }
show_code = true
""")
    (run,) = m.runs
    assert run.parameters == {"size": 9} and run.resolved() == {"lang": "zh", "size": 9}
    assert run.timeout == 30.0 and run.show_code is True


def test_every_structural_problem_is_listed(root):
    message = problems(root, """
[[runs]]
name = "a"
notebook = "demo"
title = "A"
colour = "red"
parameters = { sise = 2 }

[[runs]]
name = "b"
notebook = "missing"
title = "B"

[[runs]]
name = "a"
notebook = "demo"
title = "A again"
""")
    assert "runs[1] (a): unknown key(s) colour" in message
    assert "runs[1] (a): parameter 'sise' is not declared for 'demo' (declared: lang, size)" in message
    assert "runs[2] (b): notebook file notebooks/missing.ipynb does not exist" in message
    assert message.count("\n  - ") == 3


def test_duplicate_names_and_bad_names(root):
    assert "run name 'x' is used 2 times" in problems(root, """
[[runs]]
name = "x"
notebook = "demo"
title = "X"

[[runs]]
name = "x"
notebook = "demo"
title = "X again"
""")
    assert "with a matrix the name needs placeholders such as {lang}" in problems(root, """
[[runs]]
name = "x"
notebook = "demo"
title = "X"
matrix = { lang = ["zh", "en"] }
""")
    assert "is not a valid file name" in problems(root, """
[[runs]]
name = "../escape"
notebook = "demo"
title = "X"
""")


def test_run_settings_are_type_checked(root):
    message = problems(root, """
[[runs]]
name = "a"
notebook = "demo"
title = "A"
timeout = "1 minute"
show_code = "yes"
""")
    assert "runs[1] (a): timeout must be a positive number of seconds" in message
    assert "runs[1] (a): show_code must be true or false" in message


def test_unknown_top_level_and_build_keys(root):
    message = problems(root, '[build]\njobs = 4\n[extra]\nx = 1\n')
    assert "top level: unknown key(s) extra" in message
    assert "build: unknown key(s) jobs" in message


def test_select_by_glob_or_notebook(root):
    m = manifest(root, """
[[runs]]
name = "demo-{lang}"
notebook = "demo"
title = "Demo"
matrix = { lang = ["zh", "en"] }
""")
    assert [r.name for r in m.select(["*-en"])] == ["demo-en"]
    assert [r.name for r in m.select(["demo"])] == ["demo-zh", "demo-en"]
    with pytest.raises(ManifestError, match="no run matches 'nothing'"):
        m.select(["nothing"])


def test_the_project_manifest_is_valid():
    m = load_manifest(ROOT / "reports.toml", ROOT)
    names = [r.name for r in m.runs]
    for stem in ("garbage_sorting", "illegal_construction", "nonsite_enforcement"):
        assert f"{stem}-zh" in names and f"{stem}-en" in names
    resolved = validate_runs(m.runs)
    assert resolved["nonsite_enforcement-en"] == {
        "lang": "en", "confidence": 0.95, "low_risk_inspections_per_year": 1.0,
        "other_risk_inspections_per_year": 4.0, "uniform_inspections_per_year": 4.0,
    }
    assert resolved["illegal_construction-zh"] == {"lang": "zh", "structures_per_case": 1.0,
                                                   "panels_per_site": 1.0}
    assert resolved["district-minhang-en"] == {"lang": "en", "district": "minhang"}


def test_parameters_come_from_the_notebook_and_constraints_from_the_manifest(root):
    m = manifest(root, '[[runs]]\nname = "d"\nnotebook = "demo"\ntitle = "D"\n')
    specs = m.runs[0].specs
    assert [(s.name, s.type, s.default, s.help, s.choices, s.min) for s in specs.values()] == [
        ("lang", "str", "zh", "language", "languages", None), ("size", "int", 3, "size", None, 1)]


def test_defaults_in_the_manifest_are_refused(root):
    message = problems(root, '[notebooks.demo.parameters.size]\ndefault = 4\n', specs="")
    assert "notebooks.demo.parameters.size: unknown key(s) default" in message
    assert "belong in the notebook's parameters cell" in message


def test_a_constraint_on_a_parameter_the_notebook_does_not_assign(root):
    message = problems(root, '[notebooks.demo.parameters]\ncolour = { choices = ["red"] }\n', specs="")
    assert "'colour' constrained in the manifest but not assigned in the notebook's parameters cell" in message


def test_vocabularies_are_read_from_the_build_root(root):
    """--root on a copy: the copy's data decide the allowed values, not the checkout's."""
    write_notebook(root / "notebooks" / "demo.ipynb", 'district = "xuhui"  # a district\n')
    (root / "data").mkdir()
    (root / "data" / "scopes.csv").write_text(
        "scope_id,kind,name_zh,name_en\nxuhui,district,徐汇区,Xuhui\n", encoding="utf-8")
    (root / "reports.toml").write_text('[notebooks.demo.parameters]\ndistrict = { choices = "districts" }\n'
                                       '[[runs]]\nname = "d-{district}"\nnotebook = "demo"\ntitle = "D"\n'
                                       'matrix = { district = ["xuhui", "pudong"] }\n', encoding="utf-8")
    m = load_manifest(root / "reports.toml", root)
    assert m.runs[0].resolved() == {"district": "xuhui"}
    with pytest.raises(ParameterError, match="'pudong' is not one of 'xuhui'"):
        m.runs[1].resolved()


def test_the_site_settings_and_the_site_pages_names(root):
    site = manifest(root, '[site]\nprimary_source = "s1"\ndownloads = "pkg.mod:export"\n').site
    assert (site.primary_source, site.downloads) == ("s1", "pkg.mod:export")
    assert manifest(root, "").site.downloads is None
    assert "site: downloads must be 'module:function'" in problems(root, '[site]\ndownloads = "export"\n')
    assert "site: unknown key(s) title" in problems(root, '[site]\ntitle = "x"\n')
    for reserved in ("index", "index.en", "build"):  # the site's own pages
        assert "is not a valid file name" in problems(root, f"""
[[runs]]
name = "{reserved}"
notebook = "demo"
title = "X"
""")
