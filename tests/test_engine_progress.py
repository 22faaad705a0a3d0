"""Progress lines, the summary table, atomic writes and the build lock (no kernels)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from reportbuild.guard import atomic_write_text
from reportbuild.guard import BuildLock, BuildLocked
from reportbuild.messages import Failure, Result, Started
from reportbuild.progress import Progress, summary_table


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_log_gets_one_line_per_event_and_no_carriage_returns():
    out, clock = io.StringIO(), Clock()
    progress = Progress(2, out, live=False, clock=clock)
    progress(Started("a", 0))
    clock.now += 1.5
    progress(None)  # a tick: nothing to say in a log
    progress(Result("a", "ran", 1.5))
    clock.now += 2.0
    progress(Result("b", "failed", 3.5))
    progress.finish()
    assert out.getvalue() == (
        "[0/2    0.0s] start  a\n"
        "[1/2    1.5s] ran         a (1.5 s)\n"
        "[2/2    3.5s] failed      b (3.5 s)\n"
    )


def test_a_terminal_gets_a_redrawn_status_line():
    out, clock = io.StringIO(), Clock()
    progress = Progress(3, out, live=True, clock=clock)
    progress(Started("a", 0))
    progress(Started("b", 1))
    clock.now += 4
    progress(None)
    text = out.getvalue()
    assert "\n" not in text and text.count("\r") == 3
    assert text.split("\r")[-1].startswith("[0/3    4.0s] running: a, b")
    progress(Result("a", "ran", 4.0))
    assert "\r[1/3    4.0s] ran         a (4.0 s)\n" in out.getvalue().replace(" " * 20, "")


def test_summary_table():
    assert summary_table([("garbage_sorting-zh", "ran", 4.25), ("x", "skipped", None)]) == (
        "run                 status       seconds\n"
        "garbage_sorting-zh  ran              4.2\n"
        "x                   skipped"
    )


def test_failure_description_names_cell_line_and_source():
    failure = Failure("notebooks/a.ipynb", "error", "KeyError: 'x'", cell=5, line=2, source_line="  d['x']")
    assert failure.describe() == "notebooks/a.ipynb, cell 5, line 2: error in `d['x']`\n    KeyError: 'x'"


def test_atomic_write_replaces_whole_files(tmp_path):
    path = tmp_path / "out" / "report.html"
    atomic_write_text(path, "一")
    atomic_write_text(path, "二")
    assert path.read_text(encoding="utf-8") == "二"
    assert os.listdir(path.parent) == ["report.html"]
    assert oct(path.stat().st_mode & 0o777) != oct(0o600)


def test_the_lock_refuses_a_second_build_from_another_process(tmp_path):
    lock = tmp_path / ".build" / "build.lock"
    with BuildLock(lock):
        code = (
            "import sys\nfrom pathlib import Path\nfrom reportbuild.guard import BuildLock, BuildLocked\n"
            f"try:\n    BuildLock(Path({str(lock)!r})).__enter__()\nexcept BuildLocked as e:\n    print(e)\n"
        )
        message = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
        assert message == (f"another build (pid {os.getpid()}) is writing to {tmp_path}; lock file: {lock}. "
                           "Wait for it to finish, or pass --outputs to build elsewhere.\n")
    with BuildLock(lock):  # released: a later build goes ahead
        pass
    with pytest.raises(BuildLocked), BuildLock(lock), BuildLock(lock):
        pass
