"""Parameter specs and validation (chengguan.params), without kernels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chengguan.params import (
    ParameterError,
    SpecError,
    check_parameters,
    load_specs,
    parameters_cell_defaults,
    parse_spec,
    validate,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
MANIFEST = ROOT / "reports.toml"

GARBAGE_LISTING = """\
parameters of notebook 'garbage_sorting':
  lang: str = 'zh'; one of 'zh', 'en' (vocabulary 'languages') -- language of labels and text
  confidence: float = 0.95; 0.5 <= confidence <= 0.999 -- confidence level of the intervals"""


@pytest.fixture
def garbage():
    return load_specs("garbage_sorting", MANIFEST)


def refusal(stem, values, specs) -> str:
    with pytest.raises(ParameterError) as info:
        validate(stem, values, specs)
    return str(info.value)


def test_defaults_fill_in_and_ints_become_floats(garbage):
    assert dict(validate("garbage_sorting", {}, garbage)) == {"lang": "zh", "confidence": 0.95}
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
    specs = load_specs("illegal_construction", MANIFEST)
    assert "  - log_scale: expected bool, got str 'yes'\n" in refusal("illegal_construction", {"log_scale": "yes"}, specs)
    specs = load_specs("nonsite_enforcement", MANIFEST)
    message = refusal("nonsite_enforcement", {"low_risk_inspections_per_year": 400}, specs)
    assert "  - low_risk_inspections_per_year: 400.0 is above the maximum 365.0\n" in message
    assert "  - confidence: nan" not in message
    assert "expected a finite number" in refusal("nonsite_enforcement", {"confidence": float("nan")}, specs)


@pytest.fixture
def data_project(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "scopes.csv").write_text(
        "scope_id,kind,name_zh,name_en\nshanghai,city,上海市,Shanghai\nhuangpu,district,黄浦区,Huangpu\n", encoding="utf-8")
    (tmp_path / "data" / "observations.csv").write_text(
        "observation_id,indicator_id,source_id,scope_id,period_start,period_end,status,value,qualifier,"
        "number_text,quote,section\no1,i,s,shanghai,2022-07-01,2023-06-30,actual,1,exact,1,q,s\n", encoding="utf-8")
    monkeypatch.setenv("CHENGGUAN_ROOT", str(tmp_path))
    return tmp_path


def test_vocabularies_come_from_the_data(data_project):
    district = parse_spec("nb", "district", {"type": "str", "default": "huangpu", "choices": "districts"})
    year = parse_spec("nb", "year", {"type": "int", "default": 2022, "choices": "years"})
    specs = {"district": district, "year": year}
    assert dict(validate("nb", {"year": 2023}, specs)) == {"district": "huangpu", "year": 2023}
    message = refusal("nb", {"district": "shanghai", "year": 2021}, specs)
    assert "  - district: 'shanghai' is not one of 'huangpu'\n" in message
    assert "  - year: 2021 is not one of 2022, 2023\n" in message
    assert "  year: int = 2022; one of 2022, 2023 (vocabulary 'years')" in message


def test_a_missing_data_table_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CHENGGUAN_ROOT", str(tmp_path))
    spec = parse_spec("nb", "district", {"type": "str", "default": "huangpu", "choices": "districts"})
    message = refusal("nb", {}, {"district": spec})
    assert f"  - district: cannot read the allowed values: {tmp_path / 'data' / 'scopes.csv'} does not exist\n" in message


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ({"type": "str", "default": "a", "colour": 1}, "unknown key(s) colour"),
        ({"type": "text", "default": "a"}, "type must be one of str, int, float, bool, got 'text'"),
        ({"type": "float", "default": 2.0, "max": 1.0}, "default 2.0 is invalid: 2.0 is above the maximum 1.0"),
        ({"type": "str", "default": "a", "choices": "planets"}, "unknown vocabulary 'planets'"),
        ({"type": "str", "default": "a", "min": 1}, "min/max apply to int and float parameters only"),
        ({"type": "int"}, "missing 'default'"),
    ],
)
def test_malformed_specs_are_refused(table, problem):
    with pytest.raises(SpecError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse_spec("nb", "x", table)


def _namespace(injected: str, **values):
    """What a notebook's globals() hold after papermill's injected cell ran."""
    return {"In": ["", 'lang = "zh"', injected, "P = check_parameters(...)"], **values}


def test_check_parameters_refuses_names_papermill_injected_but_nobody_declared():
    namespace = _namespace('# Parameters\nlang = "en"\ncolor = "red"\n', lang="en", confidence=0.95, color="red")
    with pytest.raises(ParameterError) as info:
        check_parameters("garbage_sorting", namespace, MANIFEST)
    assert str(info.value) == (
        "invalid parameters for notebook 'garbage_sorting':\n"
        "  - color: unknown parameter\n" + GARBAGE_LISTING
    )


def test_check_parameters_returns_the_validated_values():
    namespace = _namespace('# Parameters\nlang = "en"\n', lang="en", confidence=0.9, pd=object())
    assert dict(check_parameters("garbage_sorting", namespace, MANIFEST)) == {"lang": "en", "confidence": 0.9}
    # Outside IPython (no input history) only declared names are checked.
    assert check_parameters("garbage_sorting", {"lang": "zh", "confidence": 0.95}, MANIFEST).lang == "zh"


def test_check_parameters_names_a_parameter_the_notebook_forgot():
    with pytest.raises(ParameterError, match="the parameters cell does not define confidence"):
        check_parameters("garbage_sorting", {"lang": "zh"}, MANIFEST)


def test_parameters_cell_defaults_reads_literals():
    nb = json.loads((FIXTURES / "notebooks" / "good.ipynb").read_text(encoding="utf-8"))
    assert parameters_cell_defaults(nb) == {"lang": "zh", "scale": 2.0, "label": "点"}


def test_a_notebook_whose_defaults_disagree_with_its_spec_is_caught():
    nb = json.loads((FIXTURES / "notebooks" / "mismatch.ipynb").read_text(encoding="utf-8"))
    specs = load_specs("mismatch", FIXTURES / "reports.toml")
    declared = {name: spec.default for name, spec in specs.items()}
    assert parameters_cell_defaults(nb) != declared
    assert parameters_cell_defaults(nb)["lang"] == "en" and declared["lang"] == "zh"


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_defaults_equal_the_manifest(path):
    """Each notebook's `parameters` cell assigns exactly the defaults declared in reports.toml."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    specs = load_specs(path.stem, MANIFEST)
    assert parameters_cell_defaults(nb) == {name: spec.default for name, spec in specs.items()}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_checks_its_parameters_right_after_the_parameters_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    at = next(i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    following = "".join(cells[at + 1]["source"])
    assert "from chengguan.params import check_parameters" in following
    assert f'P = check_parameters("{path.stem}", globals())' in following
