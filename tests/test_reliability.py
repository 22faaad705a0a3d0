"""Regression tests for issue 13 (reliability): each defect reproduced, and how it is now handled.

Sections follow the issue's numbering. Data side here: (1) the fast validation entry point the
build calls, (2) markup in names and labels refused, and markup in any text cell escaped in every
notebook's output (``payloads.py`` puts a payload in every text column of every table), (4)
encodings and unclosed quotes, (6) loader errors that name file and line. Each test states the
fault it tries in its name.
"""

from __future__ import annotations

import codecs
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from chengguan import paths
from chengguan.curation.validate import validate, validate_project
from chengguan.tables import load
from chengguan.tables.io import TableReadError, read_csv
from chengguan.tables.schema import TABLES
from proctree import children, descendants, gone
from tables_synthetic import make_data_dir, read_table, set_cell, write_table

PAYLOAD = "<img src=x onerror=alert(4)>"
BIN = Path(sys.executable).parent


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path)


def messages(data: Path) -> list[str]:
    return [str(p) for p in validate(data)]


def rewrite(path: Path, encoding: str) -> None:
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))


def replace_line(path: Path, line: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` on physical line ``line`` (1-based) of ``path``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def load_everything(data: Path) -> dict[str, pd.DataFrame]:
    frames = {t.name: load._load(t.name, data) for t in TABLES}
    frames["joined"] = load.load_observations(data_dir=data)
    return frames


# -- 1. the build validates first: one fast call, every rule, no exception ----------------------


def test_validate_project_is_clean_on_the_project() -> None:
    assert validate_project(paths.project_root()) == []


def test_validate_project_reports_a_number_not_in_the_source(tmp_path: Path) -> None:
    shutil.copytree(paths.data_dir(), tmp_path / "data")
    observations = tmp_path / "data" / "observations.csv"
    replace_line(observations, 2, "组建 49 人党员干部突击队", "组建 94 人党员干部突击队")
    problems = [str(p) for p in validate_project(tmp_path)]
    assert problems == [
        "data/observations.csv:2: column quote: '组建 94 人党员干部突击队' does not occur in the "
        "normalized text of cgzf_2022_summary [quote-in-source]"
    ]


def test_validate_project_reports_an_unreadable_file_instead_of_raising(tmp_path: Path) -> None:
    shutil.copytree(paths.data_dir(), tmp_path / "data")
    rewrite(tmp_path / "data" / "scopes.csv", "gbk")
    (problem,) = validate_project(tmp_path)
    assert (problem.file, problem.rule) == ("data/scopes.csv", "encoding")


# -- 2. markup in the data ------------------------------------------------------------------


PLAIN_CELLS = [  # (table, key, column) of a row of the synthetic data, for each plain-text column
    ("scopes", "fengxian", "name_zh"),
    ("scopes", "fengxian", "name_en"),
    ("sources", "supp_2019_first_day", "title"),
    ("sources", "supp_2019_first_day", "issuer"),
    ("sources", "supp_2019_first_day", "issuer_zh"),
    ("sources", "supp_2019_first_day", "issuer_en"),
    ("sources", "supp_2019_first_day", "title_zh"),
    ("sources", "supp_2019_first_day", "title_en"),
    ("series", "garbage_sorting_cases", "name_zh"),
    ("series", "garbage_sorting_cases", "name_en"),
    ("domains", "garbage_sorting", "name_zh"),
    ("domains", "garbage_sorting", "name_en"),
    ("domains", "garbage_sorting", "part"),
    ("indicators", "littering_cases", "name_zh"),
    ("indicators", "littering_cases", "name_en"),
    ("events", "lockdown_2022", "name_zh"),
    ("events", "lockdown_2022", "name_en"),
]


def test_every_plain_text_column_is_covered_here() -> None:
    declared = {(t.name, f.name) for t in TABLES for f in t.fields if f.plain}
    assert declared == {(table, column) for table, _, column in PLAIN_CELLS}


@pytest.mark.parametrize(("table", "key", "column"), PLAIN_CELLS)
def test_markup_in_a_name_or_label_is_refused(data: Path, table: str, key: str,
                                              column: str) -> None:
    set_cell(data, table, key, column, f"奉贤区{PAYLOAD}")
    partner = {"title_zh": "title_en", "title_en": "title_zh"}.get(column)
    if partner:  # a text kept in two languages is given in both
        set_cell(data, table, key, partner, "奉贤区")
    (problem,) = validate(data)
    assert (problem.file, problem.column, problem.rule) == (f"data/{table}.csv", column,
                                                            "no-markup")
    assert str(problem).endswith(
        f"column {column}: '奉贤区{PAYLOAD}' holds markup ('<'): names and labels are plain "
        "text, shown on web pages; write it without < > ` or &…; [no-markup]")


@pytest.mark.parametrize("text", ["A &amp; B", "&#60;b&#62;", "`code`", "x > y"])
def test_entities_code_spans_and_brackets_are_markup(data: Path, text: str) -> None:
    set_cell(data, "indicators", "littering_cases", "name_en", text)
    assert [p.rule for p in validate(data)] == ["no-markup"]


def test_a_plain_ampersand_is_not_markup(data: Path) -> None:
    set_cell(data, "indicators", "littering_cases", "name_en", "Littering & dumping cases")
    assert validate(data) == []


def test_markup_in_a_note_is_not_refused_but_kept_verbatim(data: Path) -> None:
    # Notes and quotes are free or verbatim text: the pages escape them when they render.
    set_cell(data, "observations", "illegal_building_cases_2022", "note_zh", f"说明 {PAYLOAD}")
    set_cell(data, "observations", "illegal_building_cases_2022", "note_en", f"a note {PAYLOAD}")
    assert validate(data) == []
    note = load.load_observations(data_dir=data, lang="en").set_index("observation_id").loc[
        "illegal_building_cases_2022", "note"]
    assert note == f"a note {PAYLOAD}"


# -- 4. encodings ---------------------------------------------------------------------------


def test_a_utf8_bom_is_accepted_by_validator_and_loader_alike(data: Path) -> None:
    before = load_everything(data)
    for table in TABLES:
        rewrite(data / table.filename, "utf-8-sig")
        assert (data / table.filename).read_bytes().startswith(codecs.BOM_UTF8)
    assert validate(data) == []
    after = load_everything(data)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(after[name], frame, obj=name)


def test_a_utf8_bom_in_scopes_is_accepted_for_parameter_vocabularies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from chengguan import params

    shutil.copytree(paths.data_dir(), tmp_path / "data")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    rewrite(tmp_path / "data" / "scopes.csv", "utf-8-sig")
    monkeypatch.setenv("CHENGGUAN_ROOT", str(tmp_path))
    assert "huangpu" in params.vocabulary("districts")


def test_a_bom_on_a_raw_document_is_ignored(data: Path) -> None:
    from chengguan import sources

    raw = data / "raw" / "000_9eaa17e5f8f0eda1.txt"
    text = sources.raw_text("cgzf_2022_summary", data)
    raw.write_bytes(codecs.BOM_UTF8 + raw.read_bytes())
    assert sources.raw_text("cgzf_2022_summary", data) == text


GBK_MESSAGE = (
    "the file is not UTF-8 (its first other byte is on this line): it is GBK/GB18030 (what "
    "Excel's plain \"CSV\" writes on a Chinese system); save it as \"CSV UTF-8\" in Excel, or "
    "convert it: iconv -f GB18030 -t UTF-8 OLD > NEW")


# An unreadable table is one problem, which names the tables not checked against it (issue 20).
SCOPES_USERS = ("; what refers to it (data/sources.csv, data/observations.csv, data/recognitions.csv) "
                "is not checked against it until it is fixed")


def test_a_gbk_table_gives_one_message_naming_file_line_and_encoding(data: Path) -> None:
    rewrite(data / "scopes.csv", "gbk")  # line 1 is ASCII; line 2 holds 上海市
    assert messages(data) == [f"data/scopes.csv:2: {GBK_MESSAGE}{SCOPES_USERS} [encoding]"]


def test_a_gbk_table_is_refused_by_the_loader_with_the_same_message(data: Path) -> None:
    rewrite(data / "scopes.csv", "gbk")
    with pytest.raises(TableReadError) as error:
        load.load_observations(data_dir=data)
    assert str(error.value) == f"data/scopes.csv:2: {GBK_MESSAGE}"


def test_a_utf16_table_is_named_as_such(data: Path) -> None:
    rewrite(data / "domains.csv", "utf-16")
    (message,) = messages(data)
    assert message.startswith(
        "data/domains.csv: the file is UTF-16 (it starts with a UTF-16 byte-order mark), not "
        "UTF-8; save it as \"CSV UTF-8\" in Excel, or convert it: iconv -f GB18030 -t UTF-8 "
        "OLD > NEW; what refers to it (")
    assert message.endswith(") is not checked against it until it is fixed [encoding]")


def test_a_gbk_raw_document_is_one_problem_of_its_source(data: Path) -> None:
    rewrite(data / "raw" / "000_9eaa17e5f8f0eda1.txt", "gb18030")
    problems = validate(data)
    rules = {(p.file, p.column, p.rule) for p in problems}
    assert ("data/sources.csv", "raw_path", "raw-file") in rules
    raw_file = [str(p) for p in problems if p.rule == "raw-file"][0]
    assert raw_file == (  # line 3 is the first with Chinese text
        "data/sources.csv:2: column raw_path: 'raw/000_9eaa17e5f8f0eda1.txt' cannot be read: "
        "data/raw/000_9eaa17e5f8f0eda1.txt:3: the file is not UTF-8 (its first other byte is on "
        "this line): it is GBK/GB18030 (what Excel's plain \"CSV\" writes on a Chinese system); "
        "convert it to UTF-8: iconv -f GB18030 -t UTF-8 OLD > NEW [raw-file]")


def test_the_cli_validate_reports_a_gbk_table_without_a_traceback(data: Path) -> None:
    rewrite(data / "scopes.csv", "gbk")
    result = subprocess.run([BIN / "chengguan-data", "--data-dir", data, "validate"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stdout == f"data/scopes.csv:2: {GBK_MESSAGE}{SCOPES_USERS} [encoding]\n"
    assert "Traceback" not in result.stderr


def test_the_build_dry_run_refuses_a_gbk_table_without_a_traceback(tmp_path: Path) -> None:
    root = paths.project_root()
    for name in ("data", "notebooks"):
        shutil.copytree(root / name, tmp_path / name)
    shutil.copy(root / "reports.toml", tmp_path / "reports.toml")
    rewrite(tmp_path / "data" / "scopes.csv", "gbk")
    result = subprocess.run([BIN / "chengguan-build", "--root", tmp_path, "--dry-run"],
                            capture_output=True, text=True, timeout=300,
                            env={**_environ(), "CHENGGUAN_ROOT": str(tmp_path)})
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert f"data/scopes.csv:2: {GBK_MESSAGE}" in output
    assert "Traceback" not in output


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)


# -- 4. a quote left open -------------------------------------------------------------------


def test_an_unclosed_quote_running_to_the_end_is_reported_where_it_opens(data: Path) -> None:
    scopes = data / "scopes.csv"
    assert '"' not in scopes.read_text(encoding="utf-8")  # nothing after it closes the quote
    replace_line(scopes, 2, ",上海市,", ',"上海市,')
    expected = ("data/scopes.csv:2: a quoted field opens in this row and is never closed: it "
                "swallows every line to the end of the file; add the closing quote")
    assert messages(data) == [f"{expected}{SCOPES_USERS} [csv]"]
    with pytest.raises(TableReadError) as error:
        load.load_observations(data_dir=data)
    assert str(error.value) == expected


def test_an_unclosed_quote_that_swallows_rows_is_reported_where_it_opens(tmp_path: Path) -> None:
    shutil.copytree(paths.data_dir(), tmp_path / "data")
    observations = tmp_path / "data" / "observations.csv"
    replace_line(observations, 5, ",检查住宅小区", ',"检查住宅小区')
    (problem,) = validate(tmp_path / "data")
    assert (problem.file, problem.line, problem.rule) == ("data/observations.csv", 5, "csv")
    assert "a quoted field opens in this row" in problem.message
    assert "a closing quote is probably missing in this row" in problem.message
    with pytest.raises(TableReadError, match=r"^data/observations.csv:5: a quoted field opens"):
        load.load_observations(data_dir=tmp_path / "data")


def test_a_quote_closed_rows_later_is_a_line_break_reported_where_it_opens(data: Path) -> None:
    rows = read_table(data, "scopes")
    rows[0]["name_en"] = "Shanghai\nfengxian,district,奉贤区,Fengxian"  # the next row, swallowed
    write_table(data, "scopes", rows[:1])
    assert len(read_csv(data / "scopes.csv")) == 1  # the reader sees one row ...
    (problem,) = [p for p in validate(data) if p.rule == "line-break"]
    assert str(problem) == (  # ... and the validator says where it starts
        "data/scopes.csv:2: column name_en: 'Shanghai' holds a line break (the field runs from "
        "this line to line 3): a quoted field left open swallows the rows after it, so close "
        "the quote [line-break]")
    with pytest.raises(TableReadError, match=r"^data/scopes.csv:2: column name_en: a quoted "
                                             r"field opens on this line and runs on to line 3"):
        load.load_scopes(data)


def test_a_note_may_run_over_several_lines(data: Path) -> None:
    set_cell(data, "observations", "illegal_building_cases_2022", "note_zh", "第一行\n第二行")
    set_cell(data, "observations", "illegal_building_cases_2022", "note_en", "first\nsecond")
    assert validate(data) == []
    assert load.load_observations(data_dir=data).note.str.contains("\n").any()


# -- 6. loader errors name file and line ----------------------------------------------------


def test_a_loader_type_error_names_file_line_and_column(data: Path) -> None:
    set_cell(data, "observations", "garbage_education_2022", "value", "54,339")
    with pytest.raises(TableReadError) as error:
        load.load_observations(data_dir=data)
    assert str(error.value) == (
        "data/observations.csv:5: column value: '54,339' is not a number (digits with an "
        "optional decimal point); run `chengguan-data validate` for every problem")


def test_a_loader_error_for_a_missing_column_names_the_header_line(data: Path) -> None:
    rows = read_table(data, "domains")
    path = data / "domains.csv"
    text = path.read_text(encoding="utf-8").replace("name_en", "name_english", 1)
    path.write_text(text, encoding="utf-8")
    assert rows  # the table is not empty: the header alone is wrong
    with pytest.raises(TableReadError) as error:
        load.load_domains(data)
    assert str(error.value) == ("data/domains.csv:1: column name_en is missing from the header; "
                                "run `chengguan-data validate` for every problem")


# -- 2. markup in the data never reaches a page unescaped ------------------------------------


def test_the_payload_reaches_every_text_column_and_loads_verbatim(tmp_path: Path) -> None:
    from payloads import PAYLOAD, poison, text_columns

    data = poison(paths.data_dir(), tmp_path / "data")
    assert all(text_columns(t) for t in TABLES)  # every table has a text column to poison
    observations = load.load_observations(data_dir=data, lang="en")
    assert observations.quote.str.endswith(PAYLOAD).all()
    assert observations.indicator.str.endswith(PAYLOAD).all()
    assert observations.scope_name.str.endswith(PAYLOAD).all()
    assert load.load_sources(data).title.str.endswith(PAYLOAD).all()
    # The build refuses such tables (names and labels hold markup) ...
    assert {p.rule for p in validate(data)} >= {"no-markup"}


POISONED_RUNS = {
    "garbage": ("garbage_sorting", {"lang": "zh"}),
    "demolition": ("illegal_construction", {"lang": "en"}),
    "nonsite": ("nonsite_enforcement", {"lang": "zh"}),
    "residential": ("residential_communities", {"lang": "en"}),
    "street": ("street_environment", {"lang": "zh"}),
    "operations": ("major_operations", {"lang": "en"}),
    "district": ("district_profile", {"lang": "en", "district": "xuhui"}),
    "epidemic": ("epidemic_duty", {"lang": "en"}),
    "ecology": ("ecology_construction_waste", {"lang": "zh"}),
    "workforce": ("workforce_supervision", {"lang": "en"}),
    "safety": ("urban_safety", {"lang": "zh"}),
    "community": ("community_law", {"lang": "zh"}),
    "districts": ("districts_side_by_side", {"lang": "en"}),
    "plan": ("plan_2023", {"lang": "zh"}),
    "overview": ("overview_2022", {"lang": "en"}),
    "reform": ("reform_coordination", {"lang": "zh"}),
}


@pytest.mark.notebooks  # starts kernels
def test_no_notebook_emits_data_markup_unescaped(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """... and if they reached a kernel anyway, every report escapes them (the second defence).

    Every domain notebook runs on tables with the payload in every text cell; no output that a
    browser renders as markup (HTML, Markdown, SVG) and no rendered page holds a live tag.
    """
    from notebook_runs import execute_all, outputs
    from payloads import ESCAPED, LIVE, poison

    poison(paths.data_dir(), tmp_path / "project" / "data")
    shutil.copy(paths.project_root() / "reports.toml", tmp_path / "project" / "reports.toml")
    shutil.copytree(paths.notebooks_dir(), tmp_path / "project" / "notebooks")
    monkeypatch.setenv("CHENGGUAN_ROOT", str(tmp_path / "project"))
    executed = execute_all(POISONED_RUNS, tmp_path)
    live: list[str] = []
    escaped = 0
    for name, nb in executed.items():
        for output in outputs(nb):
            for mime, content in output.get("data", {}).items():
                text = content if isinstance(content, str) else "".join(content)
                if mime in ("text/html", "text/markdown", "image/svg+xml"):
                    live += [f"{name}: {mime}: …{text[max(0, m.start() - 60):m.end()]}"
                             for m in LIVE.finditer(text)]
                    escaped += sum(text.count(e) for e in ESCAPED)
    # The pages the engine published for them (Markdown rendered to HTML, plain text in <pre>): the
    # site's pages, and what `jupyter nbconvert --to chengguan` writes for a shared notebook.
    for name in executed:
        page = (tmp_path / "outputs" / f"{name}.html").read_text(encoding="utf-8")
        live += [f"{name}: page: …{page[max(0, m.start() - 60):m.end()]}"
                 for m in LIVE.finditer(page)]
        assert any(e in page for e in ESCAPED), f"{name}: the payload did not reach the page"
    assert not live, "\n".join(live)
    assert escaped > 0  # the payload did reach the outputs, escaped


def test_the_display_helpers_escape_every_text_of_the_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chengguan.display turns frames into HTML: no payload of the data survives as a tag."""
    import matplotlib.pyplot as plt

    from chengguan import display
    from payloads import ESCAPED, LIVE, PAYLOAD, poison

    poison(paths.data_dir(), tmp_path / "project" / "data")
    monkeypatch.setenv("CHENGGUAN_ROOT", str(tmp_path / "project"))
    shown: list[dict] = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    pages = []
    for lang in ("zh", "en"):
        obs = load.load_observations(lang=lang)
        assert obs.quote.str.endswith(PAYLOAD).all()
        pages += [display.figures(obs, lang)._repr_html_(),
                  display.sources(obs, lang)._repr_html_(),
                  display.table(obs.drop(columns=["period_start", "period_end"]))._repr_html_()]
        results = pd.DataFrame({"name": ["a"], "label": [obs.indicator.iloc[0]], "value": [1.0],
                                "unit": [obs.scope_name.iloc[0]], "lower": [float("nan")],
                                "upper": [float("nan")], "headline": [True]})
        display.show_key_results(results, lang)
        figure = plt.figure()
        display.show_figure(figure, alt=f"chart of {obs.indicator.iloc[0]}")
    pages += [item["text/html"] for item in shown]
    assert len(pages) == 10
    for page in pages:
        assert not LIVE.search(page), page[:200]
        assert any(e in page or e.replace("&gt;", ">") in page for e in ESCAPED)
    assert "<" not in display.md_esc(PAYLOAD)


# == Engine side (chengguan-build): items 1, 3, 5 and 6 ========================================
# Each test builds a throwaway copy of tests/fixtures (small notebooks, one kernel each).


def _project(tmp_path: Path):
    from fixtures.project import make_project

    return make_project(tmp_path / "project")


def _build(layout, *patterns: str, **options):
    from fixtures.project import run_build

    return run_build(layout, *patterns, **options)


def _cli(layout, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in _environ().items() if k != "CHENGGUAN_ROOT"}
    return subprocess.run([BIN / "chengguan-build", "--root", layout.root, "--outputs", layout.outputs, *args],
                          capture_output=True, text=True, timeout=timeout, env=env)


# -- 1. the build validates the tables first and refuses invalid ones --------------------------


def _with_validator(layout, monkeypatch: pytest.MonkeyPatch, problems: list[str]) -> Path:
    """A validator module (counting its calls) named in the project's manifest."""
    module = layout.root / "fake_tables_check.py"
    module.write_text(
        "import json, pathlib\n"
        "CALLS = []\n"
        "def check(root):\n"
        "    CALLS.append(root)\n"
        "    return json.loads((pathlib.Path(root) / 'problems.json').read_text())\n", encoding="utf-8")
    (layout.root / "problems.json").write_text(__import__("json").dumps(problems), encoding="utf-8")
    text = layout.manifest.read_text(encoding="utf-8")
    layout.manifest.write_text(text.replace('libraries = ["chengguan"]\n',
                                            'libraries = ["chengguan"]\nvalidate = "fake_tables_check:check"\n'),
                               encoding="utf-8")
    monkeypatch.syspath_prepend(str(layout.root))
    sys.modules.pop("fake_tables_check", None)
    return layout.root / "problems.json"


def test_invalid_tables_refuse_the_build_before_any_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    layout = _project(tmp_path)
    _with_validator(layout, monkeypatch, ["data/observations.csv:3: column value: '2' is not in the quote [value]"])
    events: list = []
    code, out, err = _build(layout, "good-zh", on_event=events.append)
    assert code == 2
    assert "the data tables are invalid (1 problem(s)); nothing was built" in err
    assert "data/observations.csv:3: column value: '2' is not in the quote [value]" in err
    assert events == [] and not layout.outputs.exists()  # no worker, no kernel, nothing written


def test_the_validator_runs_again_only_when_the_data_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    layout = _project(tmp_path)
    problems = _with_validator(layout, monkeypatch, [])
    assert _build(layout, "good-zh", dry_run=True)[0] == 0
    import fake_tables_check

    assert len(fake_tables_check.CALLS) == 1
    (layout.outputs / ".build").mkdir(parents=True)
    from reportbuild.state import BuildState

    # A build records what it validated; the next one with the same data skips the validator.
    state = BuildState.load(layout.state_file)
    from reportbuild.build import BuildOptions as Options
    from reportbuild.build import check_tables, prepare

    manifest, _, _ = prepare(layout, Options())
    _, state.validated = check_tables(manifest, layout, state)
    state.save(layout.state_file)
    calls = len(fake_tables_check.CALLS)
    assert _build(layout, "good-zh", dry_run=True)[0] == 0
    assert len(fake_tables_check.CALLS) == calls
    problems.write_text('["data/scopes.csv:2: bad"]', encoding="utf-8")
    (layout.data / "scopes.csv").write_text((layout.data / "scopes.csv").read_text() + "x,city,x,X\n")
    code, _, err = _build(layout, "good-zh", dry_run=True)
    assert code == 2 and "data/scopes.csv:2: bad" in err


def test_the_real_validator_refuses_a_number_not_in_the_source(tmp_path: Path) -> None:
    """The issue's reproduction: a changed value and quote; the build exits 2 with the validator's message."""
    root = paths.project_root()
    for name in ("data", "notebooks"):
        shutil.copytree(root / name, tmp_path / name)
    shutil.copy(root / "reports.toml", tmp_path / "reports.toml")
    replace_line(tmp_path / "data" / "observations.csv", 2, "组建 49 人党员干部突击队", "组建 94 人党员干部突击队")
    result = subprocess.run([BIN / "chengguan-build", "--root", tmp_path, "--outputs", tmp_path / "outputs"],
                            capture_output=True, text=True, timeout=300, env=_environ())
    assert result.returncode == 2, result.stdout + result.stderr
    assert ("data/observations.csv:2: column quote: '组建 94 人党员干部突击队' does not occur in the "
            "normalized text of cgzf_2022_summary [quote-in-source]") in result.stderr
    assert not (tmp_path / "outputs").exists()


# -- 3. signals: SIGTERM and SIGHUP like Ctrl-C; no worker outlives the build ------------------


def _start_hung_build(layout) -> tuple[subprocess.Popen, list[int]]:
    """`chengguan-build hung` in the background, once its worker runs the hung cell."""
    import time

    from fixtures.project import own_fork_servers

    # Its own fork servers, below its workers: the tests read the process tree.
    env = own_fork_servers({k: v for k, v in _environ().items() if k != "CHENGGUAN_ROOT"})
    process = subprocess.Popen([BIN / "chengguan-build", "--root", layout.root, "--outputs", layout.outputs,
                                "--timeout", "300", "hung"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    deadline = time.monotonic() + 240
    workers: list[int] = []
    while time.monotonic() < deadline:
        workers = children(process.pid)
        # A worker with a process of its own (the fork server it starts with its first kernel):
        # the run is under way.
        if workers and any(children(w) for w in workers):
            break
        time.sleep(0.3)
    assert workers, "the build started no worker"
    return process, workers


@pytest.mark.notebooks  # starts kernels
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(("signum", "code"), [(15, 143), (1, 129)], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_stop_the_build_like_ctrl_c(tmp_path: Path, signum: int, code: int) -> None:
    import os

    layout = _project(tmp_path)
    process, workers = _start_hung_build(layout)
    below = [p for w in workers for p in descendants(w)]  # their fork servers and kernels
    os.kill(process.pid, signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == code, out + err
    assert "interrupted" in out and "the next build resumes" in out
    assert gone(workers + below), "a worker, its fork server or a kernel outlived the build"
    # The lock is free again: the next build is not refused.
    assert _cli(layout, "--dry-run").returncode == 0


@pytest.mark.notebooks  # starts kernels
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_exit_when_the_build_is_killed(tmp_path: Path) -> None:
    """kill -9 cannot be handled; the workers notice their parent died and stop (no unlocked writes)."""
    import os
    import signal

    layout = _project(tmp_path)
    process, workers = _start_hung_build(layout)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert gone(workers), "a worker outlived its killed build and could write outputs/ without the lock"


# -- 5. unwritable outputs/ or a full disk: one message, exit 2, reports whole -----------------


def test_an_unwritable_outputs_folder_is_one_message_and_exit_2(tmp_path: Path) -> None:
    layout = _project(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where outputs/ should go\n", encoding="utf-8")
    env = {k: v for k, v in _environ().items() if k != "CHENGGUAN_ROOT"}
    result = subprocess.run([BIN / "chengguan-build", "--root", layout.root, "--outputs", blocker / "outputs",
                             "good-zh"], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 2
    assert "chengguan-build: cannot write" in result.stderr and "Not a directory" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.notebooks  # starts kernels
def test_a_full_disk_while_publishing_keeps_the_last_good_pair(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from reportbuild import guard

    layout = _project(tmp_path)
    assert _build(layout, "good-zh")[0] == 0
    before = {p: p.read_bytes() for p in (layout.ipynb("good-zh"), layout.html("good-zh"))}
    original = guard._temporary

    def full_disk(path: Path, data: bytes) -> str:
        if path.suffix == ".html":  # the notebook's temporary file is written, the HTML's is not
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(path, data)

    monkeypatch.setattr(guard, "_temporary", full_disk)  # inherited by the forked workers
    code, out, err = _build(layout, "good-zh", force=True, jobs=1)
    assert code == 2
    assert f"cannot write {layout.html('good-zh')}: No space left on device" in err
    assert "every report in" in err and "is whole, from its last good build" in err
    assert {p: p.read_bytes() for p in before} == before  # neither file of the pair changed
    assert not [p for p in layout.outputs.iterdir() if p.name.endswith(".tmp")]


# -- 6. small ones ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon"])
def test_a_timeout_that_would_disable_the_limit_is_refused(tmp_path: Path, value: str) -> None:
    layout = _project(tmp_path)
    result = _cli(layout, f"--timeout={value}", "--dry-run", timeout=120)
    assert result.returncode == 2
    assert "--timeout" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.notebooks  # starts kernels
def test_a_fractional_timeout_is_honoured(tmp_path: Path) -> None:
    layout = _project(tmp_path)
    code, out, _ = _build(layout, "hung", timeout=0.5, jobs=1)
    assert code == 1
    assert "the cell did not finish within 0.5 s (per-cell timeout)" in out


def test_root_decides_the_vocabularies_too(tmp_path: Path) -> None:
    """A district that exists only in the --root copy's data is accepted there (and only there)."""
    layout = _project(tmp_path)
    (layout.root / "notebooks" / "district.ipynb").write_text(
        (layout.root / "notebooks" / "hung.ipynb").read_text(encoding="utf-8")
        .replace('lang = \\"zh\\"  # language', 'district = \\"newtown\\"  # a district'), encoding="utf-8")
    with open(layout.manifest, "a", encoding="utf-8") as f:
        f.write('\n[notebooks.district.parameters]\ndistrict = { choices = "districts" }\n'
                '\n[[runs]]\nname = "d"\nnotebook = "district"\ntitle = "D"\n')
    assert "newtown" not in (paths.data_dir() / "scopes.csv").read_text(encoding="utf-8")
    result = _cli(layout, "--dry-run", "d")
    assert result.returncode == 2 and "'newtown' is not one of 'huangpu', 'xuhui'" in result.stderr
    with open(layout.data / "scopes.csv", "a", encoding="utf-8") as f:
        f.write("newtown,district,新城区,Newtown\n")
    result = _cli(layout, "--dry-run", "d")
    assert result.returncode == 0, result.stderr
    assert "would run" in result.stdout


def test_a_same_size_edit_with_its_mtime_restored_is_seen(tmp_path: Path) -> None:
    import os

    from fixtures.project import VERSIONS

    layout = _project(tmp_path)
    from reportbuild.build import BuildOptions, prepare
    from reportbuild.plan import plan
    from reportbuild.state import BuildState, RunRecord

    def decide() -> str:
        manifest, runs, params = prepare(layout, BuildOptions(patterns=["good-zh"]))
        state = BuildState.load(layout.state_file)
        (d,) = plan(runs, params, manifest, layout, state, versions=VERSIONS)
        state.save(layout.state_file)
        return d.describe(), d, state

    _, d, state = decide()
    state.runs["good-zh"] = RunRecord(status="ok", fingerprint=d.fingerprint.to_dict())
    state.save(layout.state_file)
    layout.ipynb("good-zh").write_text("{}", encoding="utf-8")
    layout.html("good-zh").write_text("<html></html>", encoding="utf-8")
    layout.results("good-zh").write_text("{}", encoding="utf-8")
    assert decide()[0] == "up to date"
    scopes = layout.data / "scopes.csv"
    stat = scopes.stat()
    scopes.write_text(scopes.read_text(encoding="utf-8").replace("Huangpu", "Huangpo"), encoding="utf-8")
    os.utime(scopes, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert scopes.stat().st_size == stat.st_size and scopes.stat().st_mtime_ns == stat.st_mtime_ns
    assert decide()[0].startswith("would run: data changed")


def test_run_names_whose_outputs_clash_are_refused(tmp_path: Path) -> None:
    layout = _project(tmp_path)
    with open(layout.manifest, "a", encoding="utf-8") as f:
        f.write('\n[[runs]]\nname = "failing.failed"\nnotebook = "good"\ntitle = "clash"\n')
    code, _, err = _build(layout, "good-zh", dry_run=True)
    assert code == 2
    assert "runs 'failing' and 'failing.failed' both write outputs/failing.failed.ipynb" in err


@pytest.mark.notebooks  # starts kernels
def test_make_reports_fails_with_the_engine_code_named(tmp_path: Path) -> None:
    """GNU make can only exit 0 or 2: a failing build makes it exit 2 and name the engine's code."""
    layout = _project(tmp_path)
    root = paths.project_root()
    if shutil.which("make") is None:
        pytest.skip("no make")
    args = f"--root {layout.root} --outputs {layout.outputs} failing"
    result = subprocess.run(["make", "-s", "-C", str(root), "reports", f"ARGS={args}"], capture_output=True,
                            text=True, timeout=300, env=_environ())
    assert result.returncode == 2, result.stdout + result.stderr
    assert "reports] Error 1" in result.stderr
    ok = subprocess.run(["make", "-s", "-C", str(root), "reports", f"ARGS={args[:-len('failing')]} good-zh"],
                        capture_output=True, text=True, timeout=300, env=_environ())
    assert ok.returncode == 0, ok.stdout + ok.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals as on Linux")
def test_a_worker_whose_stop_is_swallowed_still_ends(tmp_path: Path) -> None:
    """A worker's SIGTERM raises SystemExit; where Python drops that exception (a weakref callback
    of the import system), the worker still ends, with the signal's exit code, after the grace
    (shortened here to half a second)."""
    import signal
    import time

    ready = tmp_path / "ready"
    program = (
        "import signal, sys, time, pathlib\n"
        "from reportbuild import workers\n"
        "workers.SHUTDOWN_GRACE_SECONDS = 0.5\n"
        "signal.signal(signal.SIGTERM, workers._on_sigterm)\n"
        f"pathlib.Path({str(ready)!r}).touch()\n"
        "while True:\n"
        "    try:\n"
        "        time.sleep(0.05)\n"
        "    except SystemExit:\n"
        "        pass  # dropped, as Python drops it in a weakref callback\n"
    )
    process = subprocess.Popen([sys.executable, "-c", program])
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 128 + signal.SIGTERM
