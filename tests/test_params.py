"""Parameter specs and validation (chengguan.params), without kernels."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chengguan.params import (
    ParameterError,
    SpecError,
    check_parameters,
    load_specs,
    make_spec,
    make_specs,
    read_notebook_parameters,
    read_parameters_cell,
    validate,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
MANIFEST = ROOT / "reports.toml"

GARBAGE_LISTING = """\
parameters of notebook 'garbage_sorting':
  lang: str = 'zh'; one of 'zh', 'en' (vocabulary 'languages') -- report language: "zh" or "en"
  confidence: float = 0.95; 0.5 <= confidence <= 0.999 -- level of the counting-noise intervals (the smallest uncertainty shown)
  first_week_days: int = 6; one of 6, 7 -- length of the "first week" release: 6 (1-6 July as dated) or 7 (a calendar week)"""


@pytest.fixture
def garbage():
    return load_specs("garbage_sorting", MANIFEST)


def refusal(stem, values, specs, root=None) -> str:
    with pytest.raises(ParameterError) as info:
        validate(stem, values, specs, root)
    return str(info.value)


def test_defaults_fill_in_and_ints_become_floats(garbage):
    assert dict(validate("garbage_sorting", {}, garbage)) == {
        "lang": "zh", "confidence": 0.95, "first_week_days": 6}
    params = validate("garbage_sorting", {"lang": "en", "confidence": 1 - 0.1}, garbage)
    assert params.lang == "en" and params["confidence"] == pytest.approx(0.9)
    specs = load_specs("nonsite_enforcement", MANIFEST)
    value = validate("nonsite_enforcement", {"uniform_inspections_per_year": 12}, specs)
    assert value.uniform_inspections_per_year == 12.0 and isinstance(value.uniform_inspections_per_year, float)


def test_unknown_language_is_refused_with_the_listing(garbage):
    assert refusal("garbage_sorting", {"lang": "fr"}, garbage) == (
        "invalid parameters for notebook 'garbage_sorting':\n"
        "  - lang: 'fr' is not one of 'zh', 'en'\n" + GARBAGE_LISTING
    )


def test_every_problem_is_named_at_once(garbage):
    assert refusal("garbage_sorting", {"confidance": 0.9, "confidence": True}, garbage) == (
        "invalid parameters for notebook 'garbage_sorting':\n"
        "  - confidance: unknown parameter (did you mean 'confidence'?)\n"
        "  - confidence: expected float, got bool true\n" + GARBAGE_LISTING
    )


def test_out_of_range_and_wrong_type():
    specs = load_specs("district_profile", MANIFEST)
    assert "  - district: expected str, got int 3\n" in refusal("district_profile", {"district": 3}, specs)
    specs = load_specs("illegal_construction", MANIFEST)
    assert "  - panels_per_site: expected float, got str 'yes'\n" in refusal(
        "illegal_construction", {"panels_per_site": "yes"}, specs)
    assert "  - structures_per_case: 0.5 is below the minimum 1.0\n" in refusal(
        "illegal_construction", {"structures_per_case": 0.5}, specs)
    specs = load_specs("nonsite_enforcement", MANIFEST)
    message = refusal("nonsite_enforcement", {"low_risk_inspections_per_year": 400}, specs)
    assert "  - low_risk_inspections_per_year: 400.0 is above the maximum 365.0\n" in message
    assert "  - confidence: nan" not in message
    assert "expected a finite number" in refusal("nonsite_enforcement", {"confidence": float("nan")}, specs)


SCOPES = "scope_id,kind,name_zh,name_en\nshanghai,city,上海市,Shanghai\nhuangpu,district,黄浦区,Huangpu\n"
OBSERVATIONS = ("observation_id,indicator_id,source_id,scope_id,period_start,period_end,status,value,qualifier,"
                "number_text,quote,section\no1,i,s,shanghai,2022-07-01,2023-06-30,actual,1,exact,1,q,s\n")


def write_data(root: Path) -> Path:
    (root / "data").mkdir(parents=True)
    (root / "data" / "scopes.csv").write_text(SCOPES, encoding="utf-8")
    (root / "data" / "observations.csv").write_text(OBSERVATIONS, encoding="utf-8")
    return root


def test_vocabularies_come_from_the_data_of_the_root_given(tmp_path):
    root = write_data(tmp_path)
    district = make_spec("nb", read_parameters_cell('district = "huangpu"')["district"], {"choices": "districts"})
    year = make_spec("nb", read_parameters_cell("year = 2022")["year"], {"choices": "years"})
    specs = {"district": district, "year": year}
    assert dict(validate("nb", {"year": 2023}, specs, root)) == {"district": "huangpu", "year": 2023}
    message = refusal("nb", {"district": "shanghai", "year": 2021}, specs, root)
    assert "  - district: 'shanghai' is not one of 'huangpu'\n" in message
    assert "  - year: 2021 is not one of 2022, 2023\n" in message
    assert "  year: int = 2022; one of 2022, 2023 (vocabulary 'years')" in message


def test_a_missing_data_table_gives_a_clear_error(tmp_path):
    spec = make_spec("nb", read_parameters_cell('district = "huangpu"')["district"], {"choices": "districts"})
    message = refusal("nb", {}, {"district": spec}, tmp_path)
    assert f"  - district: cannot read the allowed values: {tmp_path / 'data' / 'scopes.csv'} does not exist\n" in message


def test_the_parameters_cell_gives_names_defaults_types_and_help():
    cell = 'lang = "zh"  # language of labels\nconfidence: float = 0.95  # confidence level\nn = 3\nshow = False  # a # in help'
    declared = read_parameters_cell(cell)
    assert [(d.name, d.default, d.help) for d in declared.values()] == [
        ("lang", "zh", "language of labels"), ("confidence", 0.95, "confidence level"), ("n", 3, ""),
        ("show", False, "a # in help")]
    specs = make_specs("nb", declared, {"n": {"min": 1}})
    assert [s.type for s in specs.values()] == ["str", "float", "int", "bool"]
    assert specs["n"].min == 1 and specs["lang"].help == "language of labels"


def test_an_annotated_parameters_cell_gives_the_same_specs_as_a_plain_one():
    plain = read_parameters_cell('lang = "zh"  # language\nconfidence = 0.95\ndays = 6\nshow = False  # flag')
    annotated = read_parameters_cell(
        'lang: str = "zh"  # language\nconfidence: float = 0.95\ndays: int = 6\nshow: bool = False  # flag')
    assert annotated == plain
    assert [s.type for s in make_specs("nb", annotated, None).values()] == ["str", "float", "int", "bool"]
    # An int literal under `float` is a float parameter (papermill shows float; 1 is a valid default).
    (whole,) = read_parameters_cell("confidence: float = 1  # level").values()
    assert whole.default == 1.0 and isinstance(whole.default, float)
    assert make_spec("nb", whole).type == "float"


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("n: int = True", "line 1: 'n' is annotated int but its default true is of type bool"),
        ("x: bool = 0", "'x' is annotated bool but its default 0 is of type int"),
        ('n: int = "6"', "'n' is annotated int but its default '6' is of type str"),
        ("c: float = '0.95'", "'c' is annotated float but its default '0.95' is of type str"),
        ("n: int = 6.0", "'n' is annotated int but its default 6.0 is of type float"),
        ('lang: str = 1', "'lang' is annotated str but its default 1 is of type int"),
        ('lang: list = "zh"', "the annotation of 'lang' must be one of str, int, float, bool, got 'list'"),
        ('lang: Optional[str] = "zh"', "got 'Optional[str]'"),
        ("lang: str", "line 1: expected `name = value  # help` or `name: type = value  # help`"),
    ],
)
def test_an_annotation_that_disagrees_with_its_default_is_refused(cell, problem):
    with pytest.raises(SpecError, match=re.escape(problem)):
        read_parameters_cell(cell)


def test_papermill_help_shows_the_annotated_types(tmp_path):
    """The reason for annotations: `papermill --help-notebook` prints each parameter's type."""
    import subprocess
    import sys

    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    cell = 'lang: str = "zh"  # report language\nconfidence: float = 0.95  # level\ndays = 6  # plain'
    nb = new_notebook(cells=[new_code_cell(cell, metadata={"tags": ["parameters"]})])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "annotated.ipynb"
    nbformat.write(nb, path)
    result = subprocess.run([Path(sys.executable).parent / "papermill", "--help-notebook", str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    # "  lang: str (default "zh")   report language"; a long one's help wraps onto the next line
    shown = dict(re.findall(r"^  (\w+): (.+?) \(default ", result.stdout, re.MULTILINE))
    assert shown == {"lang": "str", "confidence": "float", "days": "Unknown type"}
    assert "report language" in result.stdout
    assert list(read_parameters_cell(cell)) == ["lang", "confidence", "days"]


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("import os", "line 1: expected `name = value  # help`"),
        ("a = b = 1", "line 1: expected `name = value  # help`"),
        ("x = len('ab')", "the default of 'x' must be a literal"),
        ("x = [1, 2]", "the default of 'x' must be a str, int, float or bool, got list"),
        ("x = None", "got NoneType"),
        ("x = (", "not valid Python"),
    ],
)
def test_a_parameters_cell_that_is_not_plain_assignments_is_refused(cell, problem):
    with pytest.raises(SpecError, match=re.escape(problem)):
        read_parameters_cell(cell)


