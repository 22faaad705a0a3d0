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
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from chengguan import paths
from chengguan.curation.cli import main
from chengguan.curation.export import WORKBOOK, ExportRefused, export
from chengguan.curation.validate import validate
from chengguan.tables.io import read_csv
from proctree import alive, children, cmdline, descendants, gone, parent
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



# == engine side ==================================================================================
# One small project (tests/fixtures) with good-zh built once; each test works on a copy. Builds
# that are killed or limited run in a child Python calling the same in-process build as the
# fixture (its own library tree), so that "up to date" does not depend on the checkout's lib/.

KERNELS = pytest.mark.notebooks  # starts kernels: left out of `make test-quick`
WAITS = pytest.mark.waits  # mostly waits on a hung cell, a timeout or a killed process (conftest.py)
LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc, forks kernels")
TESTS = Path(__file__).parent


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    from fixtures.project import make_project, run_build

    layout = make_project(tmp_path_factory.mktemp("sweep") / "project")
    code, out, err = run_build(layout, "good-zh", jobs=1)
    assert code == 0, out + err
    return layout


@pytest.fixture
def project(built, tmp_path: Path):
    from fixtures.project import layout_of

    shutil.copytree(built.root, tmp_path / "p", symlinks=True)
    return layout_of(tmp_path / "p")


def dry_run(layout) -> tuple[dict[str, str], str]:
    """What the next build would do for good-zh and hung, and its stderr."""
    from fixtures.project import run_build

    code, out, err = run_build(layout, "good-zh", "hung", dry_run=True)
    assert code == 0, out + err
    return {line.split()[0]: line.split(None, 1)[1] for line in out.splitlines() if line.strip()}, err


def leftovers(layout) -> list[str]:
    """Temporary files of atomic writes left in outputs/ (or its staging folder)."""
    return [p.name for p in layout.outputs.rglob("*")
            if p.name.endswith(".tmp") or p.name == "downloads.new"]


def reports(layout) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in layout.outputs.glob("good-zh.*")}


CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from fixtures.project import layout_of, run_build
code, out, err = run_build(layout_of(Path({root!r})), *{patterns!r}, jobs=1, **{options!r})
sys.stdout.write(out)
sys.stderr.write(err)
sys.exit(code)
"""


def child_build(layout, *patterns: str, wrap: Sequence[str] = (), preexec=None, **options):
    import os
    import subprocess

    from fixtures.project import own_fork_servers

    # Its own fork servers: the tests below look for its kernels three levels below it.
    env = own_fork_servers({k: v for k, v in os.environ.items() if k != "CHENGGUAN_ROOT"})
    code = CHILD.format(tests=str(TESTS), root=str(layout.root), patterns=patterns, options=options)
    return subprocess.Popen([*wrap, sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, preexec_fn=preexec)


def kernels_of(pid: int) -> list[int]:
    """Processes three levels below the build: worker -> fork server -> kernel."""
    level = [pid]
    for _ in range(3):
        level = [c for p in level for c in children(p)]
    return level


def running_hung(process) -> list[int]:
    """Wait until the child build's hung report runs in a kernel (3 processes deep: worker,
    fork server, kernel, alive for 3 s); the build's descendants then."""
    import time

    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if kernels_of(process.pid):
            time.sleep(3)
            return descendants(process.pid)
        time.sleep(0.3)
    raise AssertionError("the build started no kernel")


# -- a corrupt or foreign state file is named, and everything rebuilds --------------------------


@pytest.mark.parametrize(("text", "problem"), [
    ('{"format": 1, "runs": {', "is not JSON"),
    ("[]", "is not a build state (a JSON array, not an object)"),
    ("null", "is not a build state (a JSON null, not an object)"),
    ('{"format": 99}', "is of another format (99; this engine writes 1)"),
    ('{"other": "tool"}', "is of another format (None; this engine writes 1)"),
    ('{"format": 1, "runs": {"a": {"colour": "red"}}}', "is not a build state this engine can read"),
    ('{"format": 1, "runs": []}', "is not a build state this engine can read"),
    ('{"format": 1, "runs": {}, "files": []}', "is not a build state this engine can read"),
])
def test_an_unusable_state_file_says_why(tmp_path: Path, text: str, problem: str) -> None:
    from reportbuild.state import BuildState

    path = tmp_path / "state.json"
    path.write_text(text, encoding="utf-8")
    state = BuildState.load(path)
    assert state.problem is not None and state.problem.startswith(problem)
    assert state.runs == {}
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert BuildState.load(path).problem.startswith("cannot be read")
    assert BuildState.load(tmp_path / "missing.json").problem is None  # the first build: no warning


