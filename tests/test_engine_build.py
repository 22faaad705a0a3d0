"""The engine end to end, on small fixture notebooks with real kernels.

One build of the fixture project (good runs, a failing run, a hung run) is shared; tests that
change things work on a copy of it.
"""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest
from fixtures.project import layout_of, make_project, run_build

from reportbuild.guard import BuildLock
from reportbuild.messages import Result
from reportbuild.state import BuildState

pytestmark = pytest.mark.notebooks  # starts kernels: `make test-quick` leaves this module out


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    layout = make_project(tmp_path_factory.mktemp("project"))
    started = time.perf_counter()
    code, out, err = run_build(layout, "good-zh", "good-en", "failing", "hung", jobs=2)
    return layout, code, out, err, time.perf_counter() - started


@pytest.fixture
def project(first_build, tmp_path):
    """A private copy of the built project."""
    shutil.copytree(first_build[0].root, tmp_path / "p")
    return layout_of(tmp_path / "p")


def test_a_failure_is_contained_and_reported(first_build):
    layout, code, out, _, _ = first_build
    assert code == 1
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:5]}
    assert rows == {"good-zh": "ran", "good-en": "ran", "failing": "failed", "hung": "failed"}
    assert "FAILED failing: notebooks/failing.ipynb, cell 4, line 3: error in `ratio = x / y`\n" \
           "    ZeroDivisionError: division by zero\n" \
           "    executed notebook: outputs/failing.failed.ipynb\n" in out
    for name in ("good-zh", "good-en"):
        assert layout.html(name).is_file() and layout.ipynb(name).is_file()
    assert layout.failed("failing").is_file() and not layout.html("failing").exists()
    failed = json.loads(layout.failed("failing").read_text(encoding="utf-8"))
    assert any(o.get("ename") == "ZeroDivisionError" for c in failed["cells"] for o in c.get("outputs", []))


def test_the_timeout_stops_a_hung_cell(first_build):
    layout, _, out, _, seconds = first_build
    assert "FAILED hung: notebooks/hung.ipynb, cell 3: timeout\n" \
           "    the cell did not finish within 2 s (per-cell timeout)" in out
    assert seconds < 600  # the cell sleeps for 600 s: only the timeout ends the build sooner
    assert BuildState.load(layout.state_file).runs["hung"].status == "failed"


def test_the_progress_log_has_one_line_per_event(first_build):
    err = first_build[3]
    assert "\r" not in err
    assert re.search(r"^\[\d/4 +[\d.]+s\] start  good-zh$", err, re.M)
    assert re.search(r"^\[\d/4 +[\d.]+s\] failed      hung \([\d.]+ s\)$", err, re.M)


def test_the_site_lists_every_run(first_build):
    layout = first_build[0]
    index = layout.index.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in index
    assert '<a href="good-zh.html">示例报告 · Example report</a>' in index  # the report's own title
    assert 'class="mark mark-failed"' in index
    assert 'class="mark mark-not-built"' in index  # good-scaled was not selected
    details = (layout.outputs / "build.html").read_text(encoding="utf-8")
    assert "<code>lang = en</code>" in details and "ZeroDivisionError" in details


def test_nothing_changed_is_a_noop(project):
    """No worker, no kernel, nothing written (its speed is measured by `make bench`, not here)."""
    run_build(project, "good-zh", "good-en")  # the copy has new inodes: this one refreshes the stat cache
    events: list = []
    state = project.state_file.stat().st_mtime_ns
    code, out, err = run_build(project, "good-zh", "good-en", on_event=events.append)
    assert events == [] and project.state_file.stat().st_mtime_ns == state
    assert code == 0 and err == ""
    assert out.splitlines()[1:] == ["good-zh  skipped", "good-en  skipped"]


def test_a_markdown_edit_rerenders_without_executing(project):
    path = project.root / "notebooks" / "good.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].insert(4, {"cell_type": "markdown", "id": "new", "metadata": {}, "source": ["新的说明 · A new note"]})
    path.write_text(json.dumps(nb), encoding="utf-8")
    before = json.loads(project.ipynb("good-zh").read_text(encoding="utf-8"))
    code, out, _ = run_build(project, "good-zh")
    assert code == 0 and "good-zh  re-rendered" in out
    after = json.loads(project.ipynb("good-zh").read_text(encoding="utf-8"))
    assert "新的说明 · A new note" in project.html("good-zh").read_text(encoding="utf-8")
    old_code = [c for c in before["cells"] if c["cell_type"] == "code"]
    new_code = [c for c in after["cells"] if c["cell_type"] == "code"]
    assert new_code == old_code  # same outputs, same execution metadata: nothing re-executed


def test_a_failed_rerun_keeps_the_last_good_report(project):
    good_html = project.html("good-zh").read_bytes()
    path = project.root / "notebooks" / "good.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][3]["source"].append('\nraise RuntimeError("数据有误")')
    path.write_text(json.dumps(nb), encoding="utf-8")
    code, out, _ = run_build(project, "good-zh")
    assert code == 1
    assert "FAILED good-zh: notebooks/good.ipynb, cell 4, line 6: error in `raise RuntimeError(\"数据有误\")`" in out
    assert "    last good report kept: outputs/good-zh.html" in out
    assert project.html("good-zh").read_bytes() == good_html
    assert project.failed("good-zh").is_file()
    # Fixed again: it runs, and the failed notebook beside it is gone.
    nb["cells"][3]["source"].pop()
    path.write_text(json.dumps(nb), encoding="utf-8")
    code, out, _ = run_build(project, "good-zh")
    assert code == 0 and "good-zh  ran" in out and not project.failed("good-zh").exists()


def test_an_interrupted_build_keeps_outputs_and_resumes(project):
    # A library edit: both good runs now need to run (they read no data file, so a data edit would not do).
    (project.libraries[0] / "stats.py").write_text("ALPHA = 0.01\n", encoding="utf-8")
    before = {name: project.html(name).read_bytes() for name in ("good-zh", "good-en")}

    def interrupt_after_first_result(event):
        if isinstance(event, Result):
            raise KeyboardInterrupt

    code, out, _ = run_build(project, "good-zh", "good-en", jobs=1, on_event=interrupt_after_first_result)
    assert code == 130 and "interrupted: 1 run(s) finished, 1 left" in out
    finished = next(n for n in before if f"{n}  ran" in out)
    remaining = next(n for n in before if n != finished)
    assert project.html(remaining).read_bytes() == before[remaining]  # untouched
    assert not list(project.outputs.glob(".*.tmp"))
    assert not project.lock_file.with_name("build.lock.pid").exists()

    code, out, _ = run_build(project, "good-zh", "good-en", dry_run=True)
    assert out.splitlines() == sorted([f"{finished}  up to date", f"{remaining}  would run: library changed"],
                                      key=lambda line: line.startswith("good-en"))
    code, out, _ = run_build(project, "good-zh", "good-en")
    assert code == 0 and f"{remaining}  ran" in out and f"{finished}  skipped" in out


def test_a_second_build_is_refused_while_one_runs(project):
    with BuildLock(project.lock_file):
        code, _, err = run_build(project, "good-zh")
    assert code == 2
    assert err == (f"chengguan-build: another build (pid {__import__('os').getpid()}) is writing to {project.outputs}; "
                   f"lock file: {project.lock_file}. Wait for it to finish, or pass --outputs to build elsewhere.\n")