@pytest.mark.parametrize(
    ("cell", "table", "problem"),
    [
        ('x = "a"', {"colour": 1}, "unknown key(s) colour"),
        ('x = "a"', {"default": "b"}, "name, default and help belong in the notebook's parameters cell"),
        ("x = 2.0", {"max": 1.0}, "the notebook's default 2.0 is invalid: 2.0 is above the maximum 1.0"),
        ('x = "a"', {"choices": "planets"}, "unknown vocabulary 'planets'"),
        ('x = "a"', {"min": 1}, "min/max apply to int and float parameters only"),
        ('x = "a"', {"choices": ["b", "c"]}, "default 'a' is invalid: 'a' is not one of 'b', 'c'"),
        ("x = 1", {"y": {"min": 0}}, "'y' constrained in the manifest but not assigned in the notebook's parameters cell"),
    ],
)
def test_malformed_constraints_are_refused(cell, table, problem):
    declared = read_parameters_cell(cell)
    constraints = table if "y" in table else {"x": table}
    with pytest.raises(SpecError, match=re.escape(problem)):
        make_specs("nb", declared, constraints)


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((FIXTURES / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[f"{p.parent.parent.name}/{p.stem}" for p in NOTEBOOKS])
def test_papermill_reads_the_same_parameters(path):
    """Our reader of the parameters cell agrees with papermill.inspect_notebook: one source, two readers."""
    import ast

    import papermill

    inspected = papermill.inspect_notebook(str(path))
    ours = read_notebook_parameters(path)
    assert list(inspected) == list(ours)
    for name, p in inspected.items():
        assert ast.literal_eval(p["default"]) == ours[name].default
        if p["inferred_type_name"] != "None":  # annotated: papermill shows the type we check
            assert p["inferred_type_name"] == type(ours[name].default).__name__
        assert p["help"] == ours[name].help


def test_the_manifest_holds_no_defaults():
    """reports.toml keeps constraints only: every default lives in a notebook."""
    import tomllib

    with open(MANIFEST, "rb") as f:
        notebooks = tomllib.load(f).get("notebooks", {})
    keys = {key for table in notebooks.values() for spec in table.get("parameters", {}).values() for key in spec}
    assert keys <= {"choices", "min", "max"}


def copy_project(root: Path, cell: str, constraints: str) -> Path:
    write_data(root)
    (root / "notebooks").mkdir()
    nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": cell,
                     "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (root / "notebooks" / "nb.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (root / "reports.toml").write_text(constraints, encoding="utf-8")
    return root


def test_a_kernel_in_a_copy_reads_that_copy(tmp_path, monkeypatch):
    """No environment variable: the kernel starts in <root>/notebooks and finds reports.toml above it."""
    root = copy_project(tmp_path / "copy", 'district = "huangpu"  # the district\n',
                        '[notebooks.nb.parameters]\ndistrict = { choices = "districts" }\n')
    monkeypatch.delenv("CHENGGUAN_ROOT", raising=False)
    monkeypatch.chdir(root / "notebooks")
    assert dict(check_parameters("nb", {"district": "huangpu"})) == {"district": "huangpu"}
    with pytest.raises(ParameterError, match="'pudong' is not one of 'huangpu'"):
        check_parameters("nb", {"district": "pudong"})


def _namespace(injected: str, **values):
    """What a notebook's globals() hold after papermill's injected cell ran."""
    return {"In": ["", 'lang = "zh"', injected, "P = check_parameters(...)"], **values}


def test_check_parameters_refuses_names_papermill_injected_but_nobody_declared():
    namespace = _namespace('# Parameters\nlang = "en"\ncolor = "red"\n', lang="en", confidence=0.95,
                           first_week_days=6, color="red")
    with pytest.raises(ParameterError) as info:
        check_parameters("garbage_sorting", namespace, MANIFEST)
    assert str(info.value) == (
        "invalid parameters for notebook 'garbage_sorting':\n"
        "  - color: unknown parameter\n" + GARBAGE_LISTING
    )


def test_check_parameters_returns_the_validated_values():
    namespace = _namespace('# Parameters\nlang = "en"\n', lang="en", confidence=0.9,
                           first_week_days=7, pd=object())
    assert dict(check_parameters("garbage_sorting", namespace, MANIFEST)) == {
        "lang": "en", "confidence": 0.9, "first_week_days": 7}
    # Outside IPython (no input history) only declared names are checked.
    assert check_parameters("garbage_sorting", {"lang": "zh", "confidence": 0.95,
                                                "first_week_days": 6}, MANIFEST).lang == "zh"


def test_check_parameters_names_a_parameter_the_notebook_forgot():
    with pytest.raises(ParameterError, match="the parameters cell has not run \\(no value for confidence, first_week_days\\)"):
        check_parameters("garbage_sorting", {"lang": "zh"}, MANIFEST)


PROJECT_NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", PROJECT_NOTEBOOKS, ids=[p.stem for p in PROJECT_NOTEBOOKS])
def test_notebook_checks_its_parameters_right_after_the_parameters_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    at = next(i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    following = "".join(cells[at + 1]["source"])
    assert "from chengguan.params import check_parameters" in following
    assert f'check_parameters("{path.stem}", globals())' in following