@KERNELS
def test_a_corrupt_state_is_named_and_the_build_rebuilds_then_rewrites_it(project) -> None:
    from fixtures.project import run_build

    project.state_file.write_text('{"format": 1, "runs": {"good-zh": ', encoding="utf-8")  # cut off
    plans, err = dry_run(project)
    assert "chengguan-build: warning: outputs/.build/state.json is not JSON" in err
    assert "every run is planned as new" in err
    assert plans["good-zh"].startswith("would run")
    code, out, err = run_build(project, "good-zh", jobs=1)
    assert code == 0 and err.count("warning: outputs/.build/state.json") == 1  # said once
    plans, err = dry_run(project)
    assert "state.json" not in err and plans["good-zh"] == "up to date"


# -- kill -9: of the fork server, of a kernel, of the build ---------------------------------------


@LINUX
@KERNELS
@WAITS
def test_a_killed_fork_server_is_replaced_and_no_report_fails_for_it(tmp_path: Path) -> None:
    import asyncio
    import os
    import signal

    from reportbuild import forkserver
    from reportbuild.kernels import KernelPool, _silent

    if not forkserver.available():
        pytest.skip("no fork server here")

    async def scenario() -> dict[str, object]:
        pool = KernelPool("chengguan", tmp_path, ["json"])
        seen: dict[str, object] = {}
        try:
            first = await pool.take()
            pool.prestart()  # the next kernel, forked ahead of time from the same server
            await asyncio.sleep(2)
            assert pool.server is not None and pool.server.process is not None
            old_server = pool.server.process.pid
            os.kill(old_server, signal.SIGKILL)
            await asyncio.sleep(1)
            seen["first_alive"] = alive(first.pid)  # died with its server
            await first.shutdown()
            second = await pool.take()  # the spare died too: replaced, from a new server
            content = await _silent(second, "", 60, "reading", {"v": "6 * 7"})
            seen["answer"] = content["user_expressions"]["v"]["data"]["text/plain"]
            seen["new_server"] = pool.server.process.pid != old_server
            await second.shutdown()
        finally:
            await pool.close()
        return seen

    seen = asyncio.run(scenario())
    assert seen == {"first_alive": False, "answer": "42", "new_server": True}


@LINUX
@KERNELS
@WAITS
def test_a_killed_kernel_fails_its_report_at_once_and_leaves_nothing_behind(project) -> None:
    import os
    import signal
    import time

    before = reports(project)
    process = child_build(project, "hung", timeout=120)
    started = time.monotonic()
    tree = running_hung(process)
    killed: list[int] = []
    while process.poll() is None and time.monotonic() - started < 100:
        for pid in kernels_of(process.pid):  # the kernel (and a replacement, if one starts)
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except ProcessLookupError:
                pass
        time.sleep(1)
    out, err = process.communicate(timeout=60)
    assert killed and time.monotonic() - started < 100  # not the 120 s timeout
    assert process.returncode == 1, out + err
    assert "FAILED hung" in out and "died" in out and "Traceback" not in err
    assert gone(tree + killed)
    assert leftovers(project) == [] and reports(project) == before
    plans, _ = dry_run(project)  # the lock is free, and only the killed report is due
    assert plans == {"good-zh": "up to date", "hung": "would run: previous run failed"}


@LINUX
@KERNELS
@WAITS
def test_a_build_killed_mid_run_leaves_no_process_no_partial_file_and_a_free_lock(project) -> None:
    import os
    import signal

    before = reports(project)
    process = child_build(project, "hung", timeout=120)
    tree = running_hung(process)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert gone(tree), "a worker, fork server or kernel outlived the killed build"
    assert leftovers(project) == [] and reports(project) == before
    plans, err = dry_run(project)  # not refused: the lock of a dead build is free
    assert plans["good-zh"] == "up to date" and plans["hung"].startswith("would run")
    assert "warning" not in err


# -- outputs on a full disk (RLIMIT_FSIZE: what ulimit -f sets) and read-only -------------------


@LINUX
@KERNELS
def test_a_full_disk_is_one_message_and_the_last_good_report_stays(project) -> None:
    import resource

    def limit() -> None:  # 20 kB: the notebook (20 kB) or the page (36 kB) cannot be written
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    before = reports(project)
    process = child_build(project, "good-zh", force=True, preexec=limit)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 2, out + err
    assert "chengguan-build: cannot write" in err and "File too large" in err
    assert "is whole, from its last good build" in err and "Traceback (most recent call last):\n  File" \
        not in err.split("chengguan-build: cannot write")[1]
    assert reports(project) == before and leftovers(project) == []
    plans, _ = dry_run(project)
    assert plans["good-zh"] == "up to date"  # the failed force build recorded nothing


@LINUX
@KERNELS
def test_read_only_outputs_are_one_message_and_nothing_changes(project) -> None:
    import subprocess

    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("no user namespaces here (unshare -rm) to mount outputs/ read-only")
    before = {p: p.read_bytes() for p in project.outputs.rglob("*") if p.is_file()}
    out_dir = str(project.outputs)
    wrap = ["unshare", "-rm", "sh", "-c",
            f'mount --bind "{out_dir}" "{out_dir}" && mount -o remount,bind,ro "{out_dir}" && exec "$0" "$@"']
    process = child_build(project, "good-zh", wrap=wrap, force=True)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 2, out + err
    assert "Read-only file system" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in project.outputs.rglob("*") if p.is_file()} == before


# -- downloads: an export that fails half-way leaves the last downloads as they were -----------


@KERNELS
def test_an_export_failing_half_way_leaves_the_last_downloads(project) -> None:
    from fixtures.project import run_build

    def use(target: str) -> None:
        text = project.manifest.read_text(encoding="utf-8").split("\n[site]")[0]
        project.manifest.write_text(f'{text}\n[site]\ndownloads = "{target}"\n', encoding="utf-8")

    use("fixtures.downloads:export")
    assert run_build(project, "good-zh", jobs=1)[0] == 0
    before = {p.name: p.read_bytes() for p in project.downloads.iterdir()}
    assert "scopes.csv" in before
    with open(project.data / "scopes.csv", "a", encoding="utf-8") as handle:
        handle.write("jingan,district,静安区,Jing'an\n")  # new data: exported again
    use("fixtures.downloads:fail_half_way")
    code, out, err = run_build(project, "good-zh", jobs=1)
    assert code == 0
    assert "data downloads not written (fixtures.downloads:fail_half_way): [Errno 27] File too large" in err
    assert {p.name: p.read_bytes() for p in project.downloads.iterdir()} == before
    assert leftovers(project) == []


# -- the cluster path: kill -9 of the Dask worker that runs a report -----------------------------


@KERNELS
@LINUX
@WAITS
def test_a_killed_cluster_worker_leaves_no_kernel_and_the_run_is_retried_or_failed(tmp_path: Path) -> None:
    import os
    import signal
    import threading
    import time

    pytest.importorskip("distributed", reason="the [dask] extra is not installed")
    from distributed import LocalCluster

    from fixtures.project import make_project, run_build

    layout = make_project(tmp_path / "p")
    me, killed = os.getpid(), []

    def kernels() -> list[int]:
        return [pid for pid in descendants(me) if b"ipykernel" in cmdline(pid) and alive(pid)]

    def kill_the_worker() -> None:  # the process that started the hung report's kernel
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not kernels():
            time.sleep(0.3)
        time.sleep(3)
        for kernel in kernels():
            worker = parent(kernel)
            killed.extend([kernel, worker])
            os.kill(worker, signal.SIGKILL)

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=50) as cluster:
        killer = threading.Thread(target=kill_the_worker)
        killer.start()
        code, out, err = run_build(layout, "hung", scheduler=cluster.scheduler_address, timeout=10)
        killer.join()
    assert killed, "no kernel was seen on the cluster"
    assert code == 1 and "FAILED hung" in out  # retried by Dask on a new worker, then timed out
    assert gone(killed), "the killed worker's kernel outlived it"
    assert leftovers(layout) == []
    assert run_build(layout, "hung", dry_run=True)[1].strip() == "hung  would run: previous run failed"
